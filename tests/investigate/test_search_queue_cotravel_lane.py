"""coTravelGroups' crossings reads (the ``cotravel`` lane) take the broad lane's slots, so broad
searches and crossings reads together never hold more of the store's query threads than
LINTAS_SEARCH_SLOTS (attack round a-78, 1); their tickets do not count in a principal's
LINTAS_SEARCH_IN_FLIGHT (its coTravelGroups places bound them)."""

from __future__ import annotations

import asyncio
import time

import pytest

import graphapi.investigate.cotravel_threads as threads_module
from graphapi.errors import public_error
from graphapi.investigate import search_queue
from graphapi.investigate.cotravel_turns import CrossingsTurnLate, crossings_lane, read_in_turn
from graphapi.investigate.search_lanes import in_lanes
from graphapi.investigate.search_queue import COSTS, _hashed, charged, write_costs
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store.write_marks import QUEUE_FOLDER

pytestmark = pytest.mark.asyncio(loop_scope="session")

KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


@pytest.fixture
def queue_on(monkeypatch, tmp_path):
    """The queue on, no quick lane (every search broad), a short wait, in a data directory of its own."""
    for name, value in (("search_slots", 1), ("search_quick_ms", 0), ("search_wait_s", 0.2), ("data_dir", tmp_path)):
        monkeypatch.setattr(get_settings(), name, value)


async def _ran(timeout_ms: int) -> str:
    return "ran"


async def test_a_broad_search_waits_while_a_crossings_read_holds_the_broad_slot(queue_on):
    async with crossings_lane().turn(TH):
        with pytest.raises(search_queue.SearchQueueBusy):
            await in_lanes(VN, None, _ran)
    assert await in_lanes(VN, None, _ran) == "ran"


async def test_a_crossings_read_waits_while_a_broad_search_holds_the_broad_slot(queue_on):
    async def crossings_read_in_its_turn(timeout_ms: int) -> str:
        with pytest.raises(search_queue.SearchQueueBusy):
            async with crossings_lane().turn(TH):
                pytest.fail("a crossings read beside a broad search: both store threads held")
        return "ran"

    assert await in_lanes(VN, None, crossings_read_in_its_turn) == "ran"


async def test_a_principals_crossings_reads_do_not_count_in_its_searches_in_flight(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_slots", 2)
    monkeypatch.setattr(get_settings(), "search_in_flight", 1)
    async with crossings_lane().turn(TH):
        assert await in_lanes(TH, None, _ran) == "ran"  # not SearchesInFlight


async def test_a_freed_slot_goes_to_the_agency_that_used_less_store_time_whatever_its_lane(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_wait_s", 10.0)
    folder = get_settings().data_dir / QUEUE_FOLDER
    folder.mkdir(mode=0o700)
    write_costs(folder / COSTS, charged({}, ["a" + _hashed("TH-DSI")], 5.0, time.time_ns()))  # TH searched a lot
    ran: list[str] = []

    async def search(timeout_ms: int) -> None:
        ran.append("TH's search")

    async def crossings_read() -> None:
        async with crossings_lane().turn(VN):
            ran.append("VN's crossings read")

    async with crossings_lane().turn(KH):  # the slot busy while both wait
        waiting = [asyncio.ensure_future(in_lanes(TH, None, search))]
        while len(list(folder.glob("wait-*"))) < 1:
            await asyncio.sleep(0.005)
        waiting.append(asyncio.ensure_future(crossings_read()))
        while len(list(folder.glob("wait-*"))) < 2:
            await asyncio.sleep(0.005)
    await asyncio.gather(*waiting)
    assert ran == ["VN's crossings read", "TH's search"]


async def test_a_crossings_read_whose_turn_is_late_is_refused_naming_cotravelgroups(queue_on):
    read = []
    with threads_module.grouping_slot(TH) as place:
        async with crossings_lane().turn(KH):
            with pytest.raises(CrossingsTurnLate) as late:
                await read_in_turn(TH, lambda timeout_ms: read.append("read"), place)
    assert read == []  # never reached the store
    assert public_error(late.value) == (
        "RATE_LIMITED", "the store's long reads ahead of this coTravelGroups request (broad searches and "
        "coTravelGroups reads, taken in turn between agencies) did not end within 0.2 s (LINTAS_SEARCH_WAIT_S); "
        "retry later")  # was SearchQueueBusy's, "the searches ahead of yours"


async def test_a_search_refused_behind_a_crossings_read_says_coTravelGroups_reads_may_be_ahead(queue_on):
    async with crossings_lane().turn(TH):
        with pytest.raises(search_queue.SearchQueueBusy) as late:
            await in_lanes(VN, None, _ran)
    assert public_error(late.value) == (
        "RATE_LIMITED", "the searches and coTravelGroups reads ahead of yours (taken in turn between agencies) did "
        "not end within 0.2 s (LINTAS_SEARCH_WAIT_S); retry later")  # was "the searches ahead of yours"


async def test_a_crossings_reads_slot_records_a_broad_searchs_limit_not_the_statements(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_wait_s", 20.0)
    monkeypatch.setattr(get_settings(), "search_cut_margin_s", 1.0)
    async with crossings_lane().turn(TH):
        until = float((get_settings().data_dir / QUEUE_FOLDER / "broad-0.lock").read_text())
    # a killed worker's read keeps the slot 10 s + 1 s, below the 20 s wait; was 30 s + 1 s
    assert 10.5 < until - time.time() <= 11.0
