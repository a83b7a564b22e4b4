"""A coTravelGroups crossings read that runs on in the store after its broad slot was given back
(its limit plus the cut margin) counts in its agency's reads run on past their slot, one at most:
the agency's next crossings read waits its turn until it ends, and the agency is charged for the
whole run (attack round a-85, 1: FalkorDB counts a statement's limit from when it starts, not when
it arrives, and a hung server runs none; one agency had six crossings reads in the store, one slot).

Scaled down (limit 0.2 s, margin 0.1 s: a hold of 0.3 s; a wait of 3 s, which no test waits out
when the product is right); a read that ignores its limit and answers only when the test lets it
stands in for a slow or stopped store, on either backend. No outcome depends on the machine's speed:
a test waits for what it needs to have happened, and a timeout only tells a failure."""

import asyncio
import time

import pytest
from test_co_travel_groups_slot_hold import TH, VN, _served, _until, scale_down

from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.search_lanes import in_lanes
from graphapi.investigate.search_queue import COSTS, _hashed, decayed, read_costs
from graphapi.settings import get_settings
from graphapi.store.write_marks import QUEUE_FOLDER

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

#: How long TH's read runs at least in the charge test: past its 0.3 s hold.
TH_READ_S = 0.7


@pytest.fixture
def scaled(monkeypatch, tmp_path):
    """:func:`scale_down` to a hold of 0.3 s."""
    scale_down(monkeypatch, tmp_path, 200, 0.1)


@pytest.fixture
def th_reads(store, monkeypatch) -> dict:
    """Crossings reads finding nothing, TH-DSI's once ``state["done"]`` is set; how many of TH's
    are in the store now and at most."""
    state = {"now": 0, "most": 0, "done": asyncio.Event()}

    async def stood_in(name, params=None, **kwargs):
        assert name == "analytics/crossings_between"
        if params["agency"] == "TH-DSI":
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            try:
                await state["done"].wait()
            finally:
                state["now"] -= 1
        return []

    monkeypatch.setattr(store, "read", stood_in)
    return state


def _run_on(tmp_path) -> bool:
    """A TH read's slot was given back, its read running on (its ticket an ``over-`` one)."""
    folder = tmp_path / QUEUE_FOLDER
    return bool(list(folder.glob("over-*"))) and not list(folder.glob("run-*"))


async def test_one_agencys_next_crossings_read_waits_while_its_earlier_one_runs_on_past_its_slot(
        store, scaled, th_reads, tmp_path):
    first = asyncio.ensure_future(co_travel_groups(store, TH))
    await _until(lambda: _run_on(tmp_path), "TH's first read run on past its slot")
    second = asyncio.ensure_future(co_travel_groups(store, TH))
    await asyncio.sleep(0.3)  # its turn would have come: the slot is free
    assert th_reads["now"] == 1  # was 2: the second sent beside the first, each store place one more
    th_reads["done"].set()
    assert [(await first).groups, (await second).groups] == [[], []]  # the second served in its turn
    assert th_reads["most"] == 1


async def test_another_agency_is_served_while_one_agencys_read_runs_on_and_its_next_waits(
        store, scaled, th_reads, tmp_path):
    first = asyncio.ensure_future(co_travel_groups(store, TH))
    await _until(lambda: _run_on(tmp_path), "TH's first read run on past its slot")
    second = asyncio.ensure_future(co_travel_groups(store, TH))  # held back until the first ends
    await asyncio.sleep(0.05)
    # the broad lane decides turns with the same rule: TH's held ticket never takes VN's turn
    # (was VN's turn taken, until TH's reads ended: here never, so VN refused after its wait)
    assert await in_lanes(VN, None, _served) == "served"
    assert await co_travel_groups(store, VN) is not None
    assert not first.done() and not second.done()
    th_reads["done"].set()
    await asyncio.gather(first, second)


async def test_a_crossings_read_run_on_past_its_slot_is_charged_to_its_agency_for_its_whole_run(
        store, scaled, th_reads, tmp_path):
    read = asyncio.ensure_future(co_travel_groups(store, TH))
    await asyncio.sleep(TH_READ_S)
    th_reads["done"].set()
    await read
    costs = read_costs(tmp_path / QUEUE_FOLDER / COSTS)
    spent = decayed(costs, "a" + _hashed(TH.agency), time.time_ns())
    assert spent > TH_READ_S - 0.05  # was 0.3: charged for its hold only
    assert not list((tmp_path / QUEUE_FOLDER).glob("over-*"))  # its ticket gone with its read


async def test_with_two_slots_one_agencys_second_crossings_read_waits_while_its_first_holds_a_slot(
        store, scaled, th_reads, tmp_path, monkeypatch):
    # Neo4j's default: both of TH's reads in a slot at once turned over- at their hold (attack
    # round a-88, 2), two reads of one agency run on past their slots; another agency then took
    # both slots, four reads in the store with two slots
    monkeypatch.setattr(get_settings(), "search_slots", 2)
    reads = [asyncio.ensure_future(co_travel_groups(store, TH)) for _ in range(2)]
    await _until(lambda: _run_on(tmp_path), "TH's first read run on past its slot")
    await asyncio.sleep(0.4)  # past the second's hold, had it been sent beside the first
    over = list((tmp_path / QUEUE_FOLDER).glob("over-*"))
    assert (th_reads["now"], len(over)) == (1, 1)  # was (2, 2)
    th_reads["done"].set()
    assert [(await r).groups for r in reads] == [[], []]  # the second served once the first ended
    assert th_reads["most"] == 1
