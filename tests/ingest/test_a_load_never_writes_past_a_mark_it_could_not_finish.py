"""A load that cannot finish a killed DEL's pending mark stops before it writes past it.

Attack round 39a, 1: the mark's finish lost one write reply (StoreUnavailable); the writer logged it
and went on to write Anna again, and the next, unrelated load finished the stale mark and deleted
her statements and her node. Now that load fails (``PendingRetractionUnfinished``, the mark kept),
and its rerun finishes the mark before it asserts her again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import node_props
from store_kills import die_after

from graphapi.errors import public_error
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.store.errors import PendingRetractionUnfinished, StoreUnavailable

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
ANNA = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
ANNA_AGAIN = {**ANNA, "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
OTTO = {"id": "p-2", "schema": "Person", "properties": {"name": ["Otto Weber"]}}


async def _load(store, tmp_path: Path, name: str, *lines: dict):
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source="ftm"), source="ftm", provenance=PROV)


async def _killed_del(store, tmp_path: Path, monkeypatch) -> None:
    """Anna loaded, then her DEL killed straight after its statements went (its mark left pending)."""
    await store.clear()
    await _load(store, tmp_path, "t1.json", ANNA)
    with monkeypatch.context() as m:
        die_after(store, m, lambda name: name == "provenance/retract_statements")
        with pytest.raises(OSError):
            await _load(store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": ANNA})
    assert len(await store.read("ingest/pending_retractions", {})) == 1


async def _load_losing_the_finishs_reply(store, tmp_path: Path, monkeypatch) -> list[str]:
    """Load Anna again while the mark's finish loses the reply to its first write."""
    write, lost = store.write, []

    async def reply_lost_once(name, *args, **kwargs):
        rows = await write(name, *args, **kwargs)
        if name == "provenance/retract_statements" and not lost:
            lost.append(name)
            raise StoreUnavailable("the reply to a write was lost, so it may or may not have run")
        return rows

    with monkeypatch.context() as m:
        m.setattr(store, "write", reply_lost_once)
        await _load(store, tmp_path, "t3.json", ANNA_AGAIN)
    return lost


async def test_a_load_that_cannot_finish_a_pending_mark_fails_and_keeps_the_mark(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _killed_del(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished) as failed:
        await _load_losing_the_finishs_reply(store, tmp_path, monkeypatch)
    assert isinstance(failed.value.__cause__, StoreUnavailable)
    assert len(await store.read("ingest/pending_retractions", {})) == 1
    assert "nationality" not in await node_props(store, "p-1")  # nothing of the load written past it
    code, message = public_error(failed.value)
    assert code == "SERVICE_UNAVAILABLE"
    assert message.endswith("run it again")


async def test_the_rerun_finishes_the_mark_first_so_a_later_load_keeps_her(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _killed_del(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished):
        await _load_losing_the_finishs_reply(store, tmp_path, monkeypatch)
    rerun = await _load(store, tmp_path, "t3.json", ANNA_AGAIN)
    assert (rerun.rows_read, rerun.rows_loaded, rerun.rows_rejected) == (1, 1, 0)
    assert await store.read("ingest/pending_retractions", {}) == []
    await _load(store, tmp_path, "t4.json", OTTO)  # an unrelated load: nothing stale left to finish
    anna = await node_props(store, "p-1")
    assert (anna.get("name"), anna.get("nationality")) == ("Anna Schmidt", ["DE"])
