"""``coTravelGroups`` holds one request's CPU and memory within its work budget, stops when the
request is given up, and never runs on asyncio's default executor (attack round a-66, 2: 5,000
candidates each built one occasion per quiet run uncounted, 17.5 million occasions, 70 s of CPU
and 2.8 GB for one request, in a thread that ran on after the request's deadline, on the executor
JWKS authentication and the other ``to_thread`` users share). Counted, never timed."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

import graphapi.investigate.cotravel_groups as groups_module
import graphapi.investigate.cotravel_threads as threads_module
from graphapi.errors import public_error
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.cotravel_mining import Work
from graphapi.investigate.cotravel_occasions import GroupOccasions
from graphapi.investigate.cotravel_pieces import Crossing
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
T0 = datetime(2025, 1, 1)
U = [f"per-u{i}" for i in range(8)]
LEFT_OUT, TOGETHER = 7, 40  # 2^7 subsets of U as candidates, each on TOGETHER quiet runs


def _crossing(cid: str, person: str, checkpoint: str, at: datetime) -> EdgeRecord:
    return EdgeRecord("CROSSED", cid, person, checkpoint, {"at": at.isoformat(), "direction": "entry"})


async def _many_candidates_on_many_quiet_runs(store) -> None:
    """U cross bcp-a LEFT_OUT times each leaving one out (a candidate per subset), then bcp-z
    TOGETHER times all together: every candidate is on TOGETHER quiet runs."""
    recs = [NodeRecord("BorderCheckpoint", c, {"name": c}) for c in ("bcp-a", "bcp-z")]
    recs += [NodeRecord("Person", p, {"name": p}) for p in U]
    recs += [_crossing(f"m{i}-{p}", p, "bcp-a", T0 + timedelta(days=i, seconds=k))
             for i in range(LEFT_OUT) for k, p in enumerate(U) if p != U[i]]
    recs += [_crossing(f"f{n}-{p}", p, "bcp-z", T0 + timedelta(days=n, seconds=k))
             for n in range(TOGETHER) for k, p in enumerate(U)]
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="s")


def _counting_occasions(monkeypatch, on_call=None) -> list[int]:
    """GroupOccasions.of counting its calls (``[0]``) and the occasions it built (``[1]``)."""
    counts = [0, 0]
    of = GroupOccasions.of

    def counting_of(self, group, bits):
        counts[0] += 1
        if on_call is not None:
            on_call(self)
        out = of(self, group, bits)
        counts[1] += len(out or ())
        return out

    monkeypatch.setattr(GroupOccasions, "of", counting_of)
    return counts


def test_a_groups_quiet_occasions_are_counted_against_the_work_budget():
    runs = [[Crossing(f"c{i}-{p}", p, "bcp-z", "entry", T0 + timedelta(days=i))] for i in range(50) for p in "ab"]
    runs = [[*runs[2 * i], *runs[2 * i + 1]] for i in range(50)]
    # each of the 50 occasions QUIET_STEPS (4) steps
    occasions = GroupOccasions(runs, [(i, None) for i in range(50)], timedelta(hours=2), Work(199))
    assert occasions.of(frozenset("ab"), (1 << 50) - 1) is None
    occasions = GroupOccasions(runs, [(i, None) for i in range(50)], timedelta(hours=2), Work(200))
    assert len(occasions.of(frozenset("ab"), (1 << 50) - 1)) == 50


@pytest.mark.backends
async def test_the_occasions_one_request_builds_stay_within_the_work_budget(empty_store, monkeypatch):
    await _many_candidates_on_many_quiet_runs(empty_store)
    monkeypatch.setattr(groups_module, "MAX_WORK", 2_000)  # ~120 candidates x 40 runs: 4,800 uncounted
    counts = _counting_occasions(monkeypatch)
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1)
    assert found.truncated
    assert 0 < counts[1] <= 2_000


@pytest.mark.one_store("the grouping's thread is the same Python on both stores")
async def test_a_request_given_up_stops_its_grouping_at_the_next_step(empty_store, monkeypatch):
    await _many_candidates_on_many_quiet_runs(empty_store)
    loop, task = asyncio.get_running_loop(), []

    def cancel_then_wait_for_the_stop(occasions):
        if len(task) == 1:
            task.append(loop.call_soon_threadsafe(task[0].cancel))
            stopped = getattr(occasions.work, "stop", None)
            if stopped is not None:
                stopped.wait(10)

    counts = _counting_occasions(monkeypatch, cancel_then_wait_for_the_stop)
    ended, groups = threading.Event(), groups_module._groups

    def marking_the_end(*args):
        try:
            return groups(*args)
        finally:
            ended.set()

    monkeypatch.setattr(groups_module, "_groups", marking_the_end)
    task.append(asyncio.ensure_future(co_travel_groups(empty_store, TH, window=2, min_occurrences=2)))
    with pytest.raises(asyncio.CancelledError):
        await task[0]
    assert ended.is_set()  # the request ended with its thread
    assert counts[0] == 1  # the group being worked on when the request was given up, no other


async def _blocked_grouping(monkeypatch) -> tuple[threading.Event, list[str]]:
    """``_groups`` waiting (up to 30 s) for the event returned; the threads it ran in."""
    release, ran_in = threading.Event(), []
    groups = groups_module._groups

    def held(*args):
        ran_in.append(threading.current_thread().name)
        release.wait(30)
        return groups(*args)

    monkeypatch.setattr(groups_module, "_groups", held)
    return release, ran_in


async def _the_one_grouping_running(store, monkeypatch):
    """One grouping in flight of at most one, held in its thread until ``release`` is set: the
    request (a future), the event, and the thread names it ran in."""
    await _many_candidates_on_many_quiet_runs(store)
    monkeypatch.setattr(threads_module, "MAX_IN_FLIGHT_PER_AGENCY", 1)
    release, ran_in = await _blocked_grouping(monkeypatch)
    first = asyncio.ensure_future(co_travel_groups(store, TH, window=2, min_occurrences=2, limit=1))
    while not ran_in:
        await asyncio.sleep(0.01)
    return first, release, ran_in


@pytest.mark.one_store("the executor is the same Python on both stores")
async def test_a_grouping_holds_no_thread_of_the_default_executor(empty_store, monkeypatch):
    await _many_candidates_on_many_quiet_runs(empty_store)
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "_default_executor", ThreadPoolExecutor(1))  # restored after the test
    release, ran_in = await _blocked_grouping(monkeypatch)
    request = asyncio.ensure_future(co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1))
    while not ran_in:
        await asyncio.sleep(0.01)
    # another request's small job runs while the grouping holds its thread (it released it)
    await asyncio.wait_for(asyncio.to_thread(release.set), 20)
    assert (await request).groups
    assert ran_in[0].startswith("cotravel")


@pytest.mark.one_store("the executor is the same Python on both stores")
async def test_groupings_past_the_bound_are_refused_with_an_error_saying_so(empty_store, monkeypatch):
    first, release, ran_in = await _the_one_grouping_running(empty_store, monkeypatch)
    try:
        with pytest.raises(threads_module.GroupingsBusy) as refused:
            await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1)
    finally:
        release.set()
    assert public_error(refused.value) == (
        "RATE_LIMITED", "your agency already has 1 coTravelGroups requests running or waiting on this server, "
        "as many as it may have; retry when one ends")
    assert (await first).groups
    assert ran_in[0].startswith("cotravel")


@pytest.mark.one_store("the grouping's thread is the same Python on both stores")
async def test_the_crossings_read_are_sorted_and_chained_in_the_groupings_thread(empty_store, monkeypatch):
    # 50,000 rows' sorting, parsing and chaining held the event loop 2 to 3 s (attack round a-70, 3)
    await _many_candidates_on_many_quiet_runs(empty_store)
    chained_in, chained = [], groups_module.chained_runs

    def chaining(*args):
        chained_in.append(threading.current_thread().name)
        return chained(*args)

    monkeypatch.setattr(groups_module, "chained_runs", chaining)
    assert (await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1)).groups
    assert len(chained_in) == 1 and chained_in[0].startswith("cotravel")  # was MainThread


def _counting_reads(store, monkeypatch) -> list[str]:
    """The statements ``store`` reads, by name, from now on."""
    names, read = [], store.read

    async def counting(name, *args, **kwargs):
        names.append(name)
        return await read(name, *args, **kwargs)

    monkeypatch.setattr(store, "read", counting)
    return names


@pytest.mark.one_store("the executor is the same Python on both stores")
async def test_a_request_past_the_bound_is_refused_before_it_reads_or_parses_a_crossing(empty_store, monkeypatch):
    first, release, ran_in = await _the_one_grouping_running(empty_store, monkeypatch)
    reads, parsed, parse = _counting_reads(empty_store, monkeypatch), [], groups_module.parse_crossings
    monkeypatch.setattr(groups_module, "parse_crossings", lambda rows: parsed.append(len(rows)) or parse(rows))
    try:
        with pytest.raises(threads_module.GroupingsBusy):
            await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1)
    finally:
        release.set()
    assert (reads, parsed) == ([], [])  # was (["analytics/crossings_between"], [369])
    assert (await first).groups


@pytest.mark.one_store("the executor is the same Python on both stores")
async def test_a_request_keeps_its_place_from_its_grouping_to_its_listing(empty_store, monkeypatch):
    # its place was given back between the two and taken again for the listing: another request
    # taking it meanwhile had the first refused after its grouping was done
    await _many_candidates_on_many_quiet_runs(empty_store)
    monkeypatch.setattr(threads_module, "MAX_IN_FLIGHT_PER_AGENCY", 1)
    other, shown_ids = [], groups_module.shown_ids

    async def another_request_first(*args):
        if not other:
            other.append(None)  # once: its own listing comes here too
            try:
                other[0] = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1)
            except threads_module.GroupingsBusy as refused:
                other[0] = refused
        return await shown_ids(*args)

    monkeypatch.setattr(groups_module, "shown_ids", another_request_first)
    assert (await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=1)).groups
    assert isinstance(other[0], threads_module.GroupingsBusy)  # was answered: the place was free


def _rows(n: int) -> list[dict]:
    """``n`` crossings' rows as crossings_between reads them: one a minute at one checkpoint, of
    n // 3 people (a crowded run past MAX_CROWD people for n > 300)."""
    return [{"id": f"x{i}", "traveller": f"per-{i % (n // 3)}", "checkpoint": "bcp-busy", "direction": "exit",
             "at": (T0 + timedelta(minutes=i)).isoformat(), "hidden": False, "properties": {}} for i in range(n)]


def test_reading_the_crossings_is_counted_within_its_steps_per_row_and_stops_when_given_up():
    rows, stop = _rows(900), threading.Event()
    work = Work(groups_module.READ_STEPS * len(rows), stop)
    read = groups_module._read(rows, timedelta(hours=2), 2, work)
    assert (read.cut, len(read.runs) > 1, 0 < work.done <= work.bound) == (False, True, True)
    stop.set()
    read = groups_module._read(rows, timedelta(hours=2), 2, Work(groups_module.READ_STEPS * len(rows), stop))
    assert (read.cut, read.runs, read.people) == (True, [], [])
