"""A load without victim-data is told its records of a guessed id as a wrong guess's would be,
whatever their level and whatever a replace withdraws (attack round a-72; graphapi/ingest/
blind_shadow.py): an AMBER link of the guess to the victim's GREEN case link is not refused as a
disclosure (1); a replace no longer stating the guess's link tells it deleted (2); the statements
of a reload are counted as the wrong guess's item's are (3); a replace dropping a field the loader
may read tells the item updated (4)."""

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import build_records
from graphapi.ingest.writer import Provenance
from graphapi.security import Principal
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim
from tests.investigate.graphql_answers import answer

pytestmark = pytest.mark.backends
RIGHT, WRONG = "per-vic-1", "per-vic-9"  # the victim (GREEN, victim in case V-9), and nobody
CASE = f"case:{AGENCY}|V-9"
FEED = f"feed-a@{AGENCY}"
INGEST = ("mutation($r: [JSON!]!) { ingest(records: $r) { accepted nodesCreated relationshipsCreated "
          "rejected { index reason } } }")


def _person(pid, **props):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara", **props}}


def _involved(pid, **props):
    return {"kind": "relationship", "type": "INVOLVED_IN", "from": pid, "to": CASE, "properties": props}


async def test_an_amber_link_of_a_guess_to_the_victims_case_is_told_created_as_a_wrong_ones(empty_store):
    # the ingest mutation's default level is AMBER; the victim's link to its case is GREEN
    loader = Principal("loader-th", agency=AGENCY, roles=frozenset({"analyst", "loader"}))
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        said = await answer(empty_store, loader, INGEST, r=[_person(pid), _involved(pid, role="witness")])
        told[pid] = json.loads(json.dumps(said).replace(pid, "<guess>"))
    assert told[RIGHT] == told[WRONG]
    assert told[RIGHT]["ingest"] == {"accepted": 2, "nodesCreated": 1, "relationshipsCreated": 1, "rejected": []}


RETRACTION = ("relationships_created", "relationships_unchanged", "relationships_deleted", "relationships_retracted",
              "nodes_created", "nodes_updated", "nodes_unchanged", "statements_written", "statements_seen")


def _witness(pid):
    return [_person(pid), _involved(pid, role="witness")]


async def _load(store, records, *, replace=False, tlp="GREEN"):
    """A load job's load of ``records`` by a TH-DSI loader without victim-data (feed-a@TH-DSI)."""
    items, _ = build_records(records, FEED)
    summary = await run_load(store, Records(*items), source=FEED, viewer=AGENCY, victim_blind=True, replace=replace,
                             provenance=Provenance(AGENCY, tlp, (), "2026-05-01T00:00:00Z"))
    return {k: getattr(summary, k) for k in RETRACTION}


async def _each_guess(store, *loads):
    """What each of ``loads`` (id -> records, replace?[, level]) tells a wrong guess's and a right
    one's loader."""
    told = {}
    for pid in (WRONG, RIGHT):
        await store.clear()
        await _victim(store)
        told[pid] = [await _load(store, records(pid), replace=replace, tlp=(level or ["GREEN"])[0])
                     for records, replace, *level in loads]
    return told


async def test_a_replace_no_longer_stating_a_guesss_case_link_tells_it_deleted_and_said_again_created(empty_store):
    # the guess's link to the case has the id of the victim's own link there, which stays for the
    # victim's source: told as the wrong guess's link, which the replacing source alone said
    told = await _each_guess(empty_store, (_witness, False), (lambda p: [_person(p)], True), (_witness, False))
    assert told[RIGHT] == told[WRONG]
    assert [(t["relationships_deleted"], t["relationships_retracted"]) for t in told[RIGHT]] == [(0, 0), (1, 0), (0, 0)]
    assert told[RIGHT][2]["relationships_created"] == 1


@pytest.mark.parametrize(("levels", "written"), [
    (("AMBER", "AMBER"), [1, 1]),  # each load's statement of the name, a field the loader may not read
    (("GREEN", "AMBER", "AMBER"), [1, 2, 1]),  # and the one said at GREEN before, kept at GREEN
])
async def test_a_guess_reloaded_at_another_level_counts_its_statements_as_a_wrong_ones(empty_store, levels,
                                                                                      written):
    # the victim's item is GREEN: a record at AMBER is not merged into it, and counted by its shadow
    # (AMBER then GREEN, merged, is counted against the victim's stored statements: left open)
    told = await _each_guess(empty_store, *[(lambda p: [_person(p)], False, level) for level in levels])
    assert told[RIGHT] == told[WRONG]
    assert [t["statements_written"] for t in told[RIGHT]] == written


async def test_a_guesss_case_link_reloaded_at_another_level_counts_its_statements_as_a_wrong_ones(empty_store):
    told = await _each_guess(empty_store, (_witness, False, "GREEN"), (_witness, False, "AMBER"))
    assert told[RIGHT] == told[WRONG]
    assert [t["statements_written"] for t in told[RIGHT]] == [2, 3]


async def test_a_field_a_replace_no_longer_gives_said_again_tells_the_guess_updated(empty_store):
    # the victim's gender (female) stays for the victim's source; the wrong guess's male goes
    male = (lambda p: [_person(p, gender="male")], False)
    told = await _each_guess(empty_store, male, (lambda p: [_person(p)], True), male)
    assert told[RIGHT] == told[WRONG]
    assert [(t["nodes_updated"], t["nodes_unchanged"]) for t in told[RIGHT][1:]] == [(0, 1), (1, 0)]


async def test_a_guess_a_colleague_deleted_under_the_shared_source_said_again_is_told_created(empty_store):
    # the colleague, with victim-data, deletes the guess's record under the agency's feed: the
    # wrong guess's item goes; the victim's stays for its own source, and its shadow loses the feed
    told = {}
    for pid in (WRONG, RIGHT):
        await empty_store.clear()
        await _victim(empty_store)
        await _load(empty_store, [_person(pid, gender="male")])
        await run_load(empty_store, Records(NodeRecord("Person", pid, {}, Origin(FEED, "d.csv", 1), op="delete")),
                       source=FEED, viewer=AGENCY, victim_blind=False,
                       provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))
        told[pid] = await _load(empty_store, [_person(pid, gender="male")])
    assert told[RIGHT] == told[WRONG]
    assert (told[RIGHT]["nodes_created"], told[RIGHT]["nodes_unchanged"]) == (1, 0)
