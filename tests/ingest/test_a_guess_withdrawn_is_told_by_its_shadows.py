"""What a load without victim-data is told when its source withdraws a guessed id or a guessed
id's link (a replace no longer naming it, a DEL): as the wrong guess's item and links would be,
counted from their shadows, never from the victim's stored item (attack round a-75;
graphapi/ingest/blind_replace.py). The victim's item stays for the victim's own source, so its
stored sources would tell retracted where the wrong guess's item, said by the feed alone, is deleted."""

import json
import tempfile
from pathlib import Path

import pytest

from graphapi.ingest.blind_said_by import read_by
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import build_records, ingest_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim

pytestmark = pytest.mark.backends
RIGHT, WRONG = "per-vic-1", "per-vic-9"  # the victim (GREEN, victim in case V-9), and nobody
CASE = f"case:{AGENCY}|V-9"
FEED = f"feed-a@{AGENCY}"
TOLD = ("nodes_created", "nodes_updated", "nodes_unchanged", "conflicts", "nodes_deleted", "nodes_retracted",
        "relationships_created", "relationships_unchanged", "relationships_deleted", "relationships_retracted",
        "statements_retracted", "rows_rejected")


def _person(pid, **props):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara", **props}}


def _witness(pid):
    return [_person(pid), {"kind": "relationship", "type": "INVOLVED_IN", "from": pid, "to": CASE,
                           "properties": {"role": "witness"}}]


def _records(records, source=FEED):
    def items(pid):
        return Records(*build_records(records(pid), source)[0])
    items.source = source
    return items


def _delete(pid):
    return Records(NodeRecord("Person", pid, {}, Origin(FEED, "d.csv", 1), op="delete"))


def _colleague(records):
    """A load of ``records`` under the feed by a colleague of TH-DSI with victim-data."""
    items = _records(records)
    items.colleague = True
    return items


async def _each_guess(store, *loads, setup=_victim, after=None):
    """What each of ``loads`` ((id -> Records, replace?[, level])) tells a loader of TH-DSI without
    victim-data (unless :func:`_colleague`'s), guessing wrong and right; ``after`` (store -> a
    value) read once each guess's loads are done, kept as ``told[("after", guess)]``."""
    told = {}
    for pid in (WRONG, RIGHT):
        await store.clear()
        await setup(store)
        told[pid] = []
        for items, replace, *level in loads:
            summary = await run_load(store, items(pid), source=getattr(items, "source", FEED), viewer=AGENCY,
                                     victim_blind=not getattr(items, "colleague", False),
                                     replace=replace,
                                     provenance=Provenance(AGENCY, (level or ["GREEN"])[0], (), "2026-05-01T00:00:00Z"))
            told[pid].append({k: getattr(summary, k) for k in TOLD})
        if after is not None:
            told[("after", pid)] = await after(store)
    return told


async def test_a_replace_not_naming_the_guess_tells_it_deleted(empty_store):
    told = await _each_guess(empty_store, (_records(lambda p: [_person(p, gender="male")]), False),
                             (_records(lambda p: [_person("per-own-2")]), True))
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT][1]["nodes_deleted"], told[RIGHT][1]["nodes_retracted"]) == (1, 0)


async def test_a_del_of_a_guess_tells_its_case_link_deleted_and_said_again_created(empty_store):
    # the guess's link has the id of the victim's own case link, which stays for the victim's source
    told = await _each_guess(empty_store, (_records(_witness), False), (_delete, False), (_records(_witness), False))
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_deleted"], t["statements_retracted"]) for t in told[RIGHT][1:]] == [(1, 2), (0, 0)]
    assert (told[RIGHT][2]["relationships_created"], told[RIGHT][2]["relationships_unchanged"]) == (1, 0)


async def test_a_del_of_a_guess_tells_its_link_to_an_own_person_deleted(empty_store):
    own = [_person("per-own-2")]
    told = await _each_guess(empty_store, (_records(lambda p: [_person(p), *own, {
        "kind": "relationship", "type": "ASSOCIATE_OF", "from": "per-own-2", "to": p, "properties": {}}]), False),
        (_delete, False))
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT][1]["nodes_deleted"], told[RIGHT][1]["relationships_deleted"]) == (1, 1)


