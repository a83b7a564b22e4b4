"""An owner's narrowing MOD killed after any write converges once rerun (issue 10, kill -9).

KH-NP's RED MOD of its GREEN p-1 (or of its GREEN Membership) writes its narrower statement, then
narrows the item to it (graphapi.ingest.relevel.narrow_to_owner). Killed between the two, p-1 was
left GREEN with no name and no sources, and the rerun was refused "would disclose: your record is
RED but p-1 is GREEN": nothing finished it. The MOD now marks the items it narrows before it writes
their statements, as a whole-source replace does; the rerun, any next load or a worker's start
finishes the mark, so the rerun ends in exactly the graph an uninterrupted MOD makes."""

import json

import pytest
from store_kills import die_after, whole_graph

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


def _dies_at(n):
    """Whether the store dies after a write: at the ``n``-th (from 1), as a kill -9 would."""
    done: list[str] = []

    def dies(name: str) -> bool:
        done.append(name)
        return len(done) == n
    return dies


@pytest.mark.parametrize("case", sorted(CASES))
async def test_a_narrowing_mod_killed_after_any_write_ends_as_an_uninterrupted_one_once_rerun(
        empty_store, tmp_path, monkeypatch, case):
    await _green(empty_store, tmp_path, case)
    writes: list[str] = []
    with monkeypatch.context() as m:
        die_after(empty_store, m, lambda name: writes.append(name) and False)
        await _red_mod(empty_store, tmp_path, case)
    want = await whole_graph(empty_store)
    kills = [n for n, name in enumerate(writes, 1) if "write_lease" not in name]
    assert len(kills) >= 4
    for n in kills:
        await _green(empty_store, tmp_path, case)
        with monkeypatch.context() as m:
            die_after(empty_store, m, _dies_at(n))
            with pytest.raises(OSError):
                await _red_mod(empty_store, tmp_path, case)
        r = await _red_mod(empty_store, tmp_path, case)
        assert (n, writes[n - 1], r.rejections, await whole_graph(empty_store)) == (n, writes[n - 1], [], want)
