"""coTravelGroups' crossings reads take turns for the search queue's broad slots, fairly between
agencies by the store time they used, and a read's slot is held until the read has ended, even when
its request was given up (attack round a-78, 1 and 2: one agency's six requests held the embedded
store's two query threads; a cancelled request's read ran on without a place)."""

import asyncio
from pathlib import Path

import pytest

import graphapi.investigate.cotravel_threads as threads_module
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.security import Principal
from graphapi.settings import get_settings
from tests.investigate.test_co_travel_groups_agency_share import _two_crossing_together_twice

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


@pytest.fixture
def queue_on(monkeypatch, tmp_path) -> Path:
    """The search queue on, one broad slot, in a data directory of its own; its folder."""
    monkeypatch.setattr(get_settings(), "search_slots", 1)
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path / "search-queue"


def _reads_logged(store, monkeypatch, gate: asyncio.Event) -> list[str]:
    """The agencies whose crossings reads started, in order; TH-DSI's wait for ``gate`` once started
    (slow reads), VN-MPS's do not."""
    started, read = [], store.read

    async def logged(name, params=None, **kwargs):
        if name == "analytics/crossings_between":
            started.append(params["agency"])
            if params["agency"] == "TH-DSI":
                await gate.wait()
        return await read(name, params, **kwargs)

    monkeypatch.setattr(store, "read", logged)
    return started


async def _until(condition, what: str) -> None:
    """Wait (polling) for ``condition()``; fail naming ``what`` if it never holds."""
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never: {what}")


async def test_another_agencys_read_takes_the_next_turn_while_one_agency_has_many_waiting(
        empty_store, monkeypatch, queue_on):
    await _two_crossing_together_twice(empty_store)
    gate = asyncio.Event()
    started = _reads_logged(empty_store, monkeypatch, gate)
    th = [asyncio.ensure_future(co_travel_groups(empty_store, TH)) for _ in range(6)]
    try:
        await _until(lambda: started and len(list(queue_on.glob("wait-*"))) == 5, "TH: 1 read running, 5 waiting")
        vn = asyncio.ensure_future(co_travel_groups(empty_store, VN))
        await _until(lambda: len(list(queue_on.glob("wait-*"))) == 6, "VN's read waiting")
        assert started == ["TH-DSI"]  # one read in the store; was all six TH reads, then VN's
    finally:
        gate.set()
    await vn
    await asyncio.gather(*th)
    assert started == ["TH-DSI", "VN-MPS"] + ["TH-DSI"] * 5  # VN's read went ahead of TH's five waiting
    assert not list(queue_on.glob("*-*-*.lock"))  # every ticket gone


async def test_a_given_up_requests_read_holds_its_slot_and_place_until_it_ends(empty_store, monkeypatch, queue_on):
    await _two_crossing_together_twice(empty_store)
    gate = asyncio.Event()
    started = _reads_logged(empty_store, monkeypatch, gate)
    given_up = asyncio.ensure_future(co_travel_groups(empty_store, TH))
    await _until(lambda: started == ["TH-DSI"], "TH's read started")
    given_up.cancel()
    with pytest.raises(asyncio.CancelledError):
        await given_up
    # the request is gone, its read runs on: its ticket still runs, its agency's place still counts
    assert len(list(queue_on.glob("run-*"))) == 1  # was 0: no queue
    assert threads_module._in_flight_of["agency TH-DSI"] == 1  # was 0: the place given back at once
    vn = asyncio.ensure_future(co_travel_groups(empty_store, VN))
    await _until(lambda: list(queue_on.glob("wait-*")), "VN's read waiting")
    assert started == ["TH-DSI"]  # VN's read waits for the slot the abandoned read holds
    gate.set()
    assert [[m.id for m in g.members] for g in (await vn).groups] == [["per-a", "per-b"]]  # GREEN: seen
    await _until(lambda: not list(queue_on.glob("run-*")), "the abandoned read's slot freed")
    assert started == ["TH-DSI", "VN-MPS"]
    assert "agency TH-DSI" not in threads_module._in_flight_of  # given back when the read ended
