"""What a victim-blind load (TH-DSI without victim-data) takes back of its guess's links and
statements with a DEL or a replace: only what its blind loads made alone, each once, never a
colleague's statement it cannot tell apart from its own (attack round a-90;
graphapi/ingest/blind_withdrawn.py, blind_kept_marks.py, blind_stated.py)."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import build_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim

pytestmark = pytest.mark.backends
RIGHT = "per-vic-1"  # the victim (GREEN, victim in case V-9)
FEED = f"feed-a@{AGENCY}"
SEEN = Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z")


def _person(pid):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara"}}


def _cousin(pid):
    return [_person(pid), _person("per-own-2"), {"kind": "relationship", "type": "ASSOCIATE_OF", "from": "per-own-2",
                                                 "to": pid, "properties": {"relationship": "cousin"}}]


async def _load(store, records, *, blind=True, replace=False):
    return await run_load(store, records, source=FEED, viewer=AGENCY, victim_blind=blind, replace=replace,
                          provenance=SEEN)


async def _links(store, rel_type, prop="sources"):
    (snap,) = await store.read("admin/snapshot")
    return [(r["from"], r["to"], r["props"].get(prop)) for r in snap["relationships"] if r["type"] == rel_type]


async def test_a_blind_del_keeps_a_colleagues_link_under_the_feed_whose_shadow_predates_held_before(empty_store):
    # a-90, 7: a link shadow written before heldBefore existed says nothing of who held the link
    # first; the blind DEL took the colleague's statement as its own, deleting her link to the victim
    store = empty_store
    await _victim(store)
    await _load(store, Records(*build_records(_cousin(RIGHT), FEED)[0]), blind=False)
    await _load(store, Records(*build_records(_cousin(RIGHT), FEED)[0]))
    (snap,) = await store.read("admin/snapshot")
    rows = []
    for r in snap["relationships"]:
        if r["type"] == "ASSOCIATE_OF" and r["props"].get("blindShadow"):
            shadow = json.loads(r["props"]["blindShadow"])
            shadow.pop("heldBefore")
            rows.append({"id": r["props"]["id"], "shadow": json.dumps(shadow, sort_keys=True)})
    await store.write_batches("ingest/set_blind_shadow_relationships", rows, 100, type="ASSOCIATE_OF")
    await _load(store, Records(NodeRecord("Person", RIGHT, {}, Origin(FEED, "d.csv", 1), op="delete")))
    assert await _links(store, "ASSOCIATE_OF") == [("per-own-2", RIGHT, [FEED])]


WRONG = "per-vic-9"  # nobody
CASE = f"case:{AGENCY}|V-9"
TOLD = ("nodes_deleted", "nodes_retracted", "relationships_deleted", "relationships_retracted", "statements_retracted")


def _says_victim(pid):
    return [_person(pid), {"kind": "relationship", "type": "INVOLVED_IN", "from": pid, "to": CASE,
                           "properties": {"role": "victim"}}]


async def test_a_blind_replace_dropping_its_own_victim_role_link_of_a_guess_tells_it_deleted_once(empty_store):
    # a-90, 2: the wrong guess's own role-victim link, kept as a victim's mark, was told deleted,
    # then deleted and told again with its end: (2, 1) links deleted
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _load(empty_store, Records(*build_records(_says_victim(pid), FEED)[0]))
        summary = await _load(empty_store, Records(*build_records([_person("per-own-3")], FEED)[0]), replace=True)
        told[pid] = {k: getattr(summary, k) for k in TOLD}
    assert told[WRONG] == told[RIGHT]
    assert told[RIGHT]["relationships_deleted"] == 1


class _Killed(BaseException):
    """A kill -9 of the load, out of a store write."""


def _witness(pid):
    return [_person(pid), {"kind": "relationship", "type": "INVOLVED_IN", "from": pid, "to": CASE,
                           "properties": {"role": "witness"}}]


async def test_a_blind_witness_load_killed_after_its_merge_and_rerun_never_makes_the_victims_role_its_own(
        empty_store, monkeypatch):
    # a-90, 8: killed at ingest/add_blind_stated, after its statement merged into the victim's
    # link, the rerun took feed-a's statement for one held before: no blindStated, and feed-b's
    # replace rebuilt the victim's role from the blind "witness"
    store = empty_store
    feed_b = f"feed-b@{AGENCY}"
    await _victim(store)
    write_batches = store.write_batches

    async def dying(name, *args, **kwargs):
        if name == "ingest/add_blind_stated":
            raise _Killed()
        return await write_batches(name, *args, **kwargs)
    monkeypatch.setattr(store, "write_batches", dying)
    with pytest.raises(_Killed):
        await _load(store, Records(*build_records(_witness(RIGHT), FEED)[0]))
    monkeypatch.setattr(store, "write_batches", write_batches)
    await _load(store, Records(*build_records(_witness(RIGHT), FEED)[0]))
    for records, replace in ((_witness(RIGHT), False), ([_person("per-own-3")], True)):
        await run_load(store, Records(*build_records(records, feed_b)[0]), source=feed_b, viewer=AGENCY,
                       victim_blind=True, replace=replace, provenance=SEEN)
    roles = [role for _, _, role in await _links(store, "INVOLVED_IN", "role")]
    assert roles == ["victim"]


async def test_a_blind_del_of_a_guess_repeated_tells_nothing_deleted(empty_store):
    # a-90, 10: the first DEL took the agency's mark out but left the node's shadow holding
    # feed-a, so the same DEL again was told the guess deleted, a right guess only: (0, 1)
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _load(empty_store, Records(*build_records([_person(pid)], FEED)[0]))
        for _ in range(2):
            delete = Records(NodeRecord("Person", pid, {}, Origin(FEED, "d.csv", 1), op="delete"))
            summary = await _load(empty_store, delete)
        told[pid] = {k: getattr(summary, k) for k in TOLD}
    assert told[WRONG] == told[RIGHT]
    assert (told[RIGHT]["nodes_deleted"], told[RIGHT]["nodes_retracted"]) == (0, 0)


async def test_a_blind_del_of_a_guess_a_replace_dropped_tells_nothing_deleted(empty_store):
    # a-90, 10 (fuzz): the replace told the guess deleted and took the mark out, but its shadow
    # kept feed-a, so a DEL of it after was told it deleted again, a right guess only: (0, 1)
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _load(empty_store, Records(*build_records([_person(pid)], FEED)[0]))
        await _load(empty_store, Records(*build_records([_person("per-own-3")], FEED)[0]), replace=True)
        summary = await _load(empty_store, Records(NodeRecord("Person", pid, {}, Origin(FEED, "d.csv", 1),
                                                              op="delete")))
        told[pid] = {k: getattr(summary, k) for k in TOLD}
    assert told[WRONG] == told[RIGHT]
    assert (told[RIGHT]["nodes_deleted"], told[RIGHT]["nodes_retracted"]) == (0, 0)
