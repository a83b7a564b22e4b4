"""A group's occasions in a crowded run (one cut by the clock) are counted from its members' own
crossings: the most disjoint stretches of at most ``window``, each holding a crossing of every
member (attack round a-64: neighbouring pieces sharing ANY member's crossing were one occasion,
so one lone crossing of a member, a partner's, fused two passes or hid her; pieces two apart were
never compared, so one pass counted twice; and the count moved with where the clock cut).

Every case runs in a busy week at bcp-busy: one TH one-off traveller every 90 minutes, so the
run holds 100+ people and is cut by the clock (window 2 h). The partner's crossings are VN-MPS's,
GREEN (seen by TH) or RED (hidden: the answer is the one without them)."""

from datetime import timedelta

import pytest

from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.cotravel_occasions import crowded_occasions
from graphapi.investigate.cotravel_pieces import Crossing
from tests.investigate.test_co_travel_groups_busy_checkpoint import GROUP, START, TH, _crossing, _th, _vn

DAY2 = START + timedelta(days=2)
PARTNER = pytest.mark.parametrize("tlp", [None, "RED", "GREEN"], ids=["alone", "RED", "GREEN"])


async def _background(store) -> None:
    """One other (TH) traveller every 90 minutes all week: a run of 100+ people, cut by the clock."""
    recs, t, n = [], START, 0
    while t < START + timedelta(days=7):
        recs += _crossing(f"b{n}", f"per-b{n}", t)
        t, n = t + timedelta(minutes=90), n + 1
    await _th(store, recs)


async def _four_pass(store, *at) -> None:
    """The four cross together (a minute apart) at each of ``at``: crossings p{pass}-{member}."""
    await _th(store, [r for p, first in enumerate(at) for k, person in enumerate(GROUP)
                      for r in _crossing(f"p{p}-{k}", person, first + timedelta(minutes=k))])


def _with_the_four(found) -> list:
    """(members, [[crossing ids] per occasion]) of the groups holding all four."""
    return [(sorted(m.id for m in g.members), [[c.id for c in o.crossings] for o in g.occasions])
            for g in found.groups if set(GROUP) <= {m.id for m in g.members}]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@PARTNER
async def test_a_members_lone_crossing_between_two_passes_leaves_them_two_occasions(empty_store, tlp):
    # 10:00 and 13:30 (3.5 h apart); the partner says g0 alone crossed at 12:00
    await _background(empty_store)
    await _four_pass(empty_store, DAY2 + timedelta(hours=10), DAY2 + timedelta(hours=13, minutes=30))
    if tlp:
        await _vn(empty_store, _crossing("lone-g0", GROUP[0], DAY2 + timedelta(hours=12)), tlp=tlp)
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    assert _with_the_four(found) == [(GROUP, [[f"p{p}-{k}" for k in range(4)] for p in range(2)])]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@PARTNER
async def test_a_members_lone_crossing_leaves_her_in_the_group(empty_store, tlp):
    # as above, and g0..g2 also cross on day 5; the partner says g3 alone crossed at 12:00 on day 2
    await _background(empty_store)
    await _four_pass(empty_store, DAY2 + timedelta(hours=10), DAY2 + timedelta(hours=13, minutes=30))
    await _th(empty_store, [r for k, person in enumerate(GROUP[:3]) for r in _crossing(
        f"d5-{k}", person, START + timedelta(days=5, hours=12, minutes=k))])
    if tlp:
        await _vn(empty_store, _crossing("lone-g3", GROUP[3], DAY2 + timedelta(hours=12)), tlp=tlp)
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    assert [(sorted(m.id for m in g.members), len(g.occasions)) for g in found.groups] == [
        (GROUP[:3], 3), (GROUP, 2)]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@PARTNER