def _ftm(docs):
    """An FtM file of ``docs`` (id -> entities) read as the feed's load."""
    def items(pid):
        folder = Path(tempfile.mkdtemp())
        (folder / "x.ftm.json").write_text("".join(json.dumps(d) + "\n" for d in docs(pid)), encoding="utf-8")
        return FtmReader([folder / "x.ftm.json"], source=FEED)
    return items


async def test_a_membership_naming_a_guessed_person_as_its_organization_is_written_as_a_wrong_ones(empty_store):
    # the reference is a placeholder: it never relabels a stored item, the victim's no more than the wrong guess's
    person = _ftm(lambda p: [{"id": p, "schema": "Person", "properties": {"name": ["Chan Dara"]}}])
    member = _ftm(lambda p: [{"id": "own-o-1", "schema": "Organization", "properties": {"name": ["Own Co"]}},
                             {"id": "m-1", "schema": "Membership",
                              "properties": {"member": [p], "organization": ["own-o-1"]}}])
    told = await _each_guess(empty_store, (person, False), (member, False))
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT][1]["relationships_created"], told[RIGHT][1]["rows_rejected"]) == (1, 0)


async def test_an_amber_case_link_of_a_guess_a_replace_drops_is_told_deleted_and_said_again_created(empty_store):
    # at AMBER the guess's link is not written into the victim's GREEN one: only its shadow knows it
    witness, person = _records(_witness), _records(lambda p: [_person(p)])
    told = await _each_guess(empty_store, (witness, False, "AMBER"), (person, True, "AMBER"), (witness, False, "AMBER"))
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_deleted"], t["statements_retracted"]) for t in told[RIGHT][1:]] == [(1, 1), (0, 0)]
    assert (told[RIGHT][2]["relationships_created"], told[RIGHT][2]["relationships_unchanged"]) == (1, 0)


async def test_a_value_a_replace_no_longer_gives_goes_from_the_guess_though_another_source_said_it_too(empty_store):
    # the wrong guess's item rebuilds its gender from feed-b's female once feed-a's male goes:
    # feed-a's male said again is a change and a conflict there
    other = f"feed-b@{AGENCY}"
    told = await _each_guess(empty_store, (_records(lambda p: [_person(p, gender="male")]), False),
                             (_records(lambda p: [_person(p, gender="female")], other), False),
                             (_records(lambda p: [_person(p)]), True),
                             (_records(lambda p: [_person(p, gender="female")], other), False),
                             (_records(lambda p: [_person(p, gender="male")]), False))
    assert told[RIGHT] == told[WRONG]
    assert [(t["nodes_updated"], t["nodes_unchanged"], t["conflicts"]) for t in told[RIGHT][3:]] == [(0, 1, 0),
                                                                                                   (1, 0, 1)]


