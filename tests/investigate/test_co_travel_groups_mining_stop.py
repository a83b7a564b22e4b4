"""``coTravelGroups``: a stop of the candidate search (its candidates, its work, the windows it is
fed) only ever leaves groups out, and says so (attack round a-70, 1 and 2: a stop at 5,000
candidates listed {a, b} on the 14 occasions {a, b, c} crossed on, the day-8 windows that make
{a, b, c} never mined; a budget spent while building the windows ended the search silently, the
pair lost and ``truncated`` false). Counted, never timed."""

import itertools
import random
from datetime import datetime, timedelta

import pytest

import graphapi.investigate.cotravel_groups as groups_module
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.cotravel_pieces import Crossing
from tests.investigate.test_co_travel_groups_busy_checkpoint import START, TH, _crossing, _th, _vn

T0 = datetime(2025, 1, 1)


def _one_crowded_run(*spec: tuple[str, float]) -> tuple[list, list, list]:
    """``_groups``' people, runs and keys for crossings of (traveller, minutes after T0) making one
    crowded run (its windows mined)."""
    crossings = sorted((Crossing(f"x{k}", who, "bcp-busy", "exit", T0 + timedelta(minutes=m))
                        for k, (who, m) in enumerate(spec)), key=lambda c: (c.at, c.id))
    return [frozenset(c.traveller for c in crossings)], [crossings], [(0, 0)]


def _answer(people, runs, keys, window_hours: float, min_occurrences: int = 2):
    groups, cut = groups_module._groups(people, 2, min_occurrences, runs, keys, timedelta(hours=window_hours))
    return [(sorted(group), count) for group, count, _ in groups], cut


DAY = 1440
# day 1: c 10:00, m 10:05, a 10:10, b 10:20 (m once more, alone, on day 0); days 8..20: c, a, b
ABC = _one_crowded_run(("m", 180), *((p, DAY + 600 + m) for p, m in (("c", 0), ("m", 5), ("a", 10), ("b", 20))),
                       *((p, d * DAY + 600 + m) for d in range(8, 21) for p, m in (("c", 0), ("a", 10), ("b", 20))))


def test_a_stop_of_the_candidate_search_lists_no_sub_group_of_a_larger_group_not_generated(monkeypatch):
    assert _answer(*ABC, 2) == ([(["a", "b", "c"], 14)], False)
    # three candidates: day 1's windows {c, m, a, b}, {m, a, b}, {a, b}; day 8's {c, a, b}, whose
    # intersection with them is {a, b, c}, is not mined: {a, b} might be part of a larger group
    monkeypatch.setattr(groups_module, "MAX_CANDIDATES", 3)
    assert _answer(*ABC, 2) == ([], True)  # was ([(["a", "b"], 14)], True)


def test_a_stop_of_the_candidate_search_keeps_a_group_no_set_left_unmined_extends(monkeypatch):
    # four: {a, b, c} found; the stop in the windows before day 1's crossings ({c, a}, {c, m, a},
    # ...), none holding {a, b, c} and more; {a, b} lies in {a, b, c}, which covers it
    monkeypatch.setattr(groups_module, "MAX_CANDIDATES", 4)
    assert _answer(*ABC, 2) == ([(["a", "b", "c"], 14)], True)


# a 10:00, b 10:10, a 10:50, z 10:55, b 11:00: {a, b} twice, only in the windows BEFORE 10:10 and
# 10:50 (every window after a crossing of theirs holds z too); then u crossing 200 times from 13:00
PAIR = _one_crowded_run(("a", 600), ("b", 610), ("a", 650), ("z", 655), ("b", 660),
                        *(("u", 780 + i / 4) for i in range(200)))


