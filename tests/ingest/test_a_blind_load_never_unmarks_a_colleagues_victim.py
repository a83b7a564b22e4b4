"""A victim-blind load (TH-DSI without victim-data) never takes away a victim's mark a colleague
with victim-data stated under the shared feed, and is told of it as a wrong guess is (attack
round a-90, 1 and 9; graphapi/ingest/blind_kept_marks.py)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import build_records, ingest_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim

pytestmark = pytest.mark.backends
RIGHT, WRONG = "per-vic-1", "per-vic-9"  # the victim; nobody
CASE = f"case:{AGENCY}|V-9"
FEED = f"feed-a@{AGENCY}"
SEEN = Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z")
TOLD = ("relationships_created", "relationships_unchanged", "relationships_deleted", "relationships_retracted",
        "statements_retracted", "nodes_deleted", "nodes_retracted")


def _person(pid):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara"}}


def _involved(pid, role, case=CASE):
    return {"kind": "relationship", "type": "INVOLVED_IN", "from": pid, "to": case, "properties": {"role": role}}


async def _load(store, items, *, blind=True, replace=False):
    return await run_load(store, Records(*build_records(items, FEED)[0]), source=FEED, viewer=AGENCY,
                          victim_blind=blind, replace=replace, provenance=SEEN)


async def _colleagues_mark_only(store):
    """per-vic-1 and her case entered by the owner, her only mark the colleague's link under feed-a."""
    await ingest_records(store, [_person(RIGHT), {"kind": "node", "label": "Case",
                                                  "properties": {"agency": AGENCY, "caseNumber": "V-9"}}],
                         source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")
    await _load(store, [_involved(RIGHT, "victim")], blind=False)


async def _marked(store):
    """The victim's stored case roles and whether she is protected."""
    (snap,) = await store.read("admin/snapshot")
    roles = [r["props"].get("role") for r in snap["relationships"] if r["from"] == RIGHT and r["type"] == "INVOLVED_IN"]
    protected = [r["id"] for r in await store.read("security/protected_ids", {"ids": [RIGHT], "agency": AGENCY})]
    return roles, protected


async def test_a_blind_replace_stating_the_guess_link_again_keeps_the_colleagues_victim_mark(empty_store):
    # a-90, 1: the replace kept only what it said in feed-a's statement: the colleague's victim gave
    # way to the blind witness, and the victim left protected_ids
    await _colleagues_mark_only(empty_store)
    await _load(empty_store, [_person(RIGHT), _involved(RIGHT, "witness")], replace=True)
    assert await _marked(empty_store) == (["victim"], [RIGHT])


async def test_a_blind_replace_stating_the_guess_link_again_is_told_the_colleagues_link_once_as_a_wrong_guess(
        empty_store):
    # a-90, 1: told (1, 0) links and statements retracted for (wrong, right): a 1-load oracle
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _load(empty_store, [_involved(RIGHT, "victim")], blind=False)
        told[pid] = []
        for _ in range(2):
            summary = await _load(empty_store, [_person(pid), _involved(pid, "witness")], replace=True)
            told[pid].append({k: getattr(summary, k) for k in TOLD})
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_retracted"], t["statements_retracted"]) for t in told[RIGHT]] == [(1, 1), (0, 0)]


CASE7 = f"case:{AGENCY}|V-7"


async def _colleagues_case_and_mark(store):
    """per-vic-1 entered by the owner; her only mark the colleague's link under feed-a to a case
    the colleague entered under feed-a too."""
    await ingest_records(store, [_person(RIGHT)], source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")
    await _load(store, [{"kind": "node", "label": "Case", "properties": {"agency": AGENCY, "caseNumber": "V-7"}},
                        _involved(RIGHT, "victim", CASE7)], blind=False)


async def test_a_blind_replace_no_longer_stating_the_case_of_a_colleagues_mark_keeps_it(empty_store):
    # a-90, 9: the replace kept the mark link but dropped its case, the link went with it
    await _colleagues_case_and_mark(empty_store)
    told = await _load(empty_store, [_person("per-own-3")], replace=True)
    assert await _marked(empty_store) == (["victim"], [RIGHT])
    assert (told.nodes_deleted, told.relationships_deleted) == (1, 1)  # as if both went


async def test_a_blind_del_of_the_case_of_a_colleagues_mark_keeps_it(empty_store):
    # a-90, 9: a blind DEL of the (visible) case id deleted it, the victim's only mark with it
    await _colleagues_case_and_mark(empty_store)
    told = await run_load(empty_store, Records(NodeRecord("Case", CASE7, {}, Origin(FEED, "d.csv", 1), op="delete")),
                          source=FEED, viewer=AGENCY, victim_blind=True, provenance=SEEN)
    assert await _marked(empty_store) == (["victim"], [RIGHT])
    assert (told.nodes_deleted, told.statements_retracted) == (1, 1)


async def test_a_blind_replace_stating_the_link_another_feed_said_first_is_told_the_colleagues_statement_gone(
        empty_store):
    # a-90, 5's shape (a-90 fuzzer): feed-b's blind witness made the link's shadow, heldBefore []
    # though feed-a held the colleague's victim statement: feed-a's replace stating the link was
    # told nothing of it, a wrong guess its retraction: (1, 0) links and statements retracted
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _load(empty_store, [_involved(RIGHT, "victim")], blind=False)
        feed_b = f"feed-b@{AGENCY}"
        await run_load(empty_store, Records(*build_records([_person(pid), _involved(pid, "witness")], feed_b)[0]),
                       source=feed_b, viewer=AGENCY, victim_blind=True, provenance=SEEN)
        summary = await _load(empty_store, [_person(pid), _involved(pid, "witness")], replace=True)
        told[pid] = {k: getattr(summary, k) for k in TOLD}
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["relationships_retracted"], told[RIGHT]["statements_retracted"]) == (1, 1)


async def test_a_blind_replace_stating_its_own_victim_role_link_again_as_witness_keeps_no_mark_of_it(empty_store):
    # v-fix60's first form of a-90, 1 kept the mark of any link stated again, the wrong guess's own
    # role-victim link too: feed-b's next replaces kept it as a mark, (1, 0) links deleted at feed-a's
    feed_b = f"feed-b@{AGENCY}"
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _colleagues_mark_only(empty_store)
        told[pid] = []
        for items, source, replace in (([_person(pid), _involved(pid, "victim")], feed_b, False),
                                       ([_person(pid), _involved(pid, "witness")], feed_b, True),
                                       ([_person("per-own-3")], feed_b, True), ([_person("per-own-3")], FEED, True)):
            summary = await run_load(empty_store, Records(*build_records(items, source)[0]), source=source,
                                     viewer=AGENCY, victim_blind=True, replace=replace, provenance=SEEN)
            told[pid].append({k: getattr(summary, k) for k in TOLD})
    assert told[RIGHT] == told[WRONG]
    assert await _marked(empty_store) == (["victim"], [RIGHT])


async def test_a_blind_replace_stating_again_a_link_its_kept_mark_is_on_is_told_nothing_of_its_own_statement(
        empty_store):
    # v-fix60's heldBefore for a source's first blind record took feed-b's own kept role-victim
    # statement (blindStated) for a colleague's: its replace stating the link was told it gone, a
    # right guess only ((0, 1) links retracted)
    feed_b = f"feed-b@{AGENCY}"
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        for items, source, replace in (([_person(pid), _involved(pid, "victim")], feed_b, False),
                                       ([_person("per-own-3")], feed_b, True),
                                       ([_person(pid), _involved(pid, "witness")], FEED, False)):
            await run_load(empty_store, Records(*build_records(items, source)[0]), source=source, viewer=AGENCY,
                           victim_blind=True, replace=replace, provenance=SEEN)
        summary = await run_load(empty_store, Records(*build_records([_person(pid), _involved(pid, "witness")],
                                                                     feed_b)[0]),
                                 source=feed_b, viewer=AGENCY, victim_blind=True, replace=True, provenance=SEEN)
        told[pid] = {k: getattr(summary, k) for k in TOLD}
    assert told[RIGHT] == told[WRONG]
    assert told[RIGHT]["relationships_retracted"] == 0
