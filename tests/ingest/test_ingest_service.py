"""Ingest service: GraphQL-sized record batches and polled file load jobs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.records import Rejection
from graphapi.ingest.service import LoadJobs, build_records, ingest_records

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

REPO = Path(__file__).resolve().parents[2]
BATCH = [
    {"kind": "node", "label": "Phone", "properties": {"number": "081 234 5678"}, "hints": {"country": "TH"},
     "key": "a"},
    {"kind": "node", "label": "Phone", "properties": {"number": "+855 12 345 678"}, "key": "b"},
    {"kind": "relationship", "type": "CALLED", "from": "a", "to": "b", "discriminator": "c1",
     "properties": {"at": "2026-03-01T10:00:00+07:00", "durationS": "30"}},
    {"kind": "node", "label": "Phone", "properties": {"number": "N/A"}},
    {"kind": "node", "label": "Person", "properties": {"name": "X", "colour": "red"}, "id": "p1"},
]


def test_service_build_records_validates_with_ontology_types() -> None:
    items, ids = build_records(BATCH, "partner-x")
    assert ids[1] == "phone:+66812345678" and ids[2] == "phone:+85512345678"
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [r.line for r in rejections] == [4, 5]
    edge = items[2]
    assert edge.properties == {"at": "2026-03-01T03:00:00", "durationS": 30}


async def test_service_ingest_records_writes_with_owner(backend_empty_store) -> None:
    result = await ingest_records(backend_empty_store, BATCH, source="partner-x", owner="TH-DSI", tlp="AMBER")
    assert result.accepted == 3 and len(result.rejected) == 2
    assert await graph_counts(backend_empty_store) == (2, 1)
    p = await node_props(backend_empty_store, "phone:+66812345678")
    assert p["owner"] == "TH-DSI" and p["sources"] == ["partner-x"]


def _crossing(at: str, direction: str, **extra) -> dict:
    return {"kind": "relationship", "type": "CROSSED", "from": "per-traveller", "to": "checkpoint-aranya",
            "properties": {"at": at, "direction": direction}, **extra}


def test_service_two_crossings_without_a_discriminator_are_two_relationships() -> None:
    _, ids = build_records([_crossing("2026-03-01T08:00:00Z", "exit"), _crossing("2026-03-04T17:30:00Z", "entry"),
                            _crossing("2026-03-01T08:00:00Z", "entry")], "partner-x")
    assert len({ids[1], ids[2], ids[3]}) == 3


def test_service_the_same_crossing_sent_again_keeps_its_id() -> None:
    _, first = build_records([_crossing("2026-03-01T15:00:00+07:00", "exit")], "partner-x")
    _, again = build_records([_crossing("2026-03-01T08:00:00Z", "exit")], "partner-y")  # the same instant
    assert first[1] == again[1]


def test_service_transfers_and_calls_without_a_discriminator_differ_by_their_values() -> None:
    def transfer(amount: str) -> dict:
        return {"kind": "relationship", "type": "TRANSFERRED_TO", "from": "acc-1", "to": "acc-2",
                "properties": {"at": "2026-03-01T08:00:00Z", "amount": amount, "currency": "USD"}}

    def call(at: str) -> dict:
        return {"kind": "relationship", "type": "CALLED", "from": "phone:+66812345678",
                "to": "phone:+85512345678", "properties": {"at": at}}

    _, ids = build_records([transfer("100"), transfer("250"), call("2026-03-01T08:00:00Z"),
                            call("2026-03-01T09:00:00Z")], "partner-x")
    assert ids[1] != ids[2] and ids[3] != ids[4]


def test_service_a_discriminator_or_record_id_still_names_the_event() -> None:
    _, ids = build_records([_crossing("2026-03-01T08:00:00Z", "exit", discriminator="x-1"),
                            _crossing("2026-03-02T08:00:00Z", "entry", discriminator="x-1"),
                            {**_crossing("2026-03-01T08:00:00Z", "exit"),
                             "properties": {"at": "2026-03-01T08:00:00Z", "direction": "exit", "recordId": "r-9"}},
                            {**_crossing("2026-03-05T08:00:00Z", "entry"),
                             "properties": {"at": "2026-03-05T08:00:00Z", "direction": "entry", "recordId": "r-9"}}],
                           "partner-x")
    assert ids[1] == ids[2] and ids[3] == ids[4] and ids[1] != ids[3]


def test_service_a_plain_fact_sent_twice_merges() -> None:
    rel = {"kind": "relationship", "type": "USES_PHONE", "from": "per-a", "to": "phone:+66812345678",
           "properties": {"from": "2025"}}
    _, ids = build_records([rel, {**rel, "properties": {"from": "2024"}}], "partner-x")
    assert ids[1] == ids[2]


async def test_service_two_crossings_without_a_discriminator_are_both_stored(empty_store) -> None:
    batch = [{"kind": "node", "label": "Person", "id": "per-traveller", "properties": {"name": "T"}},
             {"kind": "node", "label": "BorderCheckpoint", "id": "checkpoint-aranya", "properties": {"name": "Aranya"}},
             _crossing("2026-03-01T08:00:00Z", "exit"), _crossing("2026-03-04T17:30:00Z", "entry")]
    result = await ingest_records(empty_store, batch, source="partner-x", owner="TH-IMM", tlp="AMBER")
    assert result.rejected == [] and result.accepted == 4
    assert await graph_counts(empty_store) == (2, 2)


async def test_service_load_job_can_be_polled(empty_store) -> None:
    jobs = LoadJobs()
    job = jobs.start(empty_store, "csv", [REPO / "seed/samples/crossings.synthetic.csv"], owner="TH-IMM",
                     mapping="crossings")
    assert jobs.get(job.id) is job
    await asyncio.wait_for(job.task, 120)
    view = jobs.get(job.id).as_dict()
    assert view["state"] == "done" and view["summary"]["rows_read"] == 400


async def test_service_load_jobs_evict_the_oldest_finished_job_with_its_directory(tmp_path) -> None:
    jobs = LoadJobs(keep=1, grace_s=0)  # the count alone (the grace: tests/api/test_load_jobs_kept_grace.py)
    feed = REPO / "seed/samples/crossings.synthetic.csv"
    dirs = [tmp_path / "one", tmp_path / "two"]
    started = []
    for d in dirs:
        (d / "files").mkdir(parents=True)
        started.append(jobs.start(None, "csv", [feed], owner="TH-IMM", mapping="crossings", dry_run=True,
                                  directory=d, inputs=d / "files", reject_report=d / "rejects.jsonl"))
        await asyncio.wait_for(started[-1].task, 120)
    assert jobs.get(started[0].id) is None and not dirs[0].exists()
    assert jobs.get(started[1].id) is started[1]
    assert sorted(p.name for p in dirs[1].iterdir()) == ["job.json", "rejects.jsonl"]  # its status, for other workers
    assert len(started[0].id) == 32 and started[0].id != started[1].id
