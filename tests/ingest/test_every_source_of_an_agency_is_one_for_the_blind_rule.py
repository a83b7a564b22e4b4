"""What a load without victim-data was told of a guess holds for every source of its agency (load
jobs ``<name>@<agency>``, the ingest mutation's ``graphql:<agency>``, FtM's ``ftm@<agency>``): a
second source's load of the same guess is told a reload, as it is of the wrong guess's item the
first made, not created again; and the marks it rests on hold one entry per agency, however many
source names its loads invent (attack round a-67, 3; graphapi/ingest/blind_values.py,
source_agency)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.service import build_records
from graphapi.ingest.writer import Provenance
from tests.ingest.ingest_helpers import Records
from tests.ingest.phone_holders import PHONE
from tests.ingest.test_a_blind_loads_link_to_its_victims_quarantined_identifier_is_diverted import (
    FAKE,
    _holder_and_link,
    _victims_quarantined_phone,
)
from tests.ingest.test_a_load_is_not_told_whether_its_own_victims_items_exist import TOLD, _document
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import AGENCY, _victim

pytestmark = pytest.mark.backends
FEEDS = (f"feed-a@{AGENCY}", f"feed-b@{AGENCY}")


async def _load_as(store, source, records, *, blind=True, seen="2026-05-01T00:00:00Z", replace=False):
    """A TH-DSI load of ``records`` under ``source`` (by a loader without victim-data unless ``blind`` is False)."""
    return await run_load(store, Records(*build_records(records, source)[0]), source=source, viewer=AGENCY,
                          victim_blind=blind, replace=replace, provenance=Provenance(AGENCY, "GREEN", (), seen))


def _told(summary):
    return {k: getattr(summary, k) for k in TOLD}


def _person(pid):
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": "Chan Dara"}}


async def test_a_guessed_person_said_by_a_second_source_of_the_agency_is_told_alike(empty_store):
    await _victim(empty_store)
    told = {pid: [_told(await _load_as(empty_store, feed, [_person(pid)])) for feed in FEEDS]
            for pid in ("per-vic-9", "per-vic-1")}
    assert told["per-vic-1"] == told["per-vic-9"]
    assert [t["nodes_created"] for t in told["per-vic-1"]] == [1, 0]


async def test_a_guessed_passport_said_by_a_second_source_of_the_agency_is_told_alike(empty_store):
    await _victim(empty_store)
    await _load_as(empty_store, f"graphql:{AGENCY}", _document("AA1234567"), blind=False)  # an officer's
    told = {n: [_told(await _load_as(empty_store, feed, _document(n)[:1])) for feed in FEEDS]
            for n in ("BB7654321", "AA1234567")}
    assert told["AA1234567"] == told["BB7654321"]
    assert [t["nodes_created"] for t in told["AA1234567"]] == [1, 0]


async def test_a_diverted_link_said_by_a_second_source_of_the_agency_is_told_alike(empty_store):
    await _victims_quarantined_phone(empty_store)
    told = {}
    for phone in (FAKE, PHONE):
        records = _holder_and_link(phone, f"per-q-{phone[6:]}")
        told[phone] = [_told(await _load_as(empty_store, feed, records)) for feed in FEEDS]
    assert told[PHONE] == told[FAKE]
    assert [(t["relationships_created"], t["relationships_updated"]) for t in told[PHONE]] == [(1, 0), (0, 1)]


async def test_what_blind_loads_were_told_holds_one_entry_per_agency_however_many_sources(empty_store):
    await _victim(empty_store)
    for i in range(5):
        await _load_as(empty_store, f"feed-{i}@{AGENCY}", [_person("per-vic-1")])
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-vic-1"]})
    assert row["props"]["blindSaid"] == [AGENCY]


def _deleting(pid, source):
    return Records(NodeRecord("Person", pid, {}, Origin(source, "d.csv", 1), op="delete"))


async def test_a_del_by_one_source_of_a_guess_two_sources_said_is_told_alike(empty_store):
    # the wrong guess's item stays for the other source: retracted, not deleted; then gone
    await _victim(empty_store)
    told = {}
    for pid in ("per-vic-9", "per-vic-1"):
        for feed in FEEDS:
            await _load_as(empty_store, feed, [_person(pid)])
        told[pid] = []
        for feed in FEEDS:
            done = await run_load(empty_store, _deleting(pid, feed), source=feed, viewer=AGENCY, victim_blind=True,
                                  provenance=Provenance(AGENCY, "GREEN", (), "2026-05-01T00:00:00Z"))
            told[pid].append((done.nodes_deleted, done.nodes_retracted))
        told[pid].append(_told(await _load_as(empty_store, FEEDS[0], [_person(pid)]))["nodes_created"])
    assert told["per-vic-1"] == told["per-vic-9"] == [(0, 1), (1, 0), 1]


async def test_a_replace_by_one_source_leaves_a_guess_another_source_said_told_alike(empty_store):
    await _victim(empty_store)
    told = {}
    for pid in ("per-vic-9", "per-vic-1"):
        await _load_as(empty_store, FEEDS[1], [_person(pid)])  # feed-b's guess
        await _load_as(empty_store, FEEDS[0], [_person(f"per-own-{pid}")], replace=True)  # feed-a's replace
        told[pid] = _told(await _load_as(empty_store, FEEDS[1], [_person(pid)]))
    assert told["per-vic-1"] == told["per-vic-9"]
    assert (told["per-vic-1"]["nodes_created"], told["per-vic-1"]["nodes_unchanged"]) == (0, 1)
