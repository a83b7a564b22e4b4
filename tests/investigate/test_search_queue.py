"""Searches wait their turn in one queue, fair between agencies, shared by every API worker on the
data directory (issue 10; attack round 29 H1: two agencies' broad searches put a third agency's
entity read at 2.6 s median, eight at 13-18 s). At most LINTAS_SEARCH_SLOTS run in the store at
once; the agency served longest ago goes next; a hung-up client's search never reaches the store."""

from __future__ import annotations

import asyncio
import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from graphapi.investigate import search_queue
from graphapi.investigate.search_queue import SearchQueue, Ticket, next_turns
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store import StoreStats
from graphapi.store.errors import StoreTimeout

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
    """The queue of the settings turned on (off for the rest of the suite, conftest), one slot in each
    lane (the turns' order is the same with more: test_search_lanes has the quick lane's two), in a
    data directory of its own."""
    monkeypatch.setattr(get_settings(), "search_slots", 1)
    monkeypatch.setattr(get_settings(), "search_quick_slots", 1)
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


async def test_aliased_searches_of_one_request_run_one_after_the_other_past_the_searches_in_flight(queue_on):
    # attack round 30a L2: the 5th and later aliases were refused at once (RATE_LIMITED)
    store = HeldStore()
    document = "{ " + " ".join(f'a{i}: search(text: "big") {{ totalCount }}' for i in range(6)) + " }"
    request = asyncio.create_task(schema.execute(document, context_value=Context(store, KH)))
    while not store.started:
        await asyncio.sleep(0.005)
    await asyncio.sleep(0.1)
    assert store.started == 1  # the others wait their turn meanwhile, they are not refused
    store.release.set()
    result = await request
    assert (result.errors, result.data) == (None, {f"a{i}": {"totalCount": 0} for i in range(6)})
    assert store.started == 6


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


NOW = 10**18
MINUTE = 60 * 10**9


async def test_the_next_turns_go_to_the_agency_that_used_the_least_store_time_then_its_principal_then_the_oldest():
    # attack round 30a H1: turns counted per search put a rare agency behind every flooder's round
    waiting = [_ticket(1, "kh", "kh1"), _ticket(2, "kh", "kh2"), _ticket(3, "vn", "vn1"), _ticket(4, "th", "th1")]
    costs = {"akh": (40.0, NOW), "avn": (0.3, NOW), "pkh1": (30.0, NOW), "pkh2": (10.0, NOW)}  # th: none
    assert [t.principal for t in next_turns(waiting, costs, 4, NOW)] == ["th1", "vn1", "kh2", "kh1"]
    assert [t.principal for t in next_turns(waiting, {}, 2, NOW)] == ["kh1", "vn1"]


async def test_an_agency_served_just_now_but_cheaply_goes_ahead_of_one_that_flooded_broad_searches_minutes_ago():
    waiting = [_ticket(1, "flood", "f1"), _ticket(2, "rare", "r1")]
    costs = {"aflood": (80.0, NOW - 3 * MINUTE), "arare": (0.2, NOW)}  # 80 s three half-lives ago: 10 s
    assert [t.agency for t in next_turns(waiting, costs, 2, NOW)] == ["rare", "flood"]


async def test_store_time_used_counts_half_after_the_half_life():
    costs = {"akh": (8.0, NOW - 2 * MINUTE)}
    assert search_queue.decayed(costs, "akh", NOW) == 2.0 and search_queue.decayed(costs, "avn", NOW) == 0.0


async def test_the_costs_file_keeps_only_the_most_recently_charged_entries():
    # attack round 30a L3: the file grew by one key per subject and was parsed at every decision
    costs = {f"p{i}": (1.0, NOW - i) for i in range(search_queue.MAX_REMEMBERED + 50)}
    kept = search_queue.charged(costs, ["anew"], 1.0, NOW)
    assert len(kept) == search_queue.MAX_REMEMBERED and "anew" in kept and "p0" in kept
    assert f"p{search_queue.MAX_REMEMBERED + 49}" not in kept


@pytest.mark.parametrize("content", ["[1, 2, 3]", "7", '{"aX": "junk"}', '{"aX": null}', "{trunc", "dir"])
async def test_a_costs_file_of_any_other_shape_is_started_afresh_and_searches_go_on(queue_on, content):
    # attack round 30a M1: each of these made every search of every agency fail INTERNAL, forever
    queue_on.mkdir(mode=0o700)
    path = queue_on / search_queue.COSTS
    path.mkdir() if content == "dir" else path.write_text(content)
    store = HeldStore()
    store.release.set()
    assert (await _run(store, KH))["codes"] == [] and (await _run(store, VN))["codes"] == []
    if content != "dir":
        assert isinstance(json.loads(path.read_text()), dict)  # rewritten in its own shape


