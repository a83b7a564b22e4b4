"""Another agency withdrawing its own record of a stuck DEL's item: the finish leaves one of the two orders.

Attack round 45a, 3: the public feed's DEL of Anna (p-1, with a phone), TH-DSI holding an AMBER
record of p-1, killed after re-owning p-1 to TH-DSI (``ingest/relevel_nodes``) and before deleting
its own link to the phone, which it deletes only for a node it re-owned out of its own sight. The
finish, run again, found p-1 already TH-DSI's, re-owned nothing, and so kept the public link and
the CLEAR phone; and TH-DSI's DEL of its record, let past the stuck mark (only a link the mark took
stopped another agency), then left p-1 as the public feed's CLEAR placeholder with the deleted
phone published to every agency. Either DEL run after the other leaves nothing of p-1.

Now what a batch re-owns away from its owner (and out of its sight) is kept on its mark by the
same write, so its finish does what the killed run left undone; and another agency's load that
withdraws its statements from a retraction mark's batch (a DEL naming the record, a replace no
longer giving it) stops while the mark is stuck, as a write of a kind not proven to commute with
the finish does: once the mark is finished it loads, and the graph ends as the two loads in turn.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replayed_setup import replayed, replayed_scene
from store_kills import die_after_nth_write, killed_after_write, whole_graph
from test_a_stuck_mark_stops_only_the_writes_its_finish_would_undo import ANNA, ANNA_BY_TH, PUBLIC, TH, _load, _poison

from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.store.errors import PendingRetractionUnfinished

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]
NIRAN = {"id": "th-7", "schema": "Person", "properties": {"name": ["Niran Chai"]}}
PUBLIC_DEL = {"op": "DEL", "entity": ANNA}
TH_DEL = {"op": "DEL", "entity": ANNA_BY_TH}


async def _start(store, tmp_path: Path) -> None:
    """The public feed's Anna, TH-DSI's AMBER record of her and Niran (loaded once per store, then
    replayed: tests/replayed_setup.py)."""
    async def load():
        await store.clear()
        await _load(store, tmp_path, "t1.json", PUBLIC, "ftm", ANNA)
        await _load(store, tmp_path, "th1.json", TH, "th-cases", ANNA_BY_TH, NIRAN)

    await replayed_scene(store, "another_agencys_retraction:start", load)()


async def _public_del(store, tmp_path: Path):
    return await _load(store, tmp_path, "t2.delta.json", PUBLIC, "ftm", PUBLIC_DEL)


async def _stuck_public_del(store, tmp_path: Path, monkeypatch) -> None:
    """The public DEL killed after re-owning p-1 to TH-DSI; its mark's finish then fails."""
    await _start(store, tmp_path)
    await killed_after_write(store, monkeypatch, "ingest/relevel_nodes", lambda: _public_del(store, tmp_path))
    _poison(monkeypatch)


async def _th_del(store, tmp_path: Path):
    return await _load(store, tmp_path, "th2.delta.json", TH, "th-cases", TH_DEL)


async def _th_replace(store, tmp_path: Path):
    """TH-DSI's whole-source replace that no longer gives its record of p-1 (Niran only)."""
    path = tmp_path / "th2.json"
    path.write_text(json.dumps(NIRAN) + "\n", encoding="utf-8")
    return await run_load(store, FtmReader([path], source="th-cases"), source="th-cases", provenance=TH,
                          replace=True)


async def _what_is_left_of_anna(store) -> tuple[list, list]:
    (row,) = await store.read("admin/snapshot")
    nodes = sorted((n["props"]["id"], n["props"].get("owner"), n["props"].get("tlp")) for n in row["nodes"]
                   if "Entity" in n["labels"] and n["props"]["id"] != "th-7")
    links = [(r["type"], r["from"], r["to"]) for r in row["relationships"] if r.get("type")]
    return nodes, links


#: Per store, :func:`_del_writes`' answer: the same uninterrupted DEL for each test that kills it,
#: so run once per backend, not once per test.
_uninterrupted: dict[int, tuple[object, list[int], list[str]]] = {}


async def _del_writes(store, tmp_path: Path, monkeypatch) -> tuple[object, list[int], list[str]]:
    """The graph the public DEL leaves uninterrupted, the writes after which a kill leaves its mark
    (the write lease's own aside), and the names of its writes (the graph left after it: any)."""
    if id(store) not in _uninterrupted:
        await _start(store, tmp_path)
        with monkeypatch.context() as m:
            writes = die_after_nth_write(store, m, 0)
            await _public_del(store, tmp_path)
        first = writes.index("provenance/retract_statements")
        last = max(i for i, name in enumerate(writes) if name == "ingest/clear_pending_retraction")
        _uninterrupted[id(store)] = (await whole_graph(store), list(range(first + 1, last + 1)), writes)
    return _uninterrupted[id(store)]


async def _killed_after(store, tmp_path: Path, monkeypatch, n: int) -> None:
    await _start(store, tmp_path)
    with monkeypatch.context() as m:
        die_after_nth_write(store, m, n)
        with pytest.raises(OSError):
            await _public_del(store, tmp_path)
    assert await store.read("ingest/pending_retractions", {})


