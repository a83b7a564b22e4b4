"""A group crossing together at a checkpoint with steady traffic is found: a run of more than
MAX_CROWD people chained by the traffic is cut by the clock into windows starting every half window
(attack round a-56, F8: one other traveller every 90 minutes chained the week into one run of 116
people, left out as a crowd, and the group of four crossing together on two days was never found).
Nobody's crossings choose the cuts: cut at the run's own shortest or longest gaps, one partner
person crossing every 2 minutes (a-57, 7) or 58 made-up people crossing once each (a-59, 1) split
the group of four, and a member's own earlier crossing hid her from it (a-59, 2)."""

from datetime import datetime, timedelta

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate import cotravel_groups
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.cotravel_pieces import mined_pieces
from graphapi.security import Principal

TH = Principal("ana-th", agency="TH-DSI")
START = datetime(2026, 5, 1)
GROUP = [f"per-g{k}" for k in range(4)]


def _crossing(cid: str, person: str, at: datetime) -> list:
    return [NodeRecord("Person", person, {"name": person}),
            EdgeRecord("CROSSED", cid, person, "bcp-busy", {"at": at.isoformat(), "direction": "exit"})]


async def _busy_week(store, every_minutes: int) -> None:
    """The group within ten minutes on days 2 and 5, and one other traveller every ``every_minutes``."""
    recs: list = [NodeRecord("BorderCheckpoint", "bcp-busy", {"name": "Busy Bridge", "kind": "land"})]
    for day in (2, 5):
        for k, person in enumerate(GROUP):
            recs += _crossing(f"g{day}-{k}", person, START + timedelta(days=day, hours=10, minutes=3 * k))
    t, n = START, 0
    while t < START + timedelta(days=7):
        recs += _crossing(f"b{n}", f"per-b{n}", t)
        t, n = t + timedelta(minutes=every_minutes), n + 1
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="imm")


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@pytest.mark.parametrize(("every", "window"), [(90, 2), (10, 0.25)], ids=["every-90-min", "every-10-min"])
async def test_a_group_is_found_among_a_busy_checkpoints_steady_traffic(empty_store, every, window):
    await _busy_week(empty_store, every)
    found = await co_travel_groups(empty_store, TH, window=window)
    assert [sorted(m.id for m in g.members) for g in found.groups] == [GROUP]
    assert (found.crowds, [len(g.occasions) for g in found.groups]) == (0, [2])


async def _a_partners_filler(store) -> None:
    """VN-MPS (GREEN) says one person crossed every 2 minutes from 08:05 to 09:59, days 2 and 5."""
    recs: list = [NodeRecord("BorderCheckpoint", "bcp-busy", {"name": "Busy Bridge", "kind": "land"})]
    for day in (2, 5):
        at, n = START + timedelta(days=day, hours=8, minutes=5), 0
        while at < START + timedelta(days=day, hours=10):
            recs += _crossing(f"f{day}-{n}", "per-vn-filler", at)
            at, n = at + timedelta(minutes=2), n + 1
    await write_records(store, recs, provenance=Provenance(owner="VN-MPS", tlp="GREEN"), source="vn-imm")


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_one_persons_frequent_crossings_before_the_group_do_not_split_it(empty_store):
    await _busy_week(empty_store, 90)
    await _a_partners_filler(empty_store)
    found = await co_travel_groups(empty_store, TH, window=2)
    # the filler crossed within the window of the group on both days (09:59, the group from 10:00):
    # with it, not splitting it
    assert [sorted(m.id for m in g.members) for g in found.groups] == [[*GROUP, "per-vn-filler"]]
    assert [[c.id for o in g.occasions for c in o.crossings if c.start in GROUP] for g in found.groups] == [
        [f"g{day}-{k}" for day in (2, 5) for k in range(4)]]


async def _vn(store, records: list, tlp: str = "GREEN") -> None:
    records = [NodeRecord("BorderCheckpoint", "bcp-busy", {"name": "Busy Bridge", "kind": "land"}), *records]
    await write_records(store, records, provenance=Provenance(owner="VN-MPS", tlp=tlp), source="vn-imm")


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_made_up_people_crossing_once_each_before_the_group_do_not_split_it(empty_store):
    await _busy_week(empty_store, 90)
    records: list = []
    for day in (2, 5):  # 58 people of VN-MPS, one every 2 minutes from 08:05 to 09:59
        records += [r for n in range(58) for r in _crossing(
            f"f{day}-{n}", f"per-vn-{day}-{n}", START + timedelta(days=day, hours=8, minutes=5 + 2 * n))]
    await _vn(empty_store, records)
    found = await co_travel_groups(empty_store, TH, window=2)
    assert [sorted(m.id for m in g.members) for g in found.groups] == [GROUP]
    assert [len(g.occasions) for g in found.groups] == [2]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_a_members_earlier_crossing_that_day_leaves_her_in_the_group(empty_store):
    await _busy_week(empty_store, 90)
    await _vn(empty_store, [r for day in (2, 5) for r in _crossing(
        f"x{day}", GROUP[3], START + timedelta(days=day, hours=8, minutes=20))])
    found = await co_travel_groups(empty_store, TH, window=2)
    assert [sorted(m.id for m in g.members) for g in found.groups] == [GROUP]
    assert [[c.id for o in g.occasions for c in o.crossings] for g in found.groups] == [
        [f"g{day}-{k}" for day in (2, 5) for k in range(4)]]