async def test_a_blind_del_of_a_guess_leaves_the_victims_case_link_a_colleague_stated_under_its_source(empty_store):
    # a-77, 1: the victim's only mark is a colleague's (with victim-data) under the shared feed; the
    # blind loader's DEL of its guess withdrew the feed from that link, and the victim was shown
    store = empty_store
    await ingest_records(store, [_person(RIGHT), {"kind": "node", "label": "Case",
                                                  "properties": {"agency": AGENCY, "caseNumber": "V-9"}}],
                         source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")
    seen = Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z")
    victim_link = {"kind": "relationship", "type": "INVOLVED_IN", "from": RIGHT, "to": CASE,
                   "properties": {"role": "victim"}}
    await run_load(store, _records(lambda p: [victim_link])(RIGHT), source=FEED, viewer=AGENCY, provenance=seen)
    for items in (_records(_witness)(RIGHT), _delete(RIGHT)):
        await run_load(store, items, source=FEED, viewer=AGENCY, victim_blind=True, provenance=seen)
    (snap,) = await store.read("admin/snapshot")
    links = [(r["props"]["role"], r["props"]["sources"]) for r in snap["relationships"] if r["from"] == RIGHT]
    assert links == [("victim", [FEED])]
    assert [r["id"] for r in await store.read("security/protected_ids", {"ids": [RIGHT], "agency": AGENCY})] == [RIGHT]


async def test_a_guess_said_by_many_feeds_keeps_each_value_once_in_its_shadow(empty_store):
    # a-77, 4: each feed name a loader invents kept the 20 KB value again in the shadow's `by`
    store, value, feeds = empty_store, "n" * 20_000, [f"feed-{i}@{AGENCY}" for i in range(6)]
    seen = Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z")
    await _victim(store)
    for feed in feeds:
        await run_load(store, _records(lambda p: [_person(p, notes=value)], feed)(RIGHT), source=feed,
                       viewer=AGENCY, victim_blind=True, provenance=seen)
    (row,) = await store.read("ingest/existing_nodes", {"ids": [RIGHT]})
    shadow = row["props"]["blindShadow"]
    assert sorted(read_by(shadow)) == feeds
    assert len(shadow) < len(value) + 2_000  # the value once, in the props


async def test_a_replace_after_a_del_of_a_guess_tells_nothing_of_the_link_the_del_told_deleted(empty_store):
    # a-77, 2: the right guess's stored link stays with the feed after the blind DEL (the victim's
    # item, held), and the replace told it deleted a second time; the wrong guess's went with the DEL
    own = [_person("per-own-2"), {"kind": "relationship", "type": "ASSOCIATE_OF", "from": "per-own-2", "to": None,
                                  "properties": {"relationship": "cousin"}}]
    linked = _records(lambda p: [_person(p), *[{**r, "to": p} if r["kind"] == "relationship" else r for r in own]])
    told = await _each_guess(empty_store, (linked, False), (_delete, False),
                             (_records(lambda p: [_person("per-own-3")]), True))
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_deleted"], t["statements_retracted"]) for t in told[RIGHT][1:]] == [(1, 2), (0, 1)]


_VICTIM_LINK = {"kind": "relationship", "type": "INVOLVED_IN", "from": RIGHT, "to": CASE,
                "properties": {"role": "victim"}}


async def test_a_replace_after_a_del_of_a_guess_tells_a_colleagues_link_of_it_under_the_feed_retracted(empty_store):
    # a-84, 1: the victim's link stated under the feed by a colleague, then the guess's witness
    # link said blind and DELed: the replace retracts the colleague's statement, told to either guess
    told = await _each_guess(empty_store, (_colleague(lambda p: [_VICTIM_LINK]), False), (_records(_witness), False),
                             (_delete, False), (_records(lambda p: [_person("per-own-3")]), True))
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_retracted"], t["statements_retracted"]) for t in told[RIGHT][2:]] == [(0, 2), (1, 1)]


async def _victim_unlinked(store):
    await ingest_records(store, [_person(RIGHT), {"kind": "node", "label": "Case",
                                                  "properties": {"agency": AGENCY, "caseNumber": "V-9"}}],
                         source=f"graphql:{AGENCY}", owner=AGENCY, tlp="GREEN")


async def test_a_replace_after_a_del_of_a_guess_tells_a_colleagues_only_link_of_it_deleted(empty_store):
    # a-84, 1 (2c): the victim's only link is the colleague's under the feed: the replace deletes it
    told = await _each_guess(empty_store, (_colleague(lambda p: [_VICTIM_LINK]), False), (_records(_witness), False),
                             (_delete, False), (_records(lambda p: [_person("per-own-3")]), True),
                             setup=_victim_unlinked)
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_deleted"], t["statements_retracted"]) for t in told[RIGHT][2:]] == [(1, 2), (1, 1)]


async def _victims_links_and_mark(store):
    (snap,) = await store.read("admin/snapshot")
    links = [(r["props"]["role"], r["props"]["sources"]) for r in snap["relationships"] if r["from"] == RIGHT]
    return links, [r["id"] for r in await store.read("security/protected_ids", {"ids": [RIGHT], "agency": AGENCY})]


async def test_a_blind_replace_leaves_a_colleagues_victim_link_under_the_feed_told_as_to_a_wrong_guess(empty_store):
    # a-84, 6: the victim's only mark is a colleague's link under the feed; the blind loader's
    # replace of the feed took it, and the victim was shown, whichever id it guessed
    told = await _each_guess(empty_store, (_colleague(lambda p: [_VICTIM_LINK]), False), (_records(_witness), False),
                             (_records(lambda p: [_person("per-own-3")]), True), setup=_victim_unlinked,
                             after=_victims_links_and_mark)
    assert told[("after", WRONG)] == told[("after", RIGHT)] == ([("victim", [FEED])], [RIGHT])
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_deleted"], t["statements_retracted"]) for t in told[RIGHT][2:]] == [(2, 3)]


async def test_a_blind_witness_link_of_a_right_guess_never_becomes_the_victims_stored_role(empty_store):
    # a-84, 5: feed-a's and feed-b's blind witness records of the guess's case link merged into the
    # victim's; feed-b's replace rebuilt the role first seen first, and their earlier 'witness' won it
    store, other = empty_store, f"feed-b@{AGENCY}"
    await _victim(store)
    seen = Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z")
    for items, source, replace in ((_records(_witness), FEED, False), (_records(_witness, other), other, False),
                                   (_records(lambda p: [_person("per-own-3")], other), other, True)):
        await run_load(store, items(RIGHT), source=source, viewer=AGENCY, victim_blind=True, replace=replace,
                       provenance=seen)
    assert await _victims_links_and_mark(store) == ([("victim", ["graphql:TH-DSI", FEED])], [RIGHT])


_FEED_B = f"feed-b@{AGENCY}"


def _cousin(pid):
    return [_person(pid), _person("per-own-2"), {"kind": "relationship", "type": "ASSOCIATE_OF", "from": "per-own-2",
                                                 "to": pid, "properties": {"relationship": "cousin"}}]


def _delete_own(_pid):
    return Records(NodeRecord("Person", "per-own-2", {}, Origin(FEED, "d.csv", 1), op="delete"))


async def _nodes(store):
    (snap,) = await store.read("admin/snapshot")
    return sorted((n["props"]["id"], n["props"]["sources"]) for n in snap["nodes"]
                  if n["props"] and n["props"].get("id", "").startswith("per-own"))


async def test_a_del_of_a_guess_leaves_no_statement_of_its_feed_on_the_victims_link_to_keep_its_own_person(
        empty_store):
    # a-84, 4: the cousin link's feed-a statement, told deleted with the guess, stayed on the victim's
    # stored link; after feed-a's DEL of per-own-2 and feed-b's replace it kept per-own-2 with [feed-a]
    told = await _each_guess(empty_store, (_records(_cousin), False), (_delete, False),
                             (_records(_cousin, _FEED_B), False), (_delete_own, False),
                             (_records(lambda p: [_person("per-own-9")], _FEED_B), True), after=_nodes)
    assert told[("after", WRONG)] == told[("after", RIGHT)] == [("per-own-9", [_FEED_B])]
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT][4]["nodes_deleted"], told[RIGHT][4]["nodes_retracted"]) == (2, 0)