async def test_a_del_killed_after_it_re_owned_the_record_is_finished_as_it_would_have_run(
        empty_store, tmp_path, monkeypatch):
    # no rerun: the finish alone deletes the public link and phone, as the uninterrupted DEL does
    store = empty_store
    await _start(store, tmp_path)
    await killed_after_write(store, monkeypatch, "ingest/relevel_nodes", lambda: _public_del(store, tmp_path))
    assert await finish_pending_now(store) == 1
    assert await _what_is_left_of_anna(store) == ([("p-1", "TH-DSI", "AMBER")], [])


async def test_a_del_killed_at_any_write_is_finished_into_the_graph_it_leaves_uninterrupted(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    want, kills, writes = await _del_writes(store, tmp_path, monkeypatch)
    assert "ingest/relevel_nodes" in writes and len(kills) >= 8, writes
    ends = []
    for n in kills:
        await _killed_after(store, tmp_path, monkeypatch, n)
        assert await finish_pending_now(store) >= 1
        ends.append((writes[n - 1], await whole_graph(store) == want))
    assert all(same for _, same in ends), ends


async def _stops_until_the_mark_is_finished(store, tmp_path: Path, monkeypatch, th_withdraws):
    """TH-DSI's withdrawal stops while the public DEL's mark is stuck; once it is finished, it loads
    (its summary)."""
    await _stuck_public_del(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished):
        await th_withdraws(store, tmp_path)
    monkeypatch.undo()
    assert await finish_pending_now(store) == 1
    return await th_withdraws(store, tmp_path)


async def test_another_agencys_del_of_its_record_of_a_stuck_dels_item_stops(empty_store, tmp_path, monkeypatch):
    store = empty_store
    assert (await _stops_until_the_mark_is_finished(store, tmp_path, monkeypatch, _th_del)).rows_loaded == 1
    assert await _what_is_left_of_anna(store) == ([], [])


async def test_another_agencys_replace_no_longer_giving_its_record_of_a_stuck_dels_item_stops(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stops_until_the_mark_is_finished(store, tmp_path, monkeypatch, _th_replace)
    assert await _what_is_left_of_anna(store) == ([], [])


async def test_another_agencys_del_of_an_unrelated_record_goes_on_past_the_stuck_del(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_public_del(store, tmp_path, monkeypatch)
    summary = await _load(store, tmp_path, "th3.delta.json", TH, "th-cases", {"op": "DEL", "entity": NIRAN})
    assert (summary.rows_loaded, summary.nodes_deleted) == (1, 1)


async def _in_turn(store, tmp_path: Path, th_withdraws, public_first: bool):
    await _start(store, tmp_path)
    if public_first:
        await _public_del(store, tmp_path)
    await th_withdraws(store, tmp_path)
    if not public_first:
        await _public_del(store, tmp_path)
    return await whole_graph(store)


@pytest.mark.parametrize("th_withdraws", [_th_del, _th_replace], ids=["del", "replace"])
async def test_after_a_kill_at_any_write_of_the_del_another_agencys_withdrawal_ends_as_the_two_in_turn(
        empty_store, tmp_path, monkeypatch, th_withdraws):
    store = empty_store
    _, kills, writes = await _del_writes(store, tmp_path, monkeypatch)
    orders = {"public first": await _in_turn(store, tmp_path, th_withdraws, True),
              "th first": await _in_turn(store, tmp_path, th_withdraws, False)}
    ends = []
    for n in kills:
        await _killed_after(store, tmp_path, monkeypatch, n)
        with monkeypatch.context() as m:
            _poison(m)
            try:
                await th_withdraws(store, tmp_path)
                stopped = False
            except PendingRetractionUnfinished:
                stopped = True
        assert await finish_pending_now(store) >= 1
        if stopped:  # run again once the mark is finished, as the error says
            await th_withdraws(store, tmp_path)
        got = await whole_graph(store)
        ends.append((writes[n - 1], next((k for k, g in orders.items() if g == got), "neither")))
    assert all(end != "neither" for _, end in ends), ends


BANK = {"id": "o-9", "schema": "Organization", "properties": {"name": ["Bank of Asia"]}}
SEAT = {"id": "pm-1", "schema": "Membership",
        "properties": {"member": ["p-1"], "organization": ["o-9"], "role": ["owner"]}}


async def test_a_link_del_killed_at_any_write_is_finished_into_the_graph_it_leaves_uninterrupted(
        empty_store, tmp_path, monkeypatch):
    # TH-DSI's AMBER record of the public feed's Membership keeps the link, re-owned to TH-DSI: a
    # finish after a kill past ingest/relevel_relationships moved no statement and left 'ftm' on it
    store = empty_store

    async def load():
        await store.clear()
        await _load(store, tmp_path, "t1.json", PUBLIC, "ftm", ANNA, BANK, SEAT)
        await _load(store, tmp_path, "th1.json", TH, "th-cases", SEAT)

    start = replayed(store, load)

    async def delete():
        return await _load(store, tmp_path, "t2.delta.json", PUBLIC, "ftm", {"op": "DEL", "entity": SEAT})

    await start()
    with monkeypatch.context() as m:
        writes = die_after_nth_write(store, m, 0)
        await delete()
    want = await whole_graph(store)
    ends = []
    for n in range(1, len(writes) + 1):
        await start()
        with monkeypatch.context() as m:
            die_after_nth_write(store, m, n)
            with pytest.raises(OSError):
                await delete()
        await finish_pending_now(store)  # none after the batch's last write: nothing left to do
        ends.append((writes[n - 1], await whole_graph(store) == want))
    assert "ingest/relevel_relationships" in writes and len(ends) >= 6, ends
    assert all(same for _, same in ends), ends