def _with_background(*crossings: tuple[str, int]) -> list:
    """A run of the group at minutes 0, 3, 6, 9 after 10:00, ``crossings`` (person, minute) and
    MAX_CROWD others every 90 minutes from 50 hours before, in time order."""
    at = START + timedelta(hours=10)
    run = [cotravel_groups._Crossing(f"c{i}", person, "bcp", "exit", at + timedelta(minutes=m))
           for i, (person, m) in enumerate([*((g, 3 * k) for k, g in enumerate(GROUP)), *crossings])]
    run += [cotravel_groups._Crossing(f"b{n}", f"per-b{n}", "bcp", "exit", at + timedelta(minutes=90 * n - 3000))
            for n in range(cotravel_groups.MAX_CROWD)]
    return sorted(run, key=lambda c: (c.at, c.id))


def _cells_of(pieces: list, person: str) -> list[int]:
    return [cell for cell, piece in pieces if any(c.traveller == person for c in piece)]


def test_a_crowded_runs_pieces_are_windows_every_half_window_of_the_clock():
    pieces = cotravel_groups._crowd_pieces(_with_background(), timedelta(hours=2))
    # 2026-05-01T10:00 is hour 493,786 since the epoch: cells of one hour, each piece two of them
    assert _cells_of(pieces, "per-g0") == [493_785, 493_786]
    assert all(piece[-1].at - piece[0].at < timedelta(hours=2) for _, piece in pieces)
    assert all(len(_cells_of(pieces, f"per-b{n}")) == 2 for n in range(cotravel_groups.MAX_CROWD))


FOUR = {"c0", "c1", "c2", "c3"}  # the group's crossings in _with_background


def test_where_a_crowded_run_is_cut_depends_on_no_ones_crossings():
    alone = cotravel_groups._crowd_pieces(_with_background(), timedelta(hours=2))
    for others in ([("per-f", m) for m in range(-115, 0, 2)], [(f"per-f{m}", m) for m in range(-115, 0, 2)],
                   [("per-g3", -100)]):
        crowded = cotravel_groups._crowd_pieces(_with_background(*others), timedelta(hours=2))
        assert [(cell, [c.id for c in piece if c.id in FOUR]) for cell, piece in crowded
                if cell in dict(alone)] == [(cell, [c.id for c in piece if c.id in FOUR]) for cell, piece in alone]


def test_a_rush_within_one_window_stays_a_crowd():
    rush = [cotravel_groups._Crossing(f"c{i}", f"p{i}", "bcp", "exit", START + timedelta(seconds=i))
            for i in range(cotravel_groups.MAX_CROWD + 1)]
    assert [len(piece) for _, piece in cotravel_groups._crowd_pieces(rush, timedelta(hours=1))] == [101, 101]


def test_counting_a_crowded_runs_occasions_stops_at_the_work_budget(monkeypatch):
    pieces = cotravel_groups._crowd_pieces(_with_background(), timedelta(hours=2))
    runs = [piece for _, piece in pieces]
    keys = [(0, cell) for cell, _ in pieces]
    people = [frozenset(c.traveller for c in run) for run in runs]
    monkeypatch.setattr(cotravel_groups, "_closed_groups", lambda *_: ([frozenset(GROUP)], False))
    # the four in the two neighbouring pieces around 10:00: one occasion, their own four crossings
    ((group, count, occasions),), stopped = cotravel_groups._groups(people, 2, 1, runs, keys, timedelta(hours=2))
    assert (group, count, [[c.id for c in o.crossings] for o in occasions], stopped) == (
        frozenset(GROUP), 1, [sorted(FOUR)], False)
    # indexing the first of those pieces (the four and others) passes the budget
    monkeypatch.setattr(cotravel_groups, "MAX_WORK", len(runs[0]))
    assert cotravel_groups._groups(people, 2, 1, runs, keys, timedelta(hours=2)) == ([], True)


async def _one_off_people_before(store, first: datetime, n: int = 97) -> None:
    """VN-MPS's ``n`` made-up people, one crossing each every 1h55 before ``first``: the run past
    MAX_CROWD, cut by the clock."""
    await _vn(store, [r for k in range(n) for r in _crossing(
        f"f{k}", f"per-vn-{k}", first - timedelta(minutes=115 * (k + 1)))])


