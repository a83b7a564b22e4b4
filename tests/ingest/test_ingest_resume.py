"""Resumability: a load that dies mid-way (kill -9 or a store failure) and is run again ends with
the same graph as one clean load; re-running a finished load changes no count."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.synthetic import generate_feed
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

PROV = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-03-01T00:00:00")
#: The real OFAC subset as shipped in seed/ (a copy of ../shared/data/ofac), so this runs in any clone.
SEED_OFAC = Path(__file__).resolve().parents[2] / "seed" / "ofac"


async def _fingerprint(store) -> tuple[list, list]:
    nodes = sorted((r["id"], r["caption"]) for r in await store.read("ingest/node_ids"))
    rels = sorted((r["id"], r["type"]) for r in await store.read("ingest/relationship_ids"))
    return nodes, rels


class _Crash(RuntimeError):
    pass


class _DyingStore:
    """Delegates to a real store and fails (like a killed process) after ``writes`` batches."""

    def __init__(self, store, writes: int) -> None:
        self._store, self._left = store, writes

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write_batches(self, name, rows, batch_size=5000, **ph):
        self._left -= 1
        if self._left < 0:
            raise _Crash("killed")
        return await self._store.write_batches(name, rows, batch_size, **ph)


def _reader(path: Path) -> MappedCsvReader:
    return MappedCsvReader(load_mapping("cdr"), [path])


async def test_resume_after_crash_converges_to_clean_load(empty_store, tmp_path: Path) -> None:
    feed = generate_feed("cdr", 600, tmp_path / "cdr.csv", seed=11)  # 3 batches, 27 writes: dies after 7
    await run_load(empty_store, _reader(feed), source="cdr", provenance=PROV, batch_size=200)
    clean = await _fingerprint(empty_store)
    await empty_store.clear()
    with pytest.raises(_Crash):
        await run_load(_DyingStore(empty_store, 7), _reader(feed), source="cdr", provenance=PROV, batch_size=200)
    partial = await _fingerprint(empty_store)
    assert 0 < len(partial[0]) < len(clean[0]) or 0 < len(partial[1]) < len(clean[1])
    await run_load(empty_store, _reader(feed), source="cdr", provenance=PROV, batch_size=200)
    assert await _fingerprint(empty_store) == clean
    again = await run_load(empty_store, _reader(feed), source="cdr", provenance=PROV, batch_size=200)
    assert again.nodes_created == again.relationships_created == 0
    assert await _fingerprint(empty_store) == clean


async def test_resume_rerun_of_ofac_changes_nothing(backend_empty_store) -> None:
    sdn, add = SEED_OFAC / "sdn_sea_scam_subset.csv", SEED_OFAC / "add_sea_scam_subset.csv"
    for _ in range(2):
        await run_load(backend_empty_store, OfacReader(sdn, add), source="ofac-sdn", provenance=PROV, batch_size=64)
        if _ == 0:
            first = await _fingerprint(backend_empty_store)
    assert await _fingerprint(backend_empty_store) == first


@pytest.mark.skipif(sys.platform != "linux", reason="kill -9 of a child process")
def test_resume_after_kill_9_of_the_cli(tmp_path: Path) -> None:
    """A real ``kill -9`` of ``lintas load csv`` mid-run, then the same command again."""
    feed = generate_feed("cdr", 6000, tmp_path / "cdr.csv", seed=3)
    env = {**os.environ, "LINTAS_DATA_DIR": str(tmp_path / "data"), "LINTAS_GRAPH": "resume"}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-c", "from graphapi.cli import app; app()", "load", "csv", "--mapping", "cdr",
           str(feed), "--batch-size", "500", "--json", "--rejects", str(tmp_path / "r.jsonl")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not (tmp_path / "data" / "server.json").exists():
        time.sleep(0.2)
    time.sleep(3)  # server up, some batches written
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0
    import json

    second = json.loads(again.stdout[again.stdout.index("{"):])
    assert second["nodes_created"] == 0 and second["relationships_created"] == 0
    first = json.loads(done.stdout[done.stdout.index("{"):])
    assert first["rows_read"] == second["rows_read"] == 6000
