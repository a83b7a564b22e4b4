"""One principal's searches in flight are bounded per API worker (attack round 26, G1): a search
for a word with tens of thousands of visible matches holds a store query thread, and three of
them stalled every other agency's reads. Past LINTAS_SEARCH_IN_FLIGHT a search fails at once with
RATE_LIMITED, before it reaches the store; the statement runs under LINTAS_SEARCH_TIMEOUT_MS. An
agency's searches also share LINTAS_SEARCH_PER_AGENCY slots across the API workers (round 28, H1)."""

from __future__ import annotations

import asyncio

import pytest

from graphapi.investigate import search_gate
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store import StoreStats

pytestmark = pytest.mark.asyncio(loop_scope="session")

KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
QUERY = '{ search(text: "big person", first: 5) { totalCount } }'


class HeldStore:
    """A store whose searches wait until ``release`` is set, recording each one's time limit."""

    dialect = "falkordb"

    def __init__(self) -> None:
        self.stats = StoreStats()
        self.release = asyncio.Event()
        self.started = 0
        self.timeouts: list[int | None] = []

    async def read(self, name, params=None, *, timeout_ms=None, **placeholders):
        assert name == "search/fulltext", name
        self.started += 1
        self.timeouts.append(timeout_ms)
        await self.release.wait()
        return [{"total": 0, "hits": []}]


async def _run(store, principal) -> dict:
    result = await schema.execute(QUERY, context_value=Context(store, principal))
    return {"data": result.data, "codes": [e.formatted["extensions"]["code"] for e in result.errors or []]}


async def _while_one_is_held(first, second) -> tuple[dict, dict, int]:
    """``first``'s search, and ``second``'s asked while ``first``'s is held in the store; with how
    many searches reached the store."""
    store = HeldStore()
    held = asyncio.create_task(_run(store, first))
    while store.started < 1:
        await asyncio.sleep(0)
    try:
        asked = await _run(store, second)
    finally:
        store.release.set()
    return await held, asked, store.started


async def test_a_second_search_of_the_same_principal_in_flight_is_rate_limited_before_the_store(monkeypatch):
    monkeypatch.setattr(search_gate, "WAIT_S", 0.05)
    first, second, started = await _while_one_is_held(KH, KH)
    assert second == {"data": {"search": None}, "codes": ["RATE_LIMITED"]} and started == 1
    assert first["data"] == {"search": {"totalCount": 0}}


async def test_another_principals_search_is_not_held_back_by_one_in_flight():
    store = HeldStore()
    first = asyncio.create_task(_run(store, KH))
    while store.started < 1:
        await asyncio.sleep(0)
    other = asyncio.create_task(_run(store, VN))
    while store.started < 2:
        await asyncio.sleep(0)
    store.release.set()
    assert [(await t)["data"] for t in (first, other)] == [{"search": {"totalCount": 0}}] * 2


async def test_a_principal_may_search_again_once_its_search_ended():
    store = HeldStore()
    store.release.set()
    assert [(await _run(store, KH))["codes"] for _ in range(3)] == [[], [], []]


async def test_a_search_statement_runs_under_the_search_time_limit():
    store = HeldStore()
    store.release.set()
    await _run(store, KH)
    assert store.timeouts == [get_settings().search_timeout_ms] and get_settings().search_timeout_ms == 10_000


KH_2 = Principal("analyst-kh-2", agency="KH-NP", roles=frozenset({"analyst"}))


async def test_a_colleagues_search_waits_for_the_agencys_slot_then_is_rate_limited(monkeypatch, tmp_path):
    # attack round 28, H1: one agency's analysts held every store thread through two workers
    monkeypatch.setattr(search_gate, "WAIT_S", 0.05)
    monkeypatch.setattr(get_settings(), "search_per_agency", 1)  # off for the rest of the suite (conftest)
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    first, second, started = await _while_one_is_held(KH, KH_2)
    assert second == {"data": {"search": None}, "codes": ["RATE_LIMITED"]} and started == 1
    assert first["data"] == {"search": {"totalCount": 0}}


async def test_the_agency_slot_is_shared_by_every_holder_of_the_data_directory(tmp_path, monkeypatch):
    # each holder opens the slot file itself, as another API worker process does: flock is per opening
    monkeypatch.setattr(search_gate, "WAIT_S", 0)
    async with search_gate.agency_slot(tmp_path, "KH-NP", 1):
        with pytest.raises(search_gate.AgencySearchesBusy):
            async with search_gate.agency_slot(tmp_path, "KH-NP", 1):
                pass
        async with search_gate.agency_slot(tmp_path, "VN-MPS", 1):  # another agency's slot is its own
            pass
        async with search_gate.agency_slot(tmp_path, "KH-NP", 2):  # a second slot when two are allowed
            pass
    async with search_gate.agency_slot(tmp_path, "KH-NP", 1):  # free again once the search ended
        pass


async def test_a_search_slot_is_given_back_when_its_search_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(search_gate, "WAIT_S", 0)
    with pytest.raises(RuntimeError):
        async with search_gate.agency_slot(tmp_path, "KH-NP", 1):
            raise RuntimeError("the store went away")
    async with search_gate.agency_slot(tmp_path, "KH-NP", 1):
        pass


async def test_no_agency_slot_is_taken_when_the_limit_is_zero(tmp_path):
    async with search_gate.agency_slot(tmp_path, "KH-NP", 0), search_gate.agency_slot(tmp_path, "KH-NP", 0):
        pass
    assert not (tmp_path / "search-slots").exists()


async def test_aliased_searches_of_one_request_run_one_after_the_other():
    store = HeldStore()
    document = '{ a: search(text: "big") { totalCount } b: search(text: "person") { totalCount } }'
    request = asyncio.create_task(schema.execute(document, context_value=Context(store, KH)))
    while store.started < 1:
        await asyncio.sleep(0)
    await asyncio.sleep(0.05)  # the second search waits at the gate meanwhile, it is not refused
    assert store.started == 1
    store.release.set()
    result = await request
    assert (result.errors, result.data) == (None, {"a": {"totalCount": 0}, "b": {"totalCount": 0}})
    assert store.started == 2
