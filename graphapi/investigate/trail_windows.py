"""The time windows of a money trail's hops (:mod:`graphapi.investigate.money`).

Each open trail's next transfer must fall in its window: at or after its last one (DOWNSTREAM;
at or before it, UPSTREAM), within ``maxGap`` of it, between ``since`` and ``until``. Two times
are compared at the coarser precision of the two (:func:`graphapi.investigate.report_times.same_time`:
a payment dated ``2024-11-05`` is not before one at ``2024-11-05T03:00:42``; attack round a-56, F6).

A hop asks the store once per frontier account and run of overlapping windows, widened to their
days (stored times compare as text, and ``2024-11-05`` sorts before ``2024-11-05T03:00``): one
entry per trail's window walked a busy account's transfers once per trail reaching it (attack
round 55, 3), and one entry per account over the union of all its windows let transfers no trail
wants use up the hop's cap (a-57, 2). Each trail then takes, by time, the hops inside its own
window (:class:`HopIndex`), within a budget of checks per hop (a-57, 1: 1,000 trails each
scanning 20,000 transfers held the worker for a minute).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from graphapi.investigate.report_times import DAY, at_precision, same_time

#: The last instant of a day, as stored UTC text compares (after every time of that day).
END_OF_DAY = "T23:59:59.999999999Z"
#: Candidate hops checked against their trails' windows at most per hop (then ``truncated``).
MAX_CHECKS = 400_000


def shift(at: str, delta: timedelta) -> str | None:
    """``at`` (stored UTC text) moved by ``delta``, as UTC text ending in ``Z``; a date alone moves
    from the end of its day forward and from its start backward (it may stand for any time of the
    day). None if out of range or unreadable."""
    try:
        base = datetime.fromisoformat(at)
        if at_precision(at) == DAY and delta > timedelta(0):
            base += timedelta(days=1, microseconds=-1)
        moved = base + delta
    except (ValueError, OverflowError):
        return None
    if moved.tzinfo is None:
        moved = moved.replace(tzinfo=UTC)
    return moved.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def window(prev_at: str | None, direction: str, gap: timedelta | None, since: str | None, until: str | None
           ) -> tuple[str | None, str | None]:
    """The inclusive (low, high) time window of the next transfer after one at ``prev_at``."""
    low, high = since, until
    if prev_at is not None:
        if direction == "DOWNSTREAM":
            low = max(low or prev_at, prev_at)
            bound = shift(prev_at, gap) if gap is not None else None
            high = min(high, bound) if high is not None and bound is not None else (high or bound)
        else:
            high = min(high or prev_at, prev_at)
            bound = shift(prev_at, -gap) if gap is not None else None
            low = max(low, bound) if low is not None and bound is not None else (low or bound)
    return low, high


def within(at: str, low: str | None, high: str | None) -> bool:
    """True if a transfer at ``at`` falls in the inclusive window (``low``, ``high``), each bound
    met at the coarser precision of the two times."""
    return ((low is None or at >= low or same_time(at, low))
            and (high is None or at <= high or same_time(at, high)))


def day_bounds(low: str | None, high: str | None) -> tuple[str | None, str | None]:
    """(``low``, ``high``) widened to their whole days: every time :func:`within` may keep, as
    stored text compares."""
    return (low[:10] if low is not None else None, high[:10] + END_OF_DAY if high is not None else None)


@dataclass
class HopFrontier:
    """What a hop asks the store: ``entries`` ``{key, id, low, high}``, one per account and run of
    overlapping (day-widened) windows; ``keys``: each trail's entry, in the order of the tails."""

    entries: list[dict[str, Any]]
    keys: list[int]


def frontier(tails: list[tuple[str, tuple[str | None, str | None]]]) -> HopFrontier:
    """The frontier of ``tails`` (each trail's last node and window), accounts in the order first
    reached, each account's runs by time."""
    by_node: dict[str, list[tuple[int, str | None, str | None]]] = {}
    for i, (node, (low, high)) in enumerate(tails):
        by_node.setdefault(node, []).append((i, *day_bounds(low, high)))
    entries: list[dict[str, Any]] = []
    keys = [0] * len(tails)
    for node, windows in by_node.items():
        windows.sort(key=lambda w: "" if w[1] is None else w[1])  # unbounded below first
        run: dict[str, Any] | None = None
        for i, low, high in windows:
            if run is not None and (run["high"] is None or low is None or low <= run["high"]):
                run["high"] = None if run["high"] is None or high is None else max(run["high"], high)
            else:
                run = {"key": len(entries), "id": node, "low": low, "high": high}
                entries.append(run)
            keys[i] = run["key"]
    return HopFrontier(entries, keys)


class HopIndex:
    """The hops read for one frontier entry (``(transfer, neighbour)`` in the order read), found by
    time: a trail looks only at those of its own window's days."""

    def __init__(self, hops: list[tuple[Any, str]]) -> None:
        self.hops = hops
        self._by_time = sorted((t.at, pos) for pos, (t, _) in enumerate(hops))

    def onward(self, low: str | None, high: str | None, visited: Collection[str], *, first_only: bool,
               budget: list[int]) -> list[tuple[Any, str]] | None:
        """The hops inside (``low``, ``high``) to a node not in ``visited``, in the order read; only
        the first found if ``first_only`` (the trail can take no more: whether it has any). None
        when ``budget`` (a one-item list: checks left this hop) runs out."""
        day_low, day_high = day_bounds(low, high)
        start = bisect_left(self._by_time, (day_low, -1)) if day_low is not None else 0
        end = bisect_right(self._by_time, (day_high, len(self.hops))) if day_high is not None else len(self._by_time)
        candidates = self._by_time[start:end]
        if not first_only:
            candidates = sorted(candidates, key=lambda c: c[1])
        out = []
        for at, pos in candidates:
            budget[0] -= 1
            if budget[0] < 0:
                return None
            hop = self.hops[pos]
            if hop[1] not in visited and within(at, low, high):
                out.append(hop)
                if first_only:
                    break
        return out