class CutStore(HeldStore):
    """A store that cuts every statement run under less than ``needs_ms`` (a broad search)."""

    def __init__(self, needs_ms: int, **kw) -> None:
        super().__init__(**kw)
        self.needs_ms = needs_ms
        self.release.set()

    async def read(self, name, params=None, *, timeout_ms=None, **placeholders):
        self.timeouts.append(timeout_ms)
        if timeout_ms is not None and timeout_ms < self.needs_ms:
            raise StoreTimeout("cut")
        self.log.append(self.who)
        return [{"total": 0, "hits": []}]


async def test_a_search_ends_in_the_quick_lane_under_its_short_time_limit(queue_on):
    store = CutStore(needs_ms=100)
    assert (await _run(store, KH))["codes"] == [] and store.timeouts == [get_settings().search_quick_ms] == [300]


async def test_a_search_the_store_cuts_in_the_quick_lane_runs_again_in_the_broad_lane_under_the_full_limit(queue_on):
    store = CutStore(needs_ms=5_000)
    assert (await _run(store, KH))["codes"] == [] and store.timeouts == [300, 10_000]


async def test_a_quick_search_runs_while_a_broad_one_holds_the_broad_lane(queue_on):
    # attack round 30a M5: a 0.14 s search waited seconds behind broad ones in the one slot
    release = asyncio.Event()
    broad = asyncio.create_task(_run(BroadHeld(release), KH))
    while not (queue_on / "broad-0.lock").exists() or not list(queue_on.glob("run-*-broad.lock")):
        await asyncio.sleep(0.005)
    quick = HeldStore("VN")
    quick.release.set()
    assert (await asyncio.wait_for(_run(quick, VN), 2))["codes"] == [] and quick.started == 1
    release.set()
    assert (await broad)["codes"] == []


class BroadHeld(HeldStore):
    """A broad search: cut in the quick lane, held in the broad one until ``release``."""

    def __init__(self, release: asyncio.Event) -> None:
        super().__init__(release=release)

    async def read(self, name, params=None, *, timeout_ms=None, **placeholders):
        if timeout_ms == get_settings().search_quick_ms:
            raise StoreTimeout("cut")
        return await super().read(name, params, timeout_ms=timeout_ms)


class HitsStore(HeldStore):
    """Answers restrictedHits' statements with no rows, logging their names."""

    async def read(self, name, params=None, *, timeout_ms=None, **placeholders):
        self.log.append(name)
        self.timeouts.append(timeout_ms)
        return []


async def test_restricted_hits_waits_its_turn_in_the_search_queue_like_a_search(queue_on):
    # attack round 30a H2: restrictedHits ran its full-text statements beside the queue's search
    release = asyncio.Event()
    held = asyncio.create_task(_run(HeldStore("KH", release=release), KH))
    while not list(queue_on.glob("run-*")):
        await asyncio.sleep(0.005)
    store = HitsStore()
    context = Context(store, VN, hit_budget=search_queue_test_budget())
    hits = asyncio.create_task(schema.execute('{ restrictedHits(text: "big person") { agency } }',
                                              context_value=context))
    await _waiting(queue_on, 1)
    await asyncio.sleep(0.1)
    assert store.log == []  # not in the store while the search runs
    release.set()
    result, _ = await hits, await held
    assert result.errors is None and store.log[0] == "security/search/restricted_hits"
    assert store.timeouts[0] == get_settings().search_quick_ms


def search_queue_test_budget():
    class Unlimited:
        async def allow(self, key, cost=1.0, store=None):
            return 0.0
    return Unlimited()


HOLDER_RUNNING = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from graphapi.investigate.search_queue import SearchQueue
    from graphapi.security import Principal

    async def main():
        queue = SearchQueue(Path(sys.argv[1]), 1, 4, 5.0, hold_s=float(sys.argv[2]))
        async with queue.turn(Principal("analyst-th", agency="TH-RTP")):
            print("running", flush=True)
            await asyncio.sleep(600)

    asyncio.run(main())
