"""A ``restrictedHits`` request takes its unit of the hit budget only once the search queue gave it
its turn: one refused RATE_LIMITED by the queue (too many in flight, or its turn did not come in
time) ran nothing and costs nothing (attack round 30c, L7: the unit was spent before the queue)."""

from __future__ import annotations

import asyncio

import pytest
from test_search_queue import KH, VN, HeldStore, HitsStore

from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.settings import get_settings
from graphapi.store.errors import StoreTimeout

pytestmark = pytest.mark.asyncio(loop_scope="session")
HITS = '{ restrictedHits(text: "big person") { agency } }'


@pytest.fixture
def queue_on(monkeypatch, tmp_path):
    """The queue on, one slot in each lane, in a data directory of its own (as in test_search_queue)."""
    monkeypatch.setattr(get_settings(), "search_slots", 1)
    monkeypatch.setattr(get_settings(), "search_quick_slots", 1)
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path / "search-queue"


class CountingBudget:
    """An unlimited hit budget that counts the units taken."""

    def __init__(self) -> None:
        self.taken = 0

    async def allow(self, key, cost=1.0, store=None):
        self.taken += cost
        return 0.0


async def _hits(store, principal, budget) -> list[str]:
    result = await schema.execute(HITS, context_value=Context(store, principal, hit_budget=budget))
    return [e.formatted["extensions"]["code"] for e in result.errors or []]


async def test_restricted_hits_whose_turn_does_not_come_in_time_takes_no_budget_unit(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_wait_s", 0.1)
    release = asyncio.Event()
    held = asyncio.create_task(schema.execute('{ search(text: "big person", first: 5) { totalCount } }',
                                              context_value=Context(HeldStore("KH", release=release), KH)))
    while not list(queue_on.glob("run-*")):
        await asyncio.sleep(0.005)
    budget, store = CountingBudget(), HitsStore()
    codes = await _hits(store, VN, budget)
    release.set()
    await held
    assert (codes, budget.taken, store.log) == (["RATE_LIMITED"], 0, [])


async def test_restricted_hits_past_its_searches_in_flight_takes_no_budget_unit(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_in_flight", 1)
    release = asyncio.Event()
    held = asyncio.create_task(schema.execute('{ search(text: "big person", first: 5) { totalCount } }',
                                              context_value=Context(HeldStore("VN", release=release), VN)))
    while not list(queue_on.glob("run-*")):
        await asyncio.sleep(0.005)
    budget = CountingBudget()
    codes = await _hits(HitsStore(), VN, budget)
    release.set()
    await held
    assert (codes, budget.taken) == (["RATE_LIMITED"], 0)


async def test_restricted_hits_that_ran_in_both_lanes_takes_one_budget_unit(queue_on):
    class CutThenAnswered(HitsStore):  # cut in the quick lane, answered in the broad one
        async def read(self, name, params=None, *, timeout_ms=None, **placeholders):
            if timeout_ms == get_settings().search_quick_ms:
                raise StoreTimeout("cut")
            return await super().read(name, params, timeout_ms=timeout_ms)

    budget, store = CountingBudget(), CutThenAnswered()
    assert await _hits(store, VN, budget) == [] and budget.taken == 1
    assert set(store.timeouts) == {get_settings().search_timeout_ms}  # answered in the broad lane