def test_a_budget_spent_building_the_windows_says_truncated(monkeypatch):
    assert _answer(*PAIR, 1) == ([(["a", "b"], 2)], False)
    # the windows after each crossing (~450 steps with the candidates') and u's windows before
    # hers pass 600: the windows before 10:50 and 10:10 are never built
    monkeypatch.setattr(groups_module, "MAX_WORK", 600)
    assert _answer(*PAIR, 1) == ([], True)  # was ([], False)


def _random_scene(rng: random.Random) -> tuple[list, list, list]:
    """3 to 6 people crossing on 2 to 6 days, some of them each day, at times on a 5-minute grid
    within two hours: one crowded run, or its quiet runs."""
    people = "abcdef"[:rng.randint(3, 6)]
    spec = [(p, d * DAY + 600 + rng.choice((0, 5, 10, 15, 30, 45, 60, 90, 110)))
            for d in range(rng.randint(2, 6)) for p in rng.sample(people, rng.randint(1, len(people)))]
    people_sets, runs, keys = _one_crowded_run(*spec)
    if rng.random() < 0.3:  # quiet runs: chained within two hours
        runs = [list(g) for _, g in itertools.groupby(runs[0], key=lambda c: (c.at - T0).days)]
        people_sets, keys = [frozenset(c.traveller for c in r) for r in runs], [(i, None) for i in range(len(runs))]
    return people_sets, runs, keys


def test_any_stop_of_any_budget_only_leaves_groups_out(monkeypatch):
    rng, stopped = random.Random(70), 0
    for _ in range(60):
        scene, window, min_occurrences = _random_scene(rng), rng.choice((1, 2)), rng.choice((1, 2, 3))
        # the whole answer first, then with one budget small: the candidates or the work
        for candidates, work in ((None, None), (1, None), (2, None), (3, None), (5, None), (8, None), (None, 40),
                                 (None, 150)):
            monkeypatch.setattr(groups_module, "MAX_CANDIDATES", candidates or 5_000)
            monkeypatch.setattr(groups_module, "MAX_WORK", work or 2_000_000)
            if candidates is work is None:
                whole, cut = _answer(*scene, window, min_occurrences)
                assert not cut
                continue
            left, cut = _answer(*scene, window, min_occurrences)
            assert [g for g in left if g not in whole] == [] and (cut or left == whole)
            stopped += cut
    assert stopped > 100  # the stops this checks: most cases stop somewhere


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
async def test_a_partners_groups_stopping_the_candidate_search_leave_no_sub_group_listed(empty_store, monkeypatch):
    # the c, m, a, b of ABC at a busy checkpoint (one one-off traveller every 90 minutes: a crowded
    # run); between day 1 and day 8 a partner's 7 people cross 6 times, each time all but one (2^6
    # candidates, past 40: the attack's 14 crossing 13 times passed 5,000 as well, in seconds of CPU)
    monkeypatch.setattr(groups_module, "MAX_CANDIDATES", 40)
    recs, t, n = [], START, 0
    while t < START + timedelta(days=21):
        recs += _crossing(f"bg{n}", f"per-bg{n}", t)
        t, n = t + timedelta(minutes=90), n + 1
    recs += _crossing("m0", "per-m", START + timedelta(hours=3))
    recs += [r for day, who in [(1, "cmab"), *((d, "cab") for d in range(8, 21))]
             for p in who for r in _crossing(f"{p}{day}", f"per-{p}", START + timedelta(
                 days=day, hours=10, minutes={"c": 0, "m": 5, "a": 10, "b": 20}[p]))]
    await _th(empty_store, recs)
    await _vn(empty_store, [r for j in range(6) for k in range(7) if k != j for r in _crossing(
        f"n{j}-{k}", f"per-n{k}", START + timedelta(days=2, hours=3 * j, seconds=k))], tlp="GREEN")
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=100)
    ours = [sorted(m.id for m in g.members) for g in found.groups if {m.id for m in g.members} & {"per-a", "per-b"}]
    assert (found.truncated, ours) == (True, [])  # was (True, [["per-a", "per-b"]]), on 14 occasions
