"""A DEL of an FtM Person killed half-way still takes the phone, passport and e-mail account her
record made of its values (b-doc34's follow-up). They are found by her links, read before the DEL
takes them; a kill -9 after her node and links went left them orphans that the rerun could not
find (she is gone), found by every agency's search. Her DEL's pending mark now names them, so the
rerun, any agency's next load or a worker's start withdraws them, into exactly the graph an
uninterrupted DEL makes. A MOD that drops her phone likewise: its link's retraction names it."""

import json

import pytest
from replayed_setup import replayed_scene
from store_kills import die_after_nth_write, whole_graph

from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
P = {"id": "p-1", "schema": "Person",
     "properties": {"name": ["Anna Schmidt"], "nationality": ["th"], "passportNumber": ["AA1234567"],
                    "phone": ["+66 81 234 5678"], "email": ["anna@example.org"]}}
WITHOUT_PHONE = {**P, "properties": {k: v for k, v in P["properties"].items() if k != "phone"}}
X1 = {"id": "x-1", "schema": "Person", "properties": {"name": ["Somchai Jaidee"]}}
DEL = {"op": "DEL", "entity": P}
MOD = {"op": "MOD", "entity": WITHOUT_PHONE}


async def _load(store, tmp_path, name, owner, *lines):
    f = tmp_path / name
    f.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    src = f"{owner.lower()}-ftm"
    return await run_load(store, FtmReader([f], source=src), source=src, viewer=owner,
                          provenance=Provenance(owner, "GREEN", (), "2026-01-01T00:00:00Z"))


_graph = whole_graph


async def _ids(store):
    (row,) = await store.read("admin/snapshot")
    return sorted(n["props"]["id"] for n in row["nodes"] if "Entity" in n["labels"])


async def _killed_after_each_write_then_rerun(store, tmp_path, monkeypatch, line, want):
    """Kill the load of ``line`` after each of its writes in turn, rerun it; every end must be
    ``want``. Returns how many kills were tried (the write lease's own writes aside: a lost lease
    is another test's)."""
    async def load():
        await store.clear()
        await _load(store, tmp_path, "a.ftm.json", "TH-DSI", P)

    start = replayed_scene(store, "persons_values:her", load)  # loaded once, then replayed
    await start()
    with monkeypatch.context() as m:
        writes = die_after_nth_write(store, m, 0)
        await _load(store, tmp_path, "b.delta.json", "TH-DSI", line)
    kills = list(range(1, len(writes) + 1))  # the load's own (store_kills: not the lease's)
    for n in kills:
        await start()
        with monkeypatch.context() as m:
            die_after_nth_write(store, m, n)
            with pytest.raises(OSError):
                await _load(store, tmp_path, "b.delta.json", "TH-DSI", line)
        await _load(store, tmp_path, "b.delta.json", "TH-DSI", line)
        assert (n, writes[n - 1], await _graph(store)) == (n, writes[n - 1], want)
        assert await store.read("ingest/pending_retractions", {}) == []
    return len(kills)


async def test_her_del_killed_after_any_write_ends_as_an_uninterrupted_one_once_rerun(empty_store, tmp_path,
                                                                                     monkeypatch):
    await _load(empty_store, tmp_path, "a.ftm.json", "TH-DSI", P)
    await _load(empty_store, tmp_path, "b.delta.json", "TH-DSI", DEL)
    await _load(empty_store, tmp_path, "b.delta.json", "TH-DSI", DEL)
    want = await _graph(empty_store)
    assert await _ids(empty_store) == []
    assert await _killed_after_each_write_then_rerun(empty_store, tmp_path, monkeypatch, DEL, want) == 12


async def test_her_mod_without_her_phone_killed_after_any_write_ends_as_an_uninterrupted_one(empty_store, tmp_path,
                                                                                           monkeypatch):
    await _load(empty_store, tmp_path, "a.ftm.json", "TH-DSI", P)
    await _load(empty_store, tmp_path, "b.delta.json", "TH-DSI", MOD)
    await _load(empty_store, tmp_path, "b.delta.json", "TH-DSI", MOD)
    want = await _graph(empty_store)
    assert await _ids(empty_store) == ["identity:TH|AA1234567", "p-1", "user:email|anna@example.org"]
    # 21 writes: a MOD of her line also starts the line's renewal (a-73 F4, a-76 F2), and the
    # identifiers of each type of its links are noted before they are written, unnoted once counted (a-82, 5)
    assert await _killed_after_each_write_then_rerun(empty_store, tmp_path, monkeypatch, MOD, want) == 21


@pytest.mark.parametrize("by", ["another_agencys_load", "worker_start"])
async def test_her_del_killed_after_her_node_went_is_finished_by_whoever_writes_next(empty_store, tmp_path,
                                                                                    monkeypatch, by):
    await _load(empty_store, tmp_path, "a.ftm.json", "TH-DSI", P)
    await _load(empty_store, tmp_path, "b.delta.json", "TH-DSI", DEL)
    if by == "another_agencys_load":
        await _load(empty_store, tmp_path, "la.ftm.json", "LA-POL", X1)
    want = await _graph(empty_store)
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.ftm.json", "TH-DSI", P)
    with monkeypatch.context() as m:
        writes = die_after_nth_write(empty_store, m, 0)
        await _load(empty_store, tmp_path, "probe.delta.json", "TH-DSI", DEL)
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.ftm.json", "TH-DSI", P)
    with monkeypatch.context() as m:
        die_after_nth_write(empty_store, m, writes.index("ingest/delete_nodes") + 1)
        with pytest.raises(OSError):
            await _load(empty_store, tmp_path, "b.delta.json", "TH-DSI", DEL)
    # she is gone, her phone, passport and account not yet: found by every agency's search
    assert await _ids(empty_store) == ["identity:TH|AA1234567", "phone:+66812345678", "user:email|anna@example.org"]
    if by == "another_agencys_load":
        await _load(empty_store, tmp_path, "la.ftm.json", "LA-POL", X1)
    else:
        assert await finish_pending_now(empty_store) == 1
    assert await _graph(empty_store) == want
    assert await empty_store.read("ingest/pending_retractions", {}) == []
