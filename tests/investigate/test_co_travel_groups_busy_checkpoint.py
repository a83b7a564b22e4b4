"""A group crossing together at a checkpoint with steady traffic is found: a run of more than
MAX_CROWD people chained by the traffic is cut at its longest gaps into pieces spanning at most the
window (attack round a-56, F8: one other traveller every 90 minutes chained the week into one run
of 116 people, left out as a crowd, and the group of four crossing together on two days was never
found; a partner's GREEN filler crossings could so erase every group at a checkpoint). One person's
repeated crossings are cut as one crossing, their first (attack round a-57, 7: one person of a
partner crossing every 2 minutes for the two hours before the group made the shortest gaps, the
group of four was split and a group of three made up with that person in it)."""

from datetime import datetime, timedelta

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate import cotravel_groups
from graphapi.investigate.cotravel_groups import co_travel_groups
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


def _people(pieces: list) -> list[list[str]]:
    return [sorted({c.traveller for c in piece}) for piece in pieces]


def test_a_persons_repeated_crossings_are_cut_as_their_first_one():
    before = cotravel_groups._crowd_pieces(_with_background(*(("per-f", m) for m in range(-115, 0, 2))),
                                           timedelta(hours=2))
    assert [p for p in _people(before) if {"per-f", "per-g0"} & set(p)] == [
        ["per-b32", "per-f"], ["per-b33", "per-b34", *GROUP]]
    assert [len(p) for p in before if p[0].traveller == "per-b32"] == [1 + 58]  # the stay kept whole
    # one stay each, but the last: two stays, at minutes -1 and 120 (121 minutes past -1's)
    for minutes, firsts in ((range(-115, 0, 2), [-115]), (range(5, 125, 2), [5]), (range(-1, 200), [-1, 120])):
        repeated = _with_background(*(("per-f", m) for m in minutes))
        once = _with_background(*(("per-f", m) for m in firsts))
        assert _people(cotravel_groups._crowd_pieces(repeated, timedelta(hours=2))) == \
            _people(cotravel_groups._crowd_pieces(once, timedelta(hours=2)))


def test_a_rush_within_one_window_stays_a_crowd():
    rush = [cotravel_groups._Crossing(f"c{i}", f"p{i}", "bcp", "exit", START + timedelta(seconds=i))
            for i in range(cotravel_groups.MAX_CROWD + 1)]
    assert [len(piece) for piece in cotravel_groups._crowd_pieces(rush, timedelta(hours=1))] == [101]


def test_a_crowded_chain_is_cut_at_its_longest_gaps_into_pieces_within_the_window():
    minutes = [0, 1, 2, 30, 31, 90, 91, 92] + [200 + 20 * i for i in range(cotravel_groups.MAX_CROWD)]
    run = [cotravel_groups._Crossing(f"c{i}", f"p{i}", "bcp", "exit", START + timedelta(minutes=m))
           for i, m in enumerate(minutes)]
    pieces = cotravel_groups._crowd_pieces(run, timedelta(minutes=45))
    assert [len(p) for p in pieces[:3]] == [5, 3, 3]
    assert all(p[-1].at - p[0].at <= timedelta(minutes=45) for p in pieces)
