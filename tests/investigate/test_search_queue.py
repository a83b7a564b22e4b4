"""Searches wait their turn in one queue, fair between agencies, shared by every API worker on the
data directory (issue 10; attack round 29 H1: two agencies' broad searches put a third agency's
entity read at 2.6 s median, eight at 13-18 s). At most LINTAS_SEARCH_SLOTS run in the store at
once; the agency served longest ago goes next; a hung-up client's search never reaches the store."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from graphapi.investigate import search_queue
from graphapi.investigate.search_queue import SearchQueue, Ticket, next_turns
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store import StoreStats

pytestmark = pytest.mark.asyncio(loop_scope="session")

KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
KH_2 = Principal("analyst-kh-2", agency="KH-NP", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
QUERY = '{ search(text: "big person", first: 5) { totalCount } }'


class HeldStore:
    """A store whose searches wait until ``release`` is set, writing ``who`` to ``log`` as each starts."""

    dialect = "falkordb"

    def __init__(self, who: str = "", log: list[str] | None = None, release: asyncio.Event | None = None) -> None:
        self.stats = StoreStats()
        self.who, self.log = who, log if log is not None else []
        self.release = release or asyncio.Event()
        self.timeouts: list[int | None] = []

    @property
    def started(self) -> int:
        return len(self.log)

    async def read(self, name, params=None, *, timeout_ms=None, **placeholders):
        assert name == "search/fulltext", name
        self.log.append(self.who)
        self.timeouts.append(timeout_ms)
        await self.release.wait()
        return [{"total": 0, "hits": []}]


class Request:
    """A starlette request as far as the search asks: is its client still there?"""

    def __init__(self, gone: bool) -> None:
        self.gone = gone

    async def is_disconnected(self) -> bool:
        return self.gone


@pytest.fixture
def queue_on(monkeypatch, tmp_path):
    """The queue of the settings turned on (off for the rest of the suite, conftest), one slot, in a
    data directory of its own."""
    monkeypatch.setattr(get_settings(), "search_slots", 1)
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path / "search-queue"


async def _run(store, principal, request=None) -> dict:
    context = Context(store, principal)
    context.request = request
    result = await schema.execute(QUERY, context_value=context)
    return {"data": result.data, "codes": [e.formatted["extensions"]["code"] for e in result.errors or []]}


async def _waiting(folder, n: int) -> None:
    """Until ``n`` tickets wait in ``folder``."""
    while not folder.exists() or len([p for p in folder.iterdir() if p.name.startswith("wait-")]) < n:
        await asyncio.sleep(0.005)


async def test_a_search_statement_runs_under_the_search_time_limit():
    store = HeldStore()
    store.release.set()
    await _run(store, KH)
    assert store.timeouts == [get_settings().search_timeout_ms] and get_settings().search_timeout_ms == 10_000


async def test_a_flooding_agency_takes_no_turn_from_another_that_asks_once(queue_on):
    log, release = [], asyncio.Event()
    first = asyncio.create_task(_run(HeldStore("KH", log, release), KH))
    while not log:
        await asyncio.sleep(0.005)
    flood = [asyncio.create_task(_run(HeldStore("KH", log, release), KH)) for _ in range(3)]
    await _waiting(queue_on, 3)
    vn = asyncio.create_task(_run(HeldStore("VN", log, release), VN))  # asked after all of KH's
    await _waiting(queue_on, 4)
    release.set()
    results = await asyncio.gather(first, *flood, vn)
    assert log == ["KH", "VN", "KH", "KH", "KH"]
    assert [r["codes"] for r in results] == [[]] * 5


async def test_an_analyst_searching_back_to_back_takes_no_turn_from_a_colleague(queue_on):
    # attack round 29, M2: with polling, one analyst's back-to-back searches locked colleagues out (1 of 11)
    log, release = [], asyncio.Event()
    first = asyncio.create_task(_run(HeldStore("KH", log, release), KH))
    while not log:
        await asyncio.sleep(0.005)
    again = [asyncio.create_task(_run(HeldStore("KH", log, release), KH)) for _ in range(2)]
    await _waiting(queue_on, 2)
    colleague = asyncio.create_task(_run(HeldStore("KH_2", log, release), KH_2))
    await _waiting(queue_on, 3)
    release.set()
    await asyncio.gather(first, *again, colleague)
    assert log == ["KH", "KH_2", "KH", "KH"]


async def test_one_principals_browser_tabs_searching_at_once_all_get_their_turn(queue_on):
    log, release = [], asyncio.Event()
    tabs = [asyncio.create_task(_run(HeldStore("demo", log, release), KH)) for _ in range(3)]
    await _waiting(queue_on, 2)  # one runs, two wait: none is refused
    release.set()
    assert [(await t)["codes"] for t in tabs] == [[], [], []] and log == ["demo"] * 3


async def test_a_principal_past_its_searches_in_flight_is_rate_limited_before_the_store(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_in_flight", 2)
    log, release = [], asyncio.Event()
    held = [asyncio.create_task(_run(HeldStore("KH", log, release), KH)) for _ in range(2)]
    await _waiting(queue_on, 1)
    third = await _run(HeldStore("KH", log, release), KH)
    release.set()
    await asyncio.gather(*held)
    assert third == {"data": {"search": None}, "codes": ["RATE_LIMITED"]} and log == ["KH", "KH"]


async def test_a_search_whose_turn_does_not_come_in_time_is_rate_limited_before_the_store(queue_on, monkeypatch):
    monkeypatch.setattr(get_settings(), "search_wait_s", 0.1)
    log, release = [], asyncio.Event()
    held = asyncio.create_task(_run(HeldStore("KH", log, release), KH))
    while not log:
        await asyncio.sleep(0.005)
    late = await _run(HeldStore("VN", log, release), VN)
    release.set()
    await held
    assert late == {"data": {"search": None}, "codes": ["RATE_LIMITED"]} and log == ["KH"]
    assert not [p for p in queue_on.iterdir() if p.name.startswith(("wait-", "run-"))]  # nothing left behind


async def test_a_search_whose_client_hung_up_while_it_waited_never_reaches_the_store(queue_on):
    log, release = [], asyncio.Event()
    held = asyncio.create_task(_run(HeldStore("KH", log, release), KH))
    while not log:
        await asyncio.sleep(0.005)
    request = Request(gone=False)
    waiting = asyncio.create_task(_run(HeldStore("VN", log, release), VN, request))
    await _waiting(queue_on, 1)
    request.gone = True
    release.set()
    assert (await waiting)["codes"] == ["CLIENT_CLOSED_REQUEST"] and (await held)["codes"] == []
    assert log == ["KH"]


async def test_a_search_whose_client_is_gone_when_its_turn_comes_never_reaches_the_store(queue_on):
    store = HeldStore()
    store.release.set()
    assert (await _run(store, VN, Request(gone=True)))["codes"] == ["CLIENT_CLOSED_REQUEST"] and store.started == 0


async def test_aliased_searches_of_one_request_run_one_after_the_other(queue_on):
    store = HeldStore()
    document = '{ a: search(text: "big") { totalCount } b: search(text: "person") { totalCount } }'
    request = asyncio.create_task(schema.execute(document, context_value=Context(store, KH)))
    await _waiting(queue_on, 1)  # the second search waits its turn meanwhile, it is not refused
    assert store.started == 1
    store.release.set()
    result = await request
    assert (result.errors, result.data) == (None, {"a": {"totalCount": 0}, "b": {"totalCount": 0}})
    assert store.started == 2


HOLDER = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from graphapi.investigate.search_queue import SearchQueue
    from graphapi.security import Principal

    async def main():
        async with SearchQueue(Path(sys.argv[1]), 1, 4, 5.0).turn(Principal("analyst-th", agency="TH-RTP")):
            print("running", flush=True)
            await asyncio.sleep(600)

    asyncio.run(main())
""")


