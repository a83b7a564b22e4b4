"""An owner's narrowing MOD killed after any write converges once rerun (issue 10, kill -9).

KH-NP's RED MOD of its GREEN p-1 (or of its GREEN Membership) writes its narrower statement, then
narrows the item to it (graphapi.ingest.relevel.narrow_to_owner). Killed between the two, p-1 was
left GREEN with no name and no sources, and the rerun was refused "would disclose: your record is
RED but p-1 is GREEN": nothing finished it. The MOD now marks the items it narrows before it writes
their statements, as a whole-source replace does; the rerun, any next load or a worker's start
finishes the mark, so the rerun ends in exactly the graph an uninterrupted MOD makes."""

import json

import pytest
from store_kills import converges_after_each_kill, die_after, whole_graph

from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Lee"]}}
O1 = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Orchid Co"]}}
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"],
                                                          "role": ["clerk"]}}
#: what KH-NP loads GREEN first, and what its RED MOD says again
CASES = {"node": ([P1], [P1]), "membership": ([P1, O1, M1], [M1])}


async def _load(store, tmp_path, name, tlp, docs):
    f = tmp_path / name
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return await run_load(store, FtmReader([f], source="kh"), source="kh", viewer="KH-NP",
                          provenance=Provenance("KH-NP", tlp, (), "2026-01-01T00:00:00Z"))


async def _green(store, tmp_path, case):
    await store.clear()
    await _load(store, tmp_path, "green.ftm.json", "GREEN", CASES[case][0])


async def _red_mod(store, tmp_path, case):
    return await _load(store, tmp_path, "mod.ftm.json", "RED", [{"op": "MOD", "entity": d} for d in CASES[case][1]])


@pytest.mark.parametrize("case", sorted(CASES))
async def test_a_narrowing_mod_killed_after_any_write_ends_as_an_uninterrupted_one_once_rerun(
        empty_store, tmp_path, monkeypatch, case):
    async def mod():
        assert (await _red_mod(empty_store, tmp_path, case)).rejections == []  # not "would disclose"
    writes = await converges_after_each_kill(empty_store, monkeypatch, lambda: _green(empty_store, tmp_path, case),
                                             mod, lambda: whole_graph(empty_store))
    assert ("ingest/mark_rebuild", "provenance/write_statements") == tuple(
        w for w in writes if w in ("ingest/mark_rebuild", "provenance/write_statements"))[:2]


async def test_a_narrowing_mod_killed_once_its_wider_statement_went_is_finished_by_a_workers_start(
        empty_store, tmp_path, monkeypatch):
    await _green(empty_store, tmp_path, "node")
    with monkeypatch.context() as m:
        die_after(empty_store, m, lambda name: name == "provenance/delete_other_levels")
        with pytest.raises(OSError):
            await _red_mod(empty_store, tmp_path, "node")
    assert await finish_pending_now(empty_store) == 1
    [snap] = await empty_store.read("admin/snapshot")
    [p1] = [n["props"] for n in snap["nodes"] if n["props"].get("id") == "p-1"]
    assert (p1["tlp"], p1["name"], p1["sources"]) == ("RED", "Anna Lee", ["kh"])
