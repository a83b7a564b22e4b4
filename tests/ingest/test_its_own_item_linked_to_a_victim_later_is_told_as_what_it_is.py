"""An item a victim-blind load's source created itself, linked to one of the load's own victims
only later (its passport, say), is told to that source's next load as what it is (unchanged,
updated), as the same item never linked to a victim is: the load was told it created, and telling
it created again would tell that the item is now a victim's (graphapi/ingest/blind_values.py)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import ingest_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import NUMBER, _document, _told
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, SOURCE, _victim
from tests.ingest.test_a_replace_takes_its_source_out_of_what_blind_loads_were_told import WRONG, _blind, _other

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


async def _made_by_another_source(store, number):
    """The passport ``number`` made by another source of the agency."""
    made = {"kind": "node", "label": "IdentityDocument", "properties": {"country": "TH", "number": number}}
    assert not (await ingest_records(store, [made], source="registry@TH-DSI", owner=AGENCY, tlp="GREEN")).rejected


async def test_an_item_its_source_was_told_updated_before_a_victim_held_it_is_told_as_what_it_is(empty_store):
    await _victim(empty_store)
    told = {}
    for number, victims in ((WRONG, False), (NUMBER, True)):
        await _made_by_another_source(empty_store, number)
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
        await _made_by_another_source(empty_store, number)
        await _blind(empty_store, _own_person_and_link(number))  # the loader's source links to it by id alone
        if victims:
            await _linked_to_the_victim(empty_store, number)
        again = await _blind(empty_store, _own_person_and_link(number))
        told[number] = {**_told(again), "dangling": again.dangling}
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER]["relationships_unchanged"], told[NUMBER]["dangling"]) == (1, 0)


async def test_a_label_conflict_told_before_a_victim_held_the_item_is_told_again(empty_store):
    told = {}
    for pid, role in (("per-x-plain", "suspect"), ("per-x-vic", "victim")):
        person = {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Some One"}}
        assert not (await ingest_records(empty_store, [person], source=f"graphql:{AGENCY}", owner=AGENCY,
                                         tlp="GREEN")).rejected
        org = {"kind": "node", "label": "Organization", "id": pid, "properties": {"name": "Some Co"}}
        await _blind(empty_store, [org])  # a label conflict, told as one: she is no victim yet
        involved = [{"kind": "node", "label": "Case", "properties": {"agency": AGENCY, "caseNumber": "V-7"}},
                    {"type": "INVOLVED_IN", "from": pid, "to": f"case:{AGENCY}|V-7", "properties": {"role": role}}]
        assert not (await ingest_records(empty_store, involved, source=f"graphql:{AGENCY}", owner=AGENCY,
                                         tlp="GREEN")).rejected
        again = await _blind(empty_store, [org])
        told[pid] = {**_told(again), "lines": [r.reason.replace(pid, "<id>") for r in again.rejections]}
    assert told["per-x-vic"] == told["per-x-plain"]
    assert told["per-x-vic"]["lines"] == ["label conflict: <id> is a Person (as stored), not an Organization; "
                                          "not merged"]


async def _linked_to(store, number, person, role):
    """The passport linked by another source of the agency to ``person``, of ``role`` in the case."""
    records = [{"kind": "node", "label": "Person", "id": person, "properties": {"name": "Sus Pect"}},
               {"type": "INVOLVED_IN", "from": person, "to": f"case:{AGENCY}|V-9", "properties": {"role": role}},
               {**_document(number)[1], "from": person}]
    assert not (await ingest_records(store, records if role == "suspect" else records[2:],
                                     source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")).rejected


RETRACTED = ("nodes_deleted", "nodes_retracted", "relationships_deleted", "relationships_retracted")


@pytest.mark.parametrize("how", ["replace", "del"])
async def test_its_own_item_a_victim_held_later_then_withdrawn_is_told_as_what_it_is(empty_store, how):
    await _victim(empty_store)
    told = {}
    for number, person, role in ((WRONG, "per-sus-1", "suspect"), (NUMBER, "per-vic-1", "victim")):
        await _blind(empty_store, _document(number)[:1])  # its source creates it: told created
        await _linked_to(empty_store, number, person, role)  # then a suspect's, or the victim's
        if how == "replace":  # stating what the earlier rounds' replaces would retract otherwise
            gone = await _blind(empty_store, [_other(), *_document(WRONG)[:1]][:1 if number == WRONG else 2],
                                replace=True)
        else:
            rec = NodeRecord("IdentityDocument", f"identity:TH|{number}", {"country": "TH", "number": number},
                             Origin(SOURCE, "d.json", 1), op="delete")
            gone = await run_load(empty_store, Records(rec), source=SOURCE, viewer=AGENCY, victim_blind=True,
                                  provenance=Provenance(AGENCY, "GREEN", (), "2026-05-02T00:00:00Z"))
        again = await _blind(empty_store, _document(number)[:1])
        told[number] = ({k: getattr(gone, k) for k in RETRACTED}, _told(again))
    assert told[NUMBER] == told[WRONG]
    assert (told[NUMBER][0]["nodes_retracted"], told[NUMBER][1]["nodes_created"]) == (1, 0)  # it stays, held
