"""A whole-source replace marks pending a rebuild only the items whose statements it changes.

Attack round 44a, 4: the replace marked every item its source had a statement on (``touched``
was filled before an unchanged statement was skipped). The public feed's replace that changed one
name of Anna, killed after its mark and stuck, marked the unchanged bank o-9 too; a rebuild mark
stops every load naming its items, so TH-DSI's Membership of its own person in o-9 stopped until
an operator dropped the mark: every agency naming any item of the feed was stopped. Now the mark
names the items whose statements go or lose values; the others' values are as their statements
give them already, and the replace's rerun rebuilds them all, so a replace killed at any write,
finished and run again leaves the graph its uninterrupted run leaves (with TH-DSI's link loaded
past the stuck mark: the graph the two loads leave one after the other).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import node_props
from replayed_setup import replayed_scene
from store_kills import converges_after_each_kill, die_after_nth_write, killed_after_write, whole_graph
from test_a_stuck_mark_stops_only_the_writes_its_finish_would_undo import PUBLIC, TH, _load, _poison

from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.store.errors import PendingRetractionUnfinished

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]
SOURCE = "opensanctions"
ANNA = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
ANNA_2 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt-Lee"]}}
BANK = {"id": "o-9", "schema": "Organization", "properties": {"name": ["Bank of Asia"]}}
OTTO = {"id": "p-2", "schema": "Person", "properties": {"name": ["Otto Weber"]}}
# the feed's link of Otto and the bank: its role dropped by the replace (said again, with no value)
OTTOS_SEAT = {"id": "pm-2", "schema": "Membership",
              "properties": {"member": ["p-2"], "organization": ["o-9"], "role": ["owner"]}}
OTTOS_SEAT_2 = {**OTTOS_SEAT, "properties": {"member": ["p-2"], "organization": ["o-9"]}}
NIRAN = {"id": "th-7", "schema": "Person", "properties": {"name": ["Niran Chai"]}}
TH_LINK = {"id": "th-m7", "schema": "Membership",
           "properties": {"member": ["th-7"], "organization": ["o-9"], "role": ["director"]}}
TH_LINK_TO_ANNA = {"id": "th-m8", "schema": "Membership",
                   "properties": {"member": ["th-7"], "organization": ["p-1"], "role": ["advisor"]}}


async def _replace(store, tmp_path: Path):
    """The feed's replace: Anna renamed, Otto's seat without its role, the bank and Otto as they were."""
    path = tmp_path / "pub2.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in (ANNA_2, BANK, OTTO, OTTOS_SEAT_2)), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=SOURCE), source=SOURCE, provenance=PUBLIC, replace=True)


async def _start(store, tmp_path: Path) -> None:
    """The public feed's load (made once per store, then replayed: tests/replayed_setup.py)."""
    async def load():
        await store.clear()
        await _load(store, tmp_path, "pub1.json", PUBLIC, SOURCE, ANNA, BANK, OTTO, OTTOS_SEAT)

    await replayed_scene(store, "stuck_replace:start", load)()


async def _stuck_replace(store, tmp_path: Path, monkeypatch) -> None:
    """The replace killed straight after its statements' delete (its marks made, values not yet
    rebuilt); their finish then fails."""
    await _start(store, tmp_path)
    await killed_after_write(store, monkeypatch, "provenance/delete_statements", lambda: _replace(store, tmp_path))
    _poison(monkeypatch)


async def _ottos_seat(store) -> dict:
    (row,) = await store.read("admin/snapshot")
    [seat] = [r["props"] for r in row["relationships"] if r.get("type") == "MEMBER_OF" and r["from"] == "p-2"]
    return seat


async def _th_loads(store, tmp_path: Path, *lines: dict):
    return await _load(store, tmp_path, "th.json", TH, "th-cases", NIRAN, *lines)


async def test_a_replace_marks_only_the_items_whose_statements_it_changes(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_replace(store, tmp_path, monkeypatch)
    marks = await store.read("ingest/pending_retractions", {})
    seat = await _ottos_seat(store)
    assert sorted((m["type"], m["source"], m["owner"], m["ids"], m["said"]) for m in marks) == [
        ("", "", "public", ["p-1"], []), ("MEMBER_OF", "", "public", [seat["id"]], [seat["id"]])]


async def test_another_agencys_link_to_an_item_the_stuck_replace_did_not_change_loads(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_replace(store, tmp_path, monkeypatch)
    summary = await _th_loads(store, tmp_path, TH_LINK)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 2, 0)


async def test_another_agencys_link_to_the_item_the_stuck_replace_changed_still_stops(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_replace(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished, match="a rebuild of public"):
        await _th_loads(store, tmp_path, TH_LINK_TO_ANNA)
    assert await node_props(store, "th-7") == {}


async def test_a_replace_that_changes_nothing_leaves_no_mark(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _start(store, tmp_path)
    with monkeypatch.context() as m:
        writes = die_after_nth_write(store, m, 0)
        path = tmp_path / "same.json"
        path.write_text("".join(json.dumps(e) + "\n" for e in (ANNA, BANK, OTTO, OTTOS_SEAT)), encoding="utf-8")
        await run_load(store, FtmReader([path], source=SOURCE), source=SOURCE, provenance=PUBLIC, replace=True)
    assert "ingest/mark_rebuild" not in writes


async def test_a_replace_killed_at_any_write_and_run_again_leaves_the_uninterrupted_graph(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    writes = await converges_after_each_kill(store, monkeypatch, lambda: _start(store, tmp_path),
                                             lambda: _replace(store, tmp_path), lambda: whole_graph(store))
    assert "ingest/mark_rebuild" in writes and "provenance/write_statements" in writes
    assert (await node_props(store, "p-1"))["name"] == "Anna Schmidt-Lee"
    assert "role" not in (await _ottos_seat(store))


async def _in_turn(store, tmp_path: Path, replace_first: bool):
    await _start(store, tmp_path)
    if not replace_first:
        await _th_loads(store, tmp_path, TH_LINK)
    await _replace(store, tmp_path)
    if replace_first:
        await _th_loads(store, tmp_path, TH_LINK)
    return await whole_graph(store)


async def test_a_replace_killed_at_any_write_with_another_agencys_link_loaded_past_its_mark_ends_as_the_two_in_turn(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    replace_first = await _in_turn(store, tmp_path, True)
    th_first = await _in_turn(store, tmp_path, False)
    await _start(store, tmp_path)
    with monkeypatch.context() as m:
        writes = die_after_nth_write(store, m, 0)
        await _replace(store, tmp_path)
    ends = []
    for n in range(1, len(writes) + 1):
        await _start(store, tmp_path)
        with monkeypatch.context() as m:
            die_after_nth_write(store, m, n)
            with pytest.raises(OSError):
                await _replace(store, tmp_path)
        marked = bool(await store.read("ingest/pending_retractions", {}))
        with monkeypatch.context() as m:
            _poison(m)  # a mark left stands, stuck, while TH-DSI loads
            assert (n, (await _th_loads(store, tmp_path, TH_LINK)).rows_loaded) == (n, 2)
        assert (await finish_pending_now(store) > 0) == marked
        await _replace(store, tmp_path)  # its rerun
        got = await whole_graph(store)
        ends.append((writes[n - 1], "replace first" if got == replace_first else "th first" if got == th_first
                     else "neither"))
    assert any(name == "ingest/mark_rebuild" for name, _ in ends), ends
    assert all(end != "neither" for _, end in ends), ends
