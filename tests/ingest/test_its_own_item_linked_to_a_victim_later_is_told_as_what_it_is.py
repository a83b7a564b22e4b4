"""An item a victim-blind load's source created itself, linked to one of the load's own victims
only later (its passport, say), is told to that source's next load as what it is (unchanged,
updated), as the same item never linked to a victim is: the load was told it created, and telling
it created again would tell that the item is now a victim's (graphapi/ingest/blind_values.py)."""

import pytest

from graphapi.ingest.service import ingest_records
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import NUMBER, _document, _told
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim
from tests.ingest.test_a_replace_takes_its_source_out_of_what_blind_loads_were_told import WRONG, _blind

pytestmark = pytest.mark.backends


async def _linked_to_the_victim(store, number):
    link = _document(number)[1]
    assert not (await ingest_records(store, [link], source=f"graphql:{AGENCY}", owner=AGENCY,
                                     tlp="GREEN")).rejected


@pytest.mark.parametrize("said_again", ["same", "changed"])
async def test_its_own_item_linked_to_a_victim_later_is_told_as_what_it_is(empty_store, said_again):
    await _victim(empty_store)
    told = {}
    for number, victims in ((WRONG, False), (NUMBER, True)):
        await _blind(empty_store, _document(number)[:1])  # its source creates it: told created
        if victims:
            await _linked_to_the_victim(empty_store, number)  # then it is the victim's passport
        record = _document(number)[0]
        if said_again == "changed":
            record = {**record, "properties": {**record["properties"], "kind": ["passport"]}}
        told[number] = _told(await _blind(empty_store, [record]))
    assert told[NUMBER] == told[WRONG]
    assert told[NUMBER]["nodes_created"] == 0


async def test_an_item_its_source_was_told_updated_before_a_victim_held_it_is_told_as_what_it_is(empty_store):
    await _victim(empty_store)
    told = {}
    for number, victims in ((WRONG, False), (NUMBER, True)):
        made = {"kind": "node", "label": "IdentityDocument", "properties": {"country": "TH", "number": number}}
        assert not (await ingest_records(empty_store, [made], source="registry@TH-DSI", owner=AGENCY,
                                         tlp="GREEN")).rejected  # another source of the agency made it
        await _blind(empty_store, _document(number)[:1])  # the loader's source says it too: told updated
        if victims:
            await _linked_to_the_victim(empty_store, number)
        told[number] = _told(await _blind(empty_store, _document(number)[:1]))
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER]["nodes_created"], told[NUMBER]["nodes_unchanged"]) == (0, 1)


def _own_person_and_link(number):
    person = {"kind": "node", "label": "Person", "id": f"per-own-{number}", "properties": {"name": "Own Suspect"}}
    return [person, {"type": "HOLDS_DOCUMENT", "from": person["id"], "to": f"identity:TH|{number}", "properties": {}}]


async def test_an_item_its_source_only_linked_to_before_a_victim_held_it_is_told_as_what_it_is(empty_store):
    await _victim(empty_store)
    told = {}
    for number, victims in ((WRONG, False), (NUMBER, True)):
        made = {"kind": "node", "label": "IdentityDocument", "properties": {"country": "TH", "number": number}}
        assert not (await ingest_records(empty_store, [made], source="registry@TH-DSI", owner=AGENCY,
                                         tlp="GREEN")).rejected  # another source of the agency made it
        await _blind(empty_store, _own_person_and_link(number))  # the loader's source links to it by id alone
        if victims:
            await _linked_to_the_victim(empty_store, number)
        again = await _blind(empty_store, _own_person_and_link(number))
        told[number] = {**_told(again), "dangling": again.dangling}
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER]["relationships_unchanged"], told[NUMBER]["dangling"]) == (1, 0)
