"""A load by a loader without victim-data is not told whether an id of its own agency's victims
exists (attack round a-57, 6): a document's id is its (country, number) key, so a right guess of a
victim's passport number merged into the stored document and its HOLDS_DOCUMENT link (created 0)
and a wrong one created both (created 1). An item of its own victims that the load's source never
said is told as if absent (graphapi/ingest/blind_values.py, blind_shadow.py)."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.security import Principal
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _load, _victim
from tests.investigate.graphql_answers import answer

pytestmark = pytest.mark.backends
NUMBER = "AA1234567"
#: every count of the summary a stored item's existence could decide
TOLD = ("nodes_read", "nodes_created", "nodes_updated", "nodes_written", "nodes_unchanged", "nodes_seen",
        "relationships_read", "relationships_created", "relationships_updated", "relationships_written",
        "relationships_unchanged", "relationships_seen", "conflicts", "statements_written", "statements_seen",
        "rows_rejected")


def _document(number):
    return [{"kind": "node", "label": "IdentityDocument", "properties": {"country": "TH", "number": number}},
            {"type": "HOLDS_DOCUMENT", "from": "per-vic-1", "to": f"identity:TH|{number}", "properties": {}}]


async def _victim_with_passport(store):
    await _victim(store)
    done = await ingest_records(store, _document(NUMBER), source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")
    assert not done.rejected


def _guess(nid):
    return {"kind": "node", "label": "Person", "id": nid, "properties": {"name": "Chan Dara", "gender": "male"}}


def _told(summary):
    return {k: getattr(summary, k) for k in TOLD}


async def test_a_right_and_a_wrong_guess_of_a_victims_passport_number_are_told_alike(empty_store):
    await _victim_with_passport(empty_store)
    wrong = await _load(empty_store, *_document("BB7654321"))
    right = await _load(empty_store, *_document(NUMBER))
    assert _told(right) == _told(wrong)
    # the link names per-vic-1, which the load's source never said: told dangling (a-60, 1a)
    assert (right.nodes_created, right.relationships_created, right.dangling) == (1, 0, 1)


async def test_a_guess_said_again_is_told_unchanged_whether_right_or_wrong(empty_store):
    await _victim_with_passport(empty_store)
    await _load(empty_store, *_document("BB7654321"))
    await _load(empty_store, *_document(NUMBER))
    wrong = await _load(empty_store, *_document("BB7654321"))
    right = await _load(empty_store, *_document(NUMBER))
    assert _told(right) == _told(wrong)
    assert (right.nodes_created, right.nodes_unchanged, right.dangling) == (0, 1, 1)


async def test_a_guess_said_again_writes_its_statement_alike_right_or_wrong(empty_store):
    # a hidden field's statement counts written once a load, unless a blind load of the source
    # was told the item created before (blindSaid): a reload's counts seen, as a wrong guess's
    await _victim_with_passport(empty_store)
    await _load(empty_store, *_document("BB7654321")[:1])
    await _load(empty_store, *_document(NUMBER)[:1])
    wrong = await _load(empty_store, *_document("BB7654321")[:1])
    right = await _load(empty_store, *_document(NUMBER)[:1])
    assert right.statements_written == wrong.statements_written


async def test_a_guessed_victims_id_tells_no_conflict_on_a_field_the_loader_may_read(empty_store):
    await _victim(empty_store)  # per-vic-1, a woman
    wrong = await _load(empty_store, _guess("per-vic-9"))
    right = await _load(empty_store, _guess("per-vic-1"))
    assert _told(right) == _told(wrong)
    assert (right.conflicts, right.conflicted, right.nodes_created) == (0, [], 1)


async def test_the_victims_passport_keeps_the_guessers_source_and_its_holder(empty_store):
    await _victim_with_passport(empty_store)
    await _load(empty_store, *_document(NUMBER))
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": [f"identity:TH|{NUMBER}"]})
    assert sorted(row["props"]["sources"]) == [f"ftm@{AGENCY}", f"graphql:{AGENCY}"]



async def test_the_ingest_mutations_counts_tell_a_right_and_a_wrong_guess_alike(empty_store):
    await _victim(empty_store)
    await _load(empty_store, *_document(NUMBER), victim_data=True)  # an officer's load job's passport
    loader = Principal("loader-th", agency=AGENCY, roles=frozenset({"loader"}))
    ask = "mutation($r: [JSON!]!) { ingest(records: $r, tlp: GREEN) { accepted nodesCreated relationshipsCreated } }"

    def guess(number):
        return [_document(number)[0], {"kind": "relationship", "type": "HOLDS_DOCUMENT", "from": "per-vic-1",
                                       "to": f"identity:TH|{number}", "properties": {}}]

    wrong = await answer(empty_store, loader, ask, r=guess("BB7654321"))
    right = await answer(empty_store, loader, ask, r=guess(NUMBER))
    # per-vic-1 too is an id no blind load of graphql:TH-DSI was told: its link is rejected, as a wrong id's
    assert right == wrong == {"ingest": {"accepted": 1, "nodesCreated": 1, "relationshipsCreated": 0}}


@pytest.mark.parametrize("roles", [("loader",), ("analyst", "loader")])
async def test_after_a_guess_load_graphql_finds_a_wrong_guesss_item_and_not_the_victims(empty_store, roles):
    """Accepted, docs/security.md "Left open" (attack round a-65, 4): the load is told a right and a
    wrong guess alike; GraphQL, asked for the id afterwards, finds the wrong guess's new item and
    answers NOT_FOUND for the victim's, whose readers without victim-data reach it by token alone."""
    await _victim_with_passport(empty_store)
    loader = Principal("loader-th", agency=AGENCY, roles=frozenset(roles))
    seen = {}
    for number in ("BB7654321", NUMBER):
        told = await _load(empty_store, _document(number)[0])
        seen[number] = (told.nodes_created, await answer(empty_store, loader, "query($id: String!) { entity(id: $id) "
                                                         "{ caption } }", id=f"identity:TH|{number}"))
    assert seen["BB7654321"] == (1, {"entity": {"caption": "BB7654321"}})
    assert seen[NUMBER] == (1, ["NOT_FOUND", f"no entity with id 'identity:TH|{NUMBER}'"])
