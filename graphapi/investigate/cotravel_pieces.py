"""Co-travel groups' occasions: the crossings read, chained into runs per checkpoint and direction,
and a crowded run cut by the clock into pieces (see :mod:`graphapi.investigate.cotravel_groups`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

#: Where a crowded run's pieces are counted from (the clock's, not the data's: see crowd_pieces).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Crossing:
    """One visible dated crossing as ``analytics/crossings_between`` read it."""

    id: str
    traveller: str
    checkpoint: str
    direction: str
    at: datetime
    properties: dict = field(default_factory=dict, compare=False, hash=False)


def parse_crossings(rows: list[dict]) -> list[Crossing]:
    """The rows as crossings; a crossing dated with a day only (no time to be "together" at) is
    skipped."""
    out = []
    for r in rows:
        try:
            at = datetime.fromisoformat(str(r["at"]))
        except ValueError:
            continue
        out.append(Crossing(r["id"], r["traveller"], r["checkpoint"], r["direction"] or "", at,
                            dict(r.get("properties") or {})))
    return out


def chained_runs(crossings: list[Crossing], window: timedelta) -> list[list[Crossing]]:
    """Runs of crossings per (checkpoint, direction), each within ``window`` of the one before."""
    runs: list[list[Crossing]] = []
    ordered = sorted(crossings, key=lambda c: (c.checkpoint, c.direction, c.at, c.id))
    for c in ordered:
        last = runs[-1][-1] if runs else None
        if last is not None and (last.checkpoint, last.direction) == (c.checkpoint, c.direction) \
                and c.at - last.at <= window:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def crowd_pieces(run: list[Crossing], window: timedelta, max_crowd: int) -> list[tuple[int | None, list[Crossing]]]:
    """A run of more than ``max_crowd`` people in its time pieces, as (cell, crossings); a run
    of fewer is one piece, cell None. A steady stream of travellers chains a whole week into one
    run, which hid every group crossing in it (attack round a-56, F8).

    The pieces are fixed windows of the clock, not of the data: piece ``k`` holds the crossings
    from ``k`` half-windows after the epoch, for one ``window``, so each crossing is in two pieces
    and a group whose crossings span at most half the window is whole in one of them, whatever
    anyone else crossed. Cuts chosen from the crossings' own gaps were steered by a partner's
    filler crossings, one person crossing every 2 minutes or 58 made-up people crossing once
    (attack rounds a-57, 7 and a-59, 1): the group of four split, one of three made up. A piece
    still of more than ``max_crowd`` people is a crowd (a rush hour within one window). Groups are
    found in neighbouring pieces taken together (:func:`mined_pieces`)."""
    if len({c.traveller for c in run}) <= max_crowd:
        return [(None, run)]
    step = max(window / 2, timedelta(microseconds=1))  # a window of a few microseconds still cuts
    cells: dict[int, list[Crossing]] = {}
    for c in run:
        k = (_utc(c.at) - EPOCH) // step
        cells.setdefault(k - 1, []).append(c)
        cells.setdefault(k, []).append(c)
    return sorted(cells.items())


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def overlaps(pieces: list[tuple[int, int | None, list[Crossing]]]) -> int:
    """Bit i set: pieces i and i + 1 are one crowded run's neighbouring cells (they share a half)."""
    return sum(1 << i for i, ((run, cell, _), (next_run, next_cell, _)) in enumerate(itertools.pairwise(pieces))
               if cell is not None and run == next_run and next_cell == cell + 1)


Piece = tuple[int, int | None, list[Crossing]]  # its run's number, its cell (None: a quiet run), crossings


def mined_pieces(pieces: list[Piece]) -> list[tuple[Piece, tuple[list[Crossing], ...]]]:
    """The pieces groups are found in, each with the clock pieces it is made of (``pieces``, those
    of a run that are no crowd, in order). A quiet run is one, as it is. In a crowded run each two
    neighbouring clock pieces are one, cell ``k`` holding the half-windows ``k`` to ``k + 2``: a
    group whose crossings span at most the window is whole in one of them, wherever the clock cuts
    (whole in one clock piece only within half the window, a group spread over 80 minutes of a
    2-hour window split in two, or lost an occasion, as soon as one-off crossings hours away made
    its run crowded: attack round a-61, 2)."""
    by_cell = {(run, cell): piece for run, cell, piece in pieces if cell is not None}
    out: list[tuple[Piece, tuple[list[Crossing], ...]]] = []
    for run, cell, piece in pieces:
        if cell is None:
            out.append(((run, None, piece), (piece,)))
            continue
        for k in (cell - 1, cell):
            if k == cell - 1 and (run, k) in by_cell:
                continue  # made with the clock piece before
            parts = tuple(by_cell[run, j] for j in (k, k + 1) if (run, j) in by_cell)
            crossings = sorted({c.id: c for part in parts for c in part}.values(), key=lambda c: (c.at, c.id))
            out.append(((run, k, crossings), parts))
    return out