""")


async def test_a_slot_whose_worker_was_killed_mid_statement_stays_busy_until_the_statement_must_have_ended(tmp_path):
    # attack round 30a M2: the store kept running the dead worker's statement beside the next one
    folder = tmp_path / "search-queue"
    worker = subprocess.Popen([sys.executable, "-c", HOLDER_RUNNING, str(folder), "0.5"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert worker.stdout.readline() == "running\n"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    with pytest.raises(search_queue.SearchQueueBusy):  # its statement may run 0.5 s (+1 s margin)
        async with SearchQueue(folder, 1, 4, 0.3).turn(VN):
            pytest.fail("a search ran beside the killed worker's statement")
    async with SearchQueue(folder, 1, 4, 3.0).turn(VN):
        pass


async def test_a_normal_release_frees_the_slot_at_once_whatever_its_deadline(tmp_path):
    queue = SearchQueue(tmp_path, 1, 4, 0.1, hold_s=60.0)
    async with queue.turn(KH):
        pass
    async with queue.turn(VN):
        pass


async def test_the_store_may_run_a_cut_search_one_second_past_its_limit_embedded_and_five_on_neo4j():
    # attack round 31: Neo4j stops a timed-out transaction when its monitor next looks (every 2 s):
    # a 300 ms search came back cut after 0.48-2.12 s, past the 1.3 s its slot recorded
    from graphapi.settings import Neo4jSettings, Settings
    assert Settings(neo4j=Neo4jSettings(uri=None)).search_cut_margin_in_force == 1.0
    assert Settings(neo4j=Neo4jSettings(uri="bolt://127.0.0.1:7687")).search_cut_margin_in_force == 5.0
    assert Settings(neo4j=Neo4jSettings(uri="bolt://127.0.0.1:7687"),
                    search_cut_margin_s=12).search_cut_margin_in_force == 12.0


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "61", "-1"])
def test_a_cut_margin_that_is_endless_or_outside_0_to_60_seconds_is_refused_at_start_up(monkeypatch, value):
    # attack round 31b: "inf" made a killed worker's slot record the deadline "inf", busy forever
    from pydantic import ValidationError

    from graphapi.settings import Settings
    monkeypatch.setenv("LINTAS_SEARCH_CUT_MARGIN_S", value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert [e["loc"] for e in caught.value.errors()] == [("search_cut_margin_s",)]


def test_a_cut_margin_of_60_seconds_is_taken(monkeypatch):
    from graphapi.settings import Settings
    monkeypatch.setenv("LINTAS_SEARCH_CUT_MARGIN_S", "60")
    assert Settings().search_cut_margin_in_force == 60.0


@pytest.mark.parametrize("given", [{"margin_s": math.inf}, {"hold_s": math.nan}, {"margin_s": -1.0}])
async def test_a_queue_made_directly_refuses_an_endless_or_negative_hold_or_margin(tmp_path, given):
    with pytest.raises(ValueError, match="must be finite and >= 0"):
        SearchQueue(tmp_path, slots=1, per_principal=1, wait_s=1.0, **given)


async def test_a_running_quick_search_on_neo4j_records_its_slot_busy_until_its_limit_plus_neo4js_cut_margin(
        queue_on, monkeypatch):
    monkeypatch.setattr(get_settings().neo4j, "uri", "bolt://127.0.0.1:7687")
    store = HeldStore("KH")
    before = time.time()
    running = asyncio.create_task(_run(store, KH))
    while not store.started:
        await asyncio.sleep(0.005)
    recorded = float((queue_on / "quick-0.lock").read_text())
    after = time.time()
    store.release.set()
    assert (await running)["codes"] == []
    assert before + 0.3 + 5.0 <= recorded + 0.001 and recorded <= after + 0.3 + 5.0 + 0.001
    assert (queue_on / "quick-0.lock").read_text() == ""  # a normal release clears it


class Clock:
    """``time`` as the queue reads it, with the wall clock at ``now`` (monotonic time runs as ever)."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.monotonic, self.sleep = time.monotonic, time.sleep

    def time(self) -> float:
        return self.now

    def time_ns(self) -> int:
        return int(self.now * 1e9)


async def test_a_dead_workers_slot_is_busy_until_its_recorded_deadline_and_free_after(tmp_path, monkeypatch):
    folder = tmp_path / "search-queue"
    folder.mkdir(mode=0o700)
    (folder / "quick-0.lock").write_text("1000.300")  # a worker killed mid-search: deadline, no lock
    clock = Clock(1000.299)
    monkeypatch.setattr(search_queue, "time", clock)
    with pytest.raises(search_queue.SearchQueueBusy):
        async with SearchQueue(folder, 1, 4, 0.1, lane="quick").turn(VN):
            pytest.fail("a search ran beside the dead worker's statement")
    clock.now = 1000.301
    async with SearchQueue(folder, 1, 4, 0.1, lane="quick").turn(VN):
        pass
