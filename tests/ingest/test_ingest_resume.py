"""Resumability: a load that dies mid-way (kill -9 or a store failure) and is run again ends with
the same graph as one clean load; re-running a finished load changes no count."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

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


def _calls_written(data_dir: Path, graph: str) -> int | None:
    """CALLED relationships in ``graph`` of the embedded server of ``data_dir`` (one per CDR row);
    None while no server answers or the graph does not exist yet."""
    try:
        socket = json.loads((data_dir / "server.json").read_text())["socket"]
        with Redis(unix_socket_path=socket, socket_timeout=10) as client:
            reply = client.execute_command("GRAPH.RO_QUERY", graph, "MATCH ()-[r:CALLED]->() RETURN count(r)")
    except (OSError, ValueError, KeyError, RedisError):
        return None
    return int(reply[1][0][0])


@pytest.mark.skipif(sys.platform != "linux", reason="kill -9 of a child process")
def test_resume_after_kill_9_of_the_cli(tmp_path: Path) -> None:
    """A real ``kill -9`` of ``lintas load csv`` once its first calls are written, then the same
    command again: the second run writes the rest, the third nothing."""
    rows, data = 6000, tmp_path / "data"
    feed = generate_feed("cdr", rows, tmp_path / "cdr.csv", seed=3)
    env = {**os.environ, "LINTAS_DATA_DIR": str(data), "LINTAS_GRAPH": "resume"}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-c", "from graphapi.cli import app; app()", "load", "csv", "--mapping", "cdr",
           str(feed), "--batch-size", "500", "--json", "--rejects", str(tmp_path / "r.jsonl")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300  # a hung load fails here, not the kill's timing
    while not (_calls_written(data, "resume") or 0) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, "the load ended before the kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # the embedded server outlives its killed client: the graph holds part of the calls
    assert 0 < _calls_written(data, "resume") < rows
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0

    second = json.loads(again.stdout[again.stdout.index("{"):])
    assert second["nodes_created"] == 0 and second["relationships_created"] == 0
    first = json.loads(done.stdout[done.stdout.index("{"):])
    assert first["rows_read"] == second["rows_read"] == rows
    assert first["relationships_created"] > 0  # the rest of the calls
