"""A money trail hop's windows (graphapi.investigate.trail_windows): an account is asked once per
run of overlapping windows of the trails reaching it, and a trail checks only the hops of its own
window's days (attack round a-57, 1 and 2)."""

from datetime import timedelta

from graphapi.investigate.trail_windows import HopIndex, frontier, shift


def test_an_accounts_windows_far_apart_are_asked_apart_and_overlapping_ones_together():
    tails = [("acc-b", ("2025-01-01T00:30:00Z", "2025-01-01T01:30:00Z")),
             ("acc-b", ("2025-03-01T00:30:00Z", "2025-03-01T01:30:00Z")),
             ("acc-b", ("2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z")), ("acc-c", (None, None))]
    hop = frontier(tails)
    assert [(e["key"], e["id"], e["low"], e["high"]) for e in hop.entries] == [
        (0, "acc-b", "2025-01-01", "2025-01-01T23:59:59.999999999Z"),
        (1, "acc-b", "2025-03-01", "2025-03-01T23:59:59.999999999Z"), (2, "acc-c", None, None)]
    assert hop.keys == [0, 1, 0, 2]


class _T:
    def __init__(self, at: str) -> None:
        self.at = at


def test_a_trail_checks_only_the_hops_of_its_windows_days():
    hops = [(_T(f"2025-01-{d:02d}T{h:02d}:00:00Z"), f"acc-{d}-{h}") for d in range(1, 11) for h in (6, 12, 18)]
    budget = [1_000]
    onward = HopIndex(hops).onward("2025-01-05T10:00:00Z", "2025-01-05T20:00:00Z", (), first_only=False,
                                   budget=budget)
    assert ([nb for _, nb in onward], 1_000 - budget[0]) == (["acc-5-12", "acc-5-18"], 3)



def test_a_shifted_time_is_written_as_stored_utc_and_a_date_moves_from_its_days_end():
    assert (shift("2024-11-05T03:00:42Z", timedelta(hours=6)),
            shift("2024-11-05", timedelta(hours=6))) == (
        "2024-11-05T09:00:42Z", "2024-11-06T05:59:59Z")
