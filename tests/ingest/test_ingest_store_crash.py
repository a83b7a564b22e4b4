"""The embedded store's server killed with ``kill -9`` early, in the middle of and late in a load:
the store restarts it from its files, and the load run again ends with exactly the graph of a
load that never crashed (the server may lose its last second of writes: ``appendfsync
everysec``; a rerun's MERGEs put them back)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.synthetic import generate_feed
from graphapi.ingest.writer import Provenance
from graphapi.store import embedded_server
from graphapi.store.falkordb import EmbeddedStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

PROV = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-03-01T00:00:00")


async def _fingerprint(store) -> tuple[list, list]:
    nodes = sorted((r["id"], r["caption"]) for r in await store.read("ingest/node_ids"))
    rels = sorted((r["id"], r["type"]) for r in await store.read("ingest/relationship_ids"))
    return nodes, rels


def _threads(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


class _ServerKiller:
    """Delegates to a real embedded store; ``kill -9`` its server before batch write ``at``."""

    def __init__(self, store: EmbeddedStore, at: int | None) -> None:
        self._store, self.at, self.writes, self.killed = store, at, 0, []

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write_batches(self, name, rows, batch_size=5000, **kwargs):
        if self.writes == self.at:
            pid = self._store.server.pid
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10  # safety limit; dies in milliseconds
            while embedded_server.pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.01)
            # and its threads gone (the last one closes its connections): a write sent before then is
            # answered by a reset, as a lost reply, and fails rather than run twice (attack round 37)
            while _threads(pid) > 1 and time.monotonic() < deadline:
                time.sleep(0.01)
            self.killed.append(pid)
        self.writes += 1
        return await self._store.write_batches(name, rows, batch_size, **kwargs)


def _reader(path: Path) -> MappedCsvReader:
    return MappedCsvReader(load_mapping("cdr"), [path])


@pytest.fixture
async def crash_store(tmp_path):
    store = await EmbeddedStore.open(tmp_path / "data", graph="crash")
    await store.init_schema()
    yield store
    await store.close()


@pytest.mark.parametrize("when", ["early", "middle", "late"])
async def test_load_after_the_store_was_killed_converges_to_the_uncrashed_graph(crash_store, tmp_path, when):
    feed = generate_feed("cdr", 1200, tmp_path / "cdr.csv", seed=5)
    counting = _ServerKiller(crash_store, None)
    await run_load(counting, _reader(feed), source="cdr", provenance=PROV, batch_size=150)
    clean = await _fingerprint(crash_store)
    await crash_store.clear()

    at = {"early": 1, "middle": counting.writes // 2, "late": counting.writes - 1}[when]
    killer = _ServerKiller(crash_store, at)
    await run_load(killer, _reader(feed), source="cdr", provenance=PROV, batch_size=150)
    (dead,) = killer.killed
    assert not embedded_server.pid_alive(dead) and crash_store.server.pid != dead  # restarted from its files

    await run_load(crash_store, _reader(feed), source="cdr", provenance=PROV, batch_size=150)
    assert await _fingerprint(crash_store) == clean
