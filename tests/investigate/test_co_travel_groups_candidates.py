"""In a crowded run the candidate groups are intersections of the travellers within ``window``
after and before each crossing, so others' crossings near a group cannot hide it (attack round
a-66, 1: the candidates were intersections of the one-and-a-half-window mined pieces, and one
other person's crossing within those of a pair spread over 91 minutes, never within the window of
both, was in every piece holding the pair: the pair was never a candidate and vanished).

Every store case runs in a busy week at bcp-busy: one TH one-off traveller every 90 minutes, so the
run holds 100+ people and is cut by the clock (window 2 h)."""

from datetime import datetime, timedelta

import pytest

import graphapi.investigate.cotravel_mining as mining
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.cotravel_mining import Work
from graphapi.investigate.cotravel_pieces import Crossing
from tests.investigate.test_co_travel_groups_busy_checkpoint import START, TH, _crossing, _th, _vn
from tests.investigate.test_co_travel_groups_crowded_occasions import _background


def _members(found) -> list[tuple[list[str], int]]:
    return [(sorted(m.id for m in g.members), len(g.occasions)) for g in found.groups]


@pytest.mark.backends
@pytest.mark.parametrize("who", ["TH", "VN-GREEN"])
async def test_a_third_persons_crossing_near_a_pair_at_a_busy_checkpoint_does_not_hide_it(empty_store, who):
    # a at 10:59 and b at 12:30 on days 2 and 5; c at 10:01 both days, 2 h 29 before b
    await _background(empty_store)
    pair = [r for day in (2, 5) for person, at in (("per-a", (10, 59)), ("per-b", (12, 30)))
            for r in _crossing(f"x{person}{day}", person, START + timedelta(days=day, hours=at[0], minutes=at[1]))]
    await _th(empty_store, pair)
    third = [r for day in (2, 5)
             for r in _crossing(f"xc{day}", "per-c", START + timedelta(days=day, hours=10, minutes=1))]
    await (_th(empty_store, third) if who == "TH" else _vn(empty_store, third, tlp="GREEN"))
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    assert _members(found) == [(["per-a", "per-b"], 2), (["per-a", "per-c"], 2)]


@pytest.mark.backends
async def test_a_daily_commuter_does_not_hide_the_four_spread_over_80_minutes(empty_store):
    # the four over 80 minutes (10:50..12:10) on days 2 and 5; the commuter crosses at 10:05 every
    # day, 2 h 05 before the last of the four: with three of them, never with all four
    await _background(empty_store)
    four = [f"per-g{k}" for k in range(4)]
    recs = [r for day in (2, 5) for k, (p, m) in enumerate(zip(four, (50, 70, 100, 130), strict=True))
            for r in _crossing(f"xg{day}-{k}", p, START + timedelta(days=day, hours=10, minutes=m))]
    recs += [r for day in range(7) for r in _crossing(f"xcom{day}", "per-commuter",
                                                       START + timedelta(days=day, hours=10, minutes=5))]
    await _th(empty_store, recs)
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    assert _members(found) == [(["per-commuter", "per-g0", "per-g1", "per-g2"], 2), (four, 2)]


T0 = datetime(2026, 5, 3)


def _at(*spec: tuple[str, int]) -> list[Crossing]:
    """Crossings of (traveller, minutes after T0), in time order."""
    return [Crossing(f"x{k}", who, "bcp-busy", "entry", T0 + timedelta(minutes=m)) for k, (who, m) in enumerate(spec)]


def test_the_windows_are_the_travellers_within_the_window_after_then_before_each_time():
    crossings = _at(("c", 0), ("a", 58), ("a2", 58), ("b", 149))
    assert list(mining._windows(crossings, timedelta(hours=2), Work(100))) == [
        {"c", "a", "a2"}, {"a", "a2", "b"}, {"b"},  # after 0, 58 (both at once), 149
        {"b", "a", "a2"}, {"a", "a2", "c"}, {"c"}]  # before 149, 58, 0


def test_building_the_windows_stops_at_the_work_budget():
    crossings = _at(*((f"p{k}", k) for k in range(10)))
    # the first window: 10 crossings added, 10 travellers held (20 steps); the second: 9 held
    assert len(list(mining._windows(crossings, timedelta(hours=2), Work(28)))) == 1
    assert len(list(mining._windows(crossings, timedelta(hours=2), Work(29)))) == 2
