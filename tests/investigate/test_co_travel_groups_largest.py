"""``coTravelGroups`` lists a group a larger one crossed with on every occasion only as that larger
one: whatever runs its occasions are in (attack round a-66, 4: a sub-group met in quiet runs only
was never compared) and wherever a budget stops (a-66, 3: a stop listed the groups found as they
were, the four's sub-groups beside the four)."""

from datetime import datetime, timedelta

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.investigate.cotravel_mining import Work
from graphapi.investigate.cotravel_occasions import Occasion, largest, settled
from tests.investigate.test_co_travel_groups_busy_checkpoint import START, TH, _crossing, _th, _vn
from tests.investigate.test_co_travel_groups_crowded_occasions import _background

T0 = datetime(2025, 1, 1)
ABC, AB = frozenset({"a", "b", "c"}), frozenset({"a", "b"})


def _quiet(*days: int) -> list[Occasion]:
    return [Occasion(d, T0 + timedelta(days=d), T0 + timedelta(days=d, minutes=5), d) for d in days]


def _members(found) -> list[tuple[list[str], int]]:
    return [(sorted(m.id for m in g.members), len(g.occasions)) for g in found.groups]


def test_a_group_met_in_quiet_runs_only_is_left_out_beside_a_larger_one_on_them():
    kept, stopped = largest([(ABC, 2, _quiet(1, 3)), (AB, 2, _quiet(1, 3))], Work(100))
    assert (kept, stopped) == ([(ABC, 2, _quiet(1, 3))], False)


def test_a_group_on_further_quiet_runs_than_the_larger_one_is_kept():
    found = [(ABC, 2, _quiet(1, 3)), (AB, 3, _quiet(1, 3, 5))]
    assert largest(found, Work(100)) == (found, False)


def test_a_stop_while_comparing_leaves_the_groups_not_compared_out():
    # the three: 1 rival compared; the two: 2 rivals (3 steps in all), then 4 occasions walked pass 3
    kept, stopped = largest([(ABC, 2, _quiet(1, 3)), (AB, 2, _quiet(1, 3))], Work(3))
    assert (kept, stopped) == ([(ABC, 2, _quiet(1, 3))], True)


def test_a_group_a_candidate_left_unreached_by_a_stop_holds_is_left_out():
    found = [(AB, 2, _quiet(1, 3)), (frozenset("de"), 2, _quiet(2, 4))]
    assert settled(found, [ABC, frozenset("fg")], Work(100)) == [(frozenset("de"), 2, _quiet(2, 4))]


def test_a_stop_while_settling_lists_no_group_a_group_left_unchecked_might_cover():
    # {a, b} checked and kept, the budget spent before {a, b, c}: listed alone, {a, b} stood on the
    # occasions of {a, b, c}, whom the stop left out (attack round a-74, 1)
    found = [(AB, 14, _quiet(*range(14))), (ABC, 14, _quiet(*range(14)))]
    assert settled(found, [], Work(1)) == []


def _q(cid: str, person: str, at: datetime) -> EdgeRecord:
    return EdgeRecord("CROSSED", cid, person, "bcp-quiet", {"at": at.isoformat(), "direction": "exit"})


@pytest.mark.backends
@pytest.mark.parametrize("busy", ["TH", "VN-GREEN"])
async def test_a_pair_met_apart_at_a_busy_checkpoint_is_not_listed_beside_its_quiet_group(empty_store, busy):
    # a, b, c cross bcp-quiet together on days 1 and 3; at the busy bcp-busy a crosses at 10:00 and
    # b at 12:59 on day 2, never together but in one mined piece: {a, b} is no group of its own
    await _background(empty_store)
    recs = [NodeRecord("BorderCheckpoint", "bcp-quiet", {"name": "Quiet"})]
    recs += [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b", "per-c")]
    recs += [_q(f"q{day}-{p}", p, START + timedelta(days=day, hours=9, minutes=k))
             for day in (1, 3) for k, p in enumerate(("per-a", "per-b", "per-c"))]
    await write_records(empty_store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="imm")
    apart = [*_crossing("xa", "per-a", START + timedelta(days=2, hours=10)),
             *_crossing("xb", "per-b", START + timedelta(days=2, hours=12, minutes=59))]
    await (_th(empty_store, apart) if busy == "TH" else _vn(empty_store, apart, tlp="GREEN"))
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2)
    assert _members(found) == [(["per-a", "per-b", "per-c"], 2)]


FOUR = [f"per-g{k}" for k in range(4)]
U = [f"per-u{i:02d}" for i in range(90)]


async def _the_four_then_thousands_of_heavy_candidates(store) -> None:
    """The four spread over 80 minutes on 14 days of a busy checkpoint (one one-off traveller every
    90 minutes: a crowded run); then at bcp-z, sorting after, 90 people crossing 12 times, each time
    one of u00..u11 missing (thousands of crowded candidates, past the occasions budget)."""
    recs, t, n = [], START, 0
    while t < START + timedelta(days=16):
        recs += _crossing(f"b{n}", f"per-b{n}", t)
        t, n = t + timedelta(minutes=90), n + 1
    recs += [r for day in range(1, 15) for k, (p, m) in enumerate(zip(FOUR, (50, 70, 100, 130), strict=True))
             for r in _crossing(f"xg{day}-{k}", p, START + timedelta(days=day, hours=10, minutes=m))]
    await _th(store, recs)
    recs = [NodeRecord("BorderCheckpoint", "bcp-z", {"name": "Z"})]
    recs += [NodeRecord("Person", p, {"name": p}) for p in U]
    for j in range(12):
        at = START + timedelta(days=20, hours=3 * j)
        recs += [EdgeRecord("CROSSED", f"z{j}-{p}", p, "bcp-z",
                            {"at": (at + timedelta(seconds=k)).isoformat(), "direction": "exit"})
                 for k, p in enumerate(U) if p != U[j]]
        recs += [NodeRecord("Person", f"per-zf{j}", {"name": f"zf{j}"}),
                 EdgeRecord("CROSSED", f"zf{j}", f"per-zf{j}", "bcp-z",
                            {"at": (at + timedelta(minutes=90)).isoformat(), "direction": "exit"})]
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="imm")


@pytest.mark.backends
async def test_a_budget_stop_leaves_groups_out_and_lists_no_sub_group_of_a_listed_one(empty_store):
    await _the_four_then_thousands_of_heavy_candidates(empty_store)
    found = await co_travel_groups(empty_store, TH, window=2, min_occurrences=2, limit=100)
    assert found.truncated
    assert [g for g in _members(found) if set(g[0]) & set(FOUR)] == [(FOUR, 14)]
