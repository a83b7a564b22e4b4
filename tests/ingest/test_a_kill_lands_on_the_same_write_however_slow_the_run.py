"""A kill test kills a run straight after the same write of its own however slow the run is.

The kill tests (tests/store_kills.py) number a run's writes and kill a second run after its n-th.
A writer's lease renews itself on a timer (every LEASE_S / 3 of a turn, graphapi/ingest/write_lease.py),
so a run slow enough (a loaded machine) made a renewal or more that the other did not: the n-th
write was another, and a kill landing on the lease's release, done and then "killed", ended in
WriteLeaseLost where the test expected the kill's OSError (seen on Neo4j under a load of 16 on 2
cores). The lease's own writes now neither count nor die. Here the lease lasts 30 ms and so renews
every 10 ms, many times in a run, as a slow run's would.
"""

import json

import pytest
from store_kills import die_after_nth_write

from graphapi.ingest import write_lease
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
P = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "phone": ["+66 81 234 5678"]}}


async def _load(store, tmp_path):
    f = tmp_path / "a.ftm.json"
    f.write_text(json.dumps(P) + "\n", encoding="utf-8")
    return await run_load(store, FtmReader([f], source="ftm"), source="ftm",
                          provenance=Provenance("TH-DSI", "GREEN", (), "2026-01-01T00:00:00Z"))


async def _writes(store, tmp_path, monkeypatch, n: int = 0) -> list[str]:
    await store.clear()
    with monkeypatch.context() as m:
        seen = die_after_nth_write(store, m, n)
        if n:
            with pytest.raises(OSError):
                await _load(store, tmp_path)
        else:
            await _load(store, tmp_path)
    return seen


async def test_a_run_whose_lease_renews_all_along_counts_the_same_writes(empty_store, tmp_path, monkeypatch):
    want = await _writes(empty_store, tmp_path, monkeypatch)
    monkeypatch.setattr(write_lease, "LEASE_S", 0.03)  # a renewal every 10 ms
    assert await _writes(empty_store, tmp_path, monkeypatch) == want


async def test_a_run_whose_lease_renews_all_along_dies_after_each_write_of_its_own(empty_store, tmp_path, monkeypatch):
    want = await _writes(empty_store, tmp_path, monkeypatch)
    monkeypatch.setattr(write_lease, "LEASE_S", 0.03)
    died = [(await _writes(empty_store, tmp_path, monkeypatch, n))[-1] for n in range(1, len(want) + 1)]
    assert died == want