async def _th(store, records: list) -> None:
    records = [NodeRecord("BorderCheckpoint", "bcp-busy", {"name": "Busy Bridge", "kind": "land"}), *records]
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="imm")


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_two_passes_of_a_crowded_run_an_hour_apart_are_two_occasions(empty_store):
    # 10:55 and 12:05: in neighbouring pieces that share neither crossing (a-61, 3). Counted from
    # the four's own crossings: two stretches within the window each holding all four (a-64)
    await _th(empty_store, [r for p, minute in enumerate((55, 125)) for k, person in enumerate(GROUP)
                            for r in _crossing(f"p{p}-{k}", person,
                                               START + timedelta(days=2, hours=10, minutes=minute + k))])
    await _one_off_people_before(empty_store, START + timedelta(days=2, hours=10, minutes=55))
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=1)
    # and once with the one-off person crossing 1h55 before the first pass, within the window
    assert [(sorted(m.id for m in g.members), [[c.id for c in o.crossings] for o in g.occasions])
            for g in found.groups if set(GROUP) <= {m.id for m in g.members}] == [
        (GROUP, [[f"p{p}-{k}" for k in range(4)] for p in range(2)]),
        ([*GROUP, "per-vn-0"], [["f0", *(f"p0-{k}" for k in range(4))]])]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_a_partners_larger_group_on_one_visit_leaves_the_real_group_and_its_two_occasions(empty_store):
    # the four on days 2 and 5 at 11:10; VN-MPS: the four again at 12:10 on day 2, one of its own
    # people at 10:20 and 13:20 that day (a-61, 1)
    await _th(empty_store, [r for day in (2, 5) for k, p in enumerate(GROUP) for r in _crossing(
        f"g{day}-{k}", p, START + timedelta(days=day, hours=11, minutes=10 + k))])
    day2 = START + timedelta(days=2)
    await _vn(empty_store, [*(r for k, p in enumerate(GROUP) for r in _crossing(
        f"again-{k}", p, day2 + timedelta(hours=12, minutes=10 + k))),
        *_crossing("x1", "per-vn-x", day2 + timedelta(hours=10, minutes=20)),
        *_crossing("x2", "per-vn-x", day2 + timedelta(hours=13, minutes=20))])
    await _one_off_people_before(empty_store, day2 + timedelta(hours=10, minutes=20))
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    # the four's own, the partner's pass an hour after theirs on day 2 a pass of its own (a-64)
    assert [(sorted(m.id for m in g.members), [o.first[:16] for o in g.occasions]) for g in found.groups
            if sorted(m.id for m in g.members) == GROUP] == [
        (GROUP, ["2026-05-03T11:10", "2026-05-03T12:10", "2026-05-06T11:10"])]


def test_a_window_of_a_few_microseconds_still_cuts_a_same_second_crowd():
    rush = [cotravel_groups._Crossing(f"c{i}", f"p{i}", "bcp", "exit", START)
            for i in range(cotravel_groups.MAX_CROWD + 1)]
    pieces = cotravel_groups._crowd_pieces(rush, timedelta(hours=1e-10))
    assert [len(piece) for _, piece in pieces] == [101, 101]


def test_candidate_groups_come_in_the_order_found_whatever_the_hash_seed():
    people = [frozenset({"a", "b", "c"}), frozenset({"b", "c", "d"}), frozenset({"a", "c", "d"})]
    assert cotravel_groups._closed_groups(people, 2) == (
        [frozenset("abc"), frozenset("bcd"), frozenset("bc"), frozenset("acd"), frozenset("ac"), frozenset("cd")],
        False)


# the four spread over 80 minutes of the 2-hour window: 10:50, 11:10, 11:50, 12:10 (a-61, 2)
SPREAD = [50, 70, 110, 130]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_one_off_crossings_hours_away_leave_a_group_spread_within_the_window_whole(empty_store):
    # VN-MPS's 97 made-up people, one crossing each every 1h55 before the group on day 2, chain its
    # run past MAX_CROWD: the answer is the one the four alone give
    await _th(empty_store, [r for day in (2, 5) for k, person in enumerate(GROUP) for r in _crossing(
        f"g{day}-{k}", person, START + timedelta(days=day, hours=10, minutes=SPREAD[k]))])
    await _one_off_people_before(empty_store, START + timedelta(days=2, hours=10, minutes=SPREAD[0]))
    found = await co_travel_groups(empty_store, TH, window=2)
    assert [sorted(m.id for m in g.members) for g in found.groups] == [GROUP]
    assert [[c.id for c in o.crossings] for g in found.groups for o in g.occasions] == [
        [f"g{day}-{k}" for k in range(4)] for day in (2, 5)]


def test_a_group_spanning_the_window_is_whole_in_one_mined_piece_wherever_the_clock_cuts():
    for shift in range(0, 120, 5):  # the group's first crossing 0..115 minutes after 10:00
        others = [(person, shift + 40 * k) for k, person in enumerate(GROUP)]  # 0, 40, 80, 120 minutes
        run = [c for c in _with_background(*others) if c.id not in FOUR]
        pieces = [(0, cell, piece) for cell, piece in cotravel_groups._crowd_pieces(run, timedelta(hours=2))]
        mined = mined_pieces(pieces)
        assert any(set(GROUP) <= {c.traveller for c in piece} for (_, _, piece), _ in mined), shift