async def test_a_replace_after_a_del_of_a_guess_and_another_feed_saying_its_link_retracts_nothing_of_it(empty_store):
    # a-84, 3: feed-b saying the link overwrote the link's TOLD_DELETED, and feed-a's replace retracted
    # feed-a's statement still stored there, told to a right guess only
    told = await _each_guess(empty_store, (_records(_witness), False), (_delete, False),
                             (_records(_witness, _FEED_B), False), (_records(lambda p: [_person("per-own-3")]), True))
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT][3]["relationships_deleted"], told[RIGHT][3]["statements_retracted"]) == (0, 0)


async def test_a_del_of_the_own_person_at_the_other_end_of_a_guess_told_deleted_tells_nothing_of_the_link(
        empty_store):
    # a-84, 2: the cousin link told deleted with the guess stayed stored with feed-a's statement; the
    # DEL of per-own-2 then told it deleted again, 2 statements retracted, to a right guess only
    told = await _each_guess(empty_store, (_records(_cousin), False), (_delete, False), (_delete_own, False))
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT][2]["relationships_deleted"], told[RIGHT][2]["statements_retracted"]) == (0, 1)


def _colleague_delete(pid):
    return _delete(pid)


_colleague_delete.colleague = True


async def test_a_colleagues_del_of_a_guess_under_the_feed_tells_its_link_said_again_created(empty_store):
    # a-84, 7: a colleague's DEL (with victim-data) settled the guess's node shadow, not its link's:
    # the blind witness link said again was told unchanged when right, created when wrong
    told = await _each_guess(empty_store, (_records(_witness), False), (_colleague_delete, False),
                             (_records(_witness), False))
    assert told[RIGHT][2] == told[WRONG][2]  # (the colleague is told of the items it reads)
    assert (told[RIGHT][2]["relationships_created"], told[RIGHT][2]["relationships_unchanged"]) == (1, 0)
