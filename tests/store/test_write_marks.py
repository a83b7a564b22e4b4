"""A process writing to the embedded store holds a write mark the search queue sees (round 30a M1:
FalkorDB's write lock waits for running reads, so a load waited behind every broad search)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.store.write_marks import QUEUE_FOLDER, WriteMark, writes_waiting

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_write_is_waiting_while_its_mark_is_held(tmp_path):
    mark = WriteMark(tmp_path)
    with mark.writing():
        assert writes_waiting(tmp_path)


async def test_the_mark_outlives_the_last_write_by_its_linger_then_goes(tmp_path):
    mark = WriteMark(tmp_path, linger_s=0.05)
    with mark.writing():
        pass
    assert writes_waiting(tmp_path)  # the load prepares its next batch
    await asyncio.sleep(0.2)
    assert not writes_waiting(tmp_path) and not list(tmp_path.iterdir())


async def test_a_write_within_the_linger_keeps_the_one_mark(tmp_path):
    mark = WriteMark(tmp_path, linger_s=0.1)
    with mark.writing():
        pass
    first = list(tmp_path.iterdir())
    await asyncio.sleep(0.05)
    with mark.writing():
        pass
    await asyncio.sleep(0.07)  # past the first write's linger, within the second's
    assert writes_waiting(tmp_path) and list(tmp_path.iterdir()) == first


async def test_a_mark_dropped_before_its_linger_ends_goes_at_once(tmp_path):
    mark = WriteMark(tmp_path, linger_s=60)
    with mark.writing():
        pass
    mark.drop()  # as the store's close does
    assert not writes_waiting(tmp_path)


async def test_no_write_is_waiting_in_a_folder_not_made_yet(tmp_path):
    assert not writes_waiting(tmp_path / "missing")


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from graphapi.store.write_marks import WriteMark

    mark = WriteMark(Path(sys.argv[1]))
    with mark.writing():
        print("writing", flush=True)
        time.sleep(600)
""")


async def test_a_killed_writers_mark_holds_nothing_and_is_removed(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        assert writes_waiting(tmp_path)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    assert not writes_waiting(tmp_path) and not list(tmp_path.iterdir())


async def test_an_embedded_store_write_holds_the_mark_in_the_search_queues_folder(embedded_store):
    folder = embedded_store.data_dir / QUEUE_FOLDER
    await write_records(embedded_store, [NodeRecord("Person", "wm-1", {"name": "Marked Writer"})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="th")
    assert writes_waiting(folder)  # within the linger after the load's last statement
    await asyncio.sleep(1.0)
    assert not writes_waiting(folder)


async def test_an_embedded_store_read_holds_no_mark(embedded_store):
    folder = embedded_store.data_dir / QUEUE_FOLDER
    await asyncio.sleep(0.6)  # any earlier write's linger
    await embedded_store.read("admin/snapshot")
    assert not writes_waiting(folder)