async def test_a_group_crossing_once_is_one_occasion_whoever_crossed_an_hour_before_and_two_after(
        empty_store, tlp):
    # the four at 12:00 on day 2; the partner's per-vn-x at 10:59 and 14:00 (in pieces two apart)
    await _background(empty_store)
    await _four_pass(empty_store, DAY2 + timedelta(hours=12))
    if tlp:
        await _vn(empty_store, [*_crossing("x1", "per-vn-x", DAY2 + timedelta(hours=10, minutes=59)),
                                *_crossing("x2", "per-vn-x", DAY2 + timedelta(hours=14))], tlp=tlp)
    assert _with_the_four(await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)) == []
    # each group holding the four (with the one-off travellers around them) crossed once
    once = await co_travel_groups(empty_store, TH, window=2, min_occurrences=1)
    assert {len(on) for _, on in _with_the_four(once)} == {1}


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@PARTNER
async def test_a_group_crossing_on_two_days_is_listed_on_two_occasions_whoever_crossed_around_it(
        empty_store, tlp):
    # the four at 12:00 on days 2 and 5; the partner's per-vn-x at 10:59 and 14:00 both days
    await _background(empty_store)
    await _th(empty_store, [r for day in (2, 5) for k, person in enumerate(GROUP) for r in _crossing(
        f"d{day}-{k}", person, START + timedelta(days=day, hours=12, minutes=k))])
    if tlp:
        await _vn(empty_store, [r for day in (2, 5) for n, at in enumerate(((10, 59), (14, 0))) for r in _crossing(
            f"x{day}-{n}", "per-vn-x", START + timedelta(days=day, hours=at[0], minutes=at[1]))], tlp=tlp)
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    # with x: x's 10:59 crossing and the four's, each day; x's 14:00 is after the occasion closed
    assert _with_the_four(found) == ([([*GROUP, "per-vn-x"], [
        [f"x{day}-0", *(f"d{day}-{k}" for k in range(4))] for day in (2, 5)])] if tlp == "GREEN" else [
        (GROUP, [[f"d{day}-{k}" for k in range(4)] for day in (2, 5)])])


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@pytest.mark.parametrize("first", [(10, 59), (11, 58), (10, 0)], ids=["10:59", "11:58", "10:00"])
async def test_two_passes_the_same_time_apart_count_twice_wherever_the_clock_cuts(empty_store, first):
    # 2 h 01 apart (just over the 2-hour window), shifted by 59 minutes; and 2 h 59 apart from 10:00
    await _background(empty_store)
    at = DAY2 + timedelta(hours=first[0], minutes=first[1])
    await _four_pass(empty_store, at, at + (timedelta(hours=2, minutes=59) if first == (10, 0) else
                                            timedelta(hours=2, minutes=1)))
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    assert _with_the_four(found) == [(GROUP, [[f"p{p}-{k}" for k in range(4)] for p in range(2)])]


def _crossings(*spec: tuple[str, int]) -> list[Crossing]:
    """(person, minute after 10:00) as crossings c0, c1, ... at one checkpoint, in time order."""
    at = START + timedelta(hours=10)
    return sorted((Crossing(f"c{i}", person, "bcp", "exit", at + timedelta(minutes=m))
                   for i, (person, m) in enumerate(spec)), key=lambda c: (c.at, c.id))


def _ids(occasions) -> list[list[str]]:
    return [[c.id for c in o.crossings] for o in occasions]


def test_a_crowded_runs_occasions_are_the_most_disjoint_stretches_of_a_window_holding_every_member():
    # a b at 0/1, a alone at 20, b a at 150/230: with a 2-hour window the first closes at b's 1,
    # the next at a's 230 (b's 150 within 120 minutes of it, a's 20 not); a's 20 is in neither
    run = _crossings(("a", 0), ("b", 1), ("a", 20), ("b", 150), ("a", 230))
    assert _ids(crowded_occasions(frozenset("ab"), run, timedelta(hours=2), 0)) == [["c0", "c1"], ["c3", "c4"]]
    # with a 1-hour window b's 150 is too far from a's 230: one occasion
    assert _ids(crowded_occasions(frozenset("ab"), run, timedelta(hours=1), 0)) == [["c0", "c1"]]


def test_an_occasion_is_the_shortest_stretch_between_its_neighbours_holding_every_member():
    # a at 0 and 10, b at 5, a at 20, b at 30: two occasions; the second is a's 20 and b's 30
    # (not a's 10 too), the first the earliest shortest of the rest, a's 0 and b's 5
    run = _crossings(("a", 0), ("b", 5), ("a", 10), ("a", 20), ("b", 30))
    occasions = crowded_occasions(frozenset("ab"), run, timedelta(hours=2), 7)
    assert _ids(occasions) == [["c0", "c1"], ["c3", "c4"]]
    assert [(o.run, o.first, o.last) for o in occasions] == [
        (7, run[0].at, run[1].at), (7, run[3].at, run[4].at)]


def test_a_members_own_crossing_an_hour_before_the_group_is_not_listed_with_it():
    # a at 0, then b and a at 60 and 70: one occasion (the earliest closes at b's 60), listing 60 and 70
    run = _crossings(("a", 0), ("b", 60), ("a", 70))
    assert _ids(crowded_occasions(frozenset("ab"), run, timedelta(hours=2), 0)) == [["c1", "c2"]]


def test_crossings_at_one_time_close_one_occasion_together():
    # two records of b at the same minute as a's: one occasion, both listed
    run = _crossings(("a", 0), ("b", 0), ("b", 0))
    assert _ids(crowded_occasions(frozenset("ab"), run, timedelta(hours=2), 0)) == [["c0", "c1", "c2"]]
