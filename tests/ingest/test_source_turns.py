"""One load of a source at a time (:mod:`graphapi.ingest.source_turns`): two ``--replace`` loads
of one source at once interleaved their batches, and each one's closing retraction took back what
the other had written, both reporting every row loaded (attack round 16, N7). Now the second
waits for the first, says so, and the graph holds the file of the load that ran last, whole. On
both backends."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from graphapi.ingest import write_lease
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.source_turns import source_turn
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")


def _people(tmp_path: Path, name: str, numbers: range) -> FtmReader:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps({"id": f"per-{n}", "schema": "Person", "properties": {"name": [f"P {n}"]}})
                              for n in numbers) + "\n", encoding="utf-8")
    return FtmReader([path], source="kh-export")


async def _people_stored(store) -> set[str]:
    params = {"source": "kh-export", "agency": "kh-export", "owner": "public", "scoped": False}
    rows = await store.read("ingest/source_node_ids", params)
    return {str(r["id"]) for r in rows}


async def test_two_replace_loads_of_one_source_at_once_leave_the_later_ones_file_whole(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    whole, slice_ = range(0, 60), range(100, 110)
    first, second = await asyncio.gather(
        run_load(any_store, _people(tmp_path, "whole.json", whole), source="kh-export", provenance=PUBLIC,
                 replace=True, batch_size=5),
        run_load(any_store, _people(tmp_path, "slice.json", slice_), source="kh-export", provenance=PUBLIC,
                 replace=True, batch_size=5))
    assert (first.rows_loaded, second.rows_loaded) == (60, 10)
    # whichever took the source's turn first, the other waited: one file whole, never a mix
    assert await _people_stored(any_store) in ({f"per-{n}" for n in whole}, {f"per-{n}" for n in slice_})


async def test_a_load_waits_for_another_load_of_its_source_and_says_so(
        any_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    await any_store.clear()
    monkeypatch.setattr(write_lease, "SAY_WAITING_S", 0.01)
    caplog.set_level(logging.WARNING, logger="graphapi.ingest.write_lease")
    async with source_turn(any_store, "kh-export", "public"):
        load = asyncio.ensure_future(run_load(any_store, _people(tmp_path, "p.json", range(3)), source="kh-export",
                                              provenance=PUBLIC))
        for _ in range(1_200):  # a minute at most
            if "waiting for another load of source 'kh-export' (public)" in caplog.text:
                break
            assert not load.done()
            await asyncio.sleep(0.05)
        assert "waiting for another load of source 'kh-export' (public)" in caplog.text
        assert await _people_stored(any_store) == set()
    assert (await load).rows_loaded == 3
    assert await _people_stored(any_store) == {"per-0", "per-1", "per-2"}


async def test_loads_of_one_source_name_by_two_owners_do_not_wait_for_each_other(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    async with source_turn(any_store, "kh-export", "KH-NP"):
        summary = await asyncio.wait_for(run_load(any_store, _people(tmp_path, "p.json", range(2)),
                                                  source="kh-export", provenance=PUBLIC), timeout=120)
    assert summary.rows_loaded == 2


async def test_a_load_of_a_source_named_past_an_ids_length_keeps_the_store_up(backend_empty_store, tmp_path):
    # attack round a-84, 13: its turn's lease id (load:<owner>:<source>) past 4,096 bytes killed
    # the embedded FalkorDB in the lease index; the entry points check names, run_load did not
    source = "feed-" + "L" * 4_500
    reader = _people(tmp_path, "long.json", range(2))
    reader.source = source
    summary = await run_load(backend_empty_store, reader, source=source, provenance=PUBLIC)
    assert (summary.rows_read, summary.rows_loaded) == (2, 2)
    assert await backend_empty_store.read("ingest/existing_node_ids", {"ids": ["per-0", "per-1"]})