async def test_the_bound_holds_across_workers_and_a_killed_worker_gives_its_turn_back(tmp_path):
    folder = tmp_path / "search-queue"
    other_worker = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert other_worker.stdout.readline() == "running\n"
        with pytest.raises(search_queue.SearchQueueBusy):
            async with SearchQueue(folder, 1, 4, 0.1).turn(VN):
                pytest.fail("a second search ran beside the other worker's")
    finally:
        os.kill(other_worker.pid, signal.SIGKILL)
        other_worker.wait()
    async with SearchQueue(folder, 1, 4, 1.0).turn(VN):
        pass


async def test_a_worker_killed_while_its_search_waited_does_not_hold_the_queue(tmp_path):
    folder = tmp_path / "search-queue"
    async with SearchQueue(folder, 1, 4, 1.0).turn(VN):
        other_worker = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE)
        try:
            await _waiting(folder, 1)  # its ticket is older than the next one asked
        finally:
            os.kill(other_worker.pid, signal.SIGKILL)
            other_worker.wait()
    async with SearchQueue(folder, 1, 4, 0.5).turn(KH):
        assert not [p for p in folder.iterdir() if p.name.startswith("wait-")]  # the dead one's is gone


async def test_two_slots_let_two_searches_run_at_once(tmp_path):
    queue = SearchQueue(tmp_path, 2, 4, 0.1)
    async with queue.turn(KH), queue.turn(VN):
        with pytest.raises(search_queue.SearchQueueBusy):
            async with queue.turn(KH_2):
                pass


async def test_no_queue_is_made_when_the_slots_are_zero(tmp_path):
    async with SearchQueue(tmp_path / "q", 0, 4, 0.1).turn(KH), SearchQueue(tmp_path / "q", 0, 4, 0.1).turn(KH):
        pass
    assert not (tmp_path / "q").exists()


def _ticket(joined: int, agency: str, principal: str) -> Ticket:
    return Ticket(f"wait-{joined}", False, joined, agency, principal)


async def test_the_next_turns_go_to_the_agency_served_longest_ago_then_its_principal_then_the_oldest_ticket():
    waiting = [_ticket(1, "kh", "kh1"), _ticket(2, "kh", "kh2"), _ticket(3, "vn", "vn1"), _ticket(4, "th", "th1")]
    served = {"akh": 50, "avn": 10, "pkh1": 40, "pkh2": 20}  # th: never served
    assert [t.principal for t in next_turns(waiting, served, 4)] == ["th1", "vn1", "kh2", "kh1"]
    assert [t.principal for t in next_turns(waiting, {}, 2)] == ["kh1", "vn1"]
