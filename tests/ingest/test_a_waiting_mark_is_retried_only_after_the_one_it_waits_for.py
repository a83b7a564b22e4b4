"""A pending mark that waits for an earlier one naming its items is not finished before it, retried
or not, and the operator's list says which mark it waits for.

Attack round 42b, 4: every writer left a replace's rebuild of Anna waiting behind the public feed's
stuck DEL of her, but ``lintas admin pending --retry`` of the rebuild finished it at once (the retry
filtered the marks down to the one asked for before the order check, so the stuck one was never
seen), out of order over her; and the list showed it as attempts 0, no error, with nothing saying
why it was still pending.
"""

from __future__ import annotations

import pytest
from ingest_helpers import node_props
from test_a_stuck_pending_mark_stops_only_the_loads_that_write_it import SOMCHAI, TH, _load, _stuck_del

from graphapi.ingest.pending_admin import list_marks, retry_mark

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]


async def _rebuild_waiting_for_the_stuck_del(store, tmp_path, monkeypatch) -> str:
    """The stuck DEL of Anna, and a replace's rebuild of her marked after it; returns the DEL's mark."""
    await _stuck_del(store, tmp_path, monkeypatch)
    [stuck] = await list_marks(store)
    await store.write("ingest/mark_rebuild", {"mark": "zz-rebuild", "type": "", "ids": ["p-1"], "said": [],
                                              "owner": "TH-DSI", "referred": [], "referrer": ""})
    await _load(store, tmp_path, "th.json", TH, "th-cases", SOMCHAI)  # a writer leaves both
    return stuck.id


async def test_retrying_a_mark_that_waits_for_a_stuck_one_leaves_it_pending(empty_store, tmp_path, monkeypatch):
    store = empty_store
    stuck = await _rebuild_waiting_for_the_stuck_del(store, tmp_path, monkeypatch)
    finished = await retry_mark(store, "zz-rebuild")
    assert finished.done == []
    assert [(s.mark, s.error) for s in finished.stuck] == [("zz-rebuild", f"waits for mark {stuck}")]
    marks = {m.id: m for m in await list_marks(store)}
    assert set(marks) == {stuck, "zz-rebuild"}
    assert marks["zz-rebuild"].attempts == 0  # not tried: no failure noted on it
    assert (await node_props(store, "p-1"))["name"] == "Anna Schmidt"  # nothing run over her


async def test_the_list_says_which_mark_a_waiting_mark_waits_for(empty_store, tmp_path, monkeypatch):
    store = empty_store
    stuck = await _rebuild_waiting_for_the_stuck_del(store, tmp_path, monkeypatch)
    listed = {m.id: m for m in await list_marks(store)}
    assert (listed[stuck].waits_for, listed["zz-rebuild"].waits_for) == (None, stuck)
    assert listed["zz-rebuild"].as_json()["waitsFor"] == stuck


async def test_a_waiting_mark_is_retried_once_the_one_it_waits_for_is_finished(empty_store, tmp_path, monkeypatch):
    store = empty_store
    stuck = await _rebuild_waiting_for_the_stuck_del(store, tmp_path, monkeypatch)
    monkeypatch.undo()  # the stuck one's cause fixed
    assert [b.mark for b, _ in (await retry_mark(store, stuck)).done] == [stuck]
    assert [m.waits_for for m in await list_marks(store)] == [None]
    assert [b.mark for b, _ in (await retry_mark(store, "zz-rebuild")).done] == ["zz-rebuild"]
    assert await list_marks(store) == []
    assert await node_props(store, "p-1") == {}  # the DEL done, the rebuild after it
