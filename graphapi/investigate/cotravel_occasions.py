"""Co-travel groups' occasions: a candidate group's occasions, from the pieces it was found in (see
:mod:`graphapi.investigate.cotravel_groups`). A quiet run's piece is one occasion, as chained. In a
crowded run (cut by the clock) they are counted from the members' OWN crossings there
(:func:`crowded_occasions`), so no one else's crossing, nor where the clock cuts, can join two of
the group's passes into one, split one into two, or count one crossing twice (attack round a-64:
neighbouring pieces sharing any member's crossing, a partner's lone one, were one occasion; pieces
two apart were never compared, so a group crossing once counted twice). Pure CPU, counted against
a :class:`~graphapi.investigate.cotravel_mining.Work` budget."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple, TypeVar

from graphapi.investigate.cotravel_mining import PieceIndex, Work, set_bits
from graphapi.investigate.cotravel_pieces import Crossing


class Occasion(NamedTuple):
    """One occasion of a group: its run's number and the time it spans; a crowded run's lists the
    members' crossings in it (``crossings``), a quiet run's is listed later from its piece
    (``piece``, an index of the mined pieces), only for the groups kept. A tuple: up to
    :data:`~graphapi.investigate.cotravel_groups.MAX_WORK` of them are built in one request, and a
    frozen dataclass took more than twice as long to build (0.27 against 0.12 s of CPU for 300,000)."""

    run: int
    first: datetime
    last: datetime
    piece: int | None = None
    crossings: tuple[Crossing, ...] = ()


#: Steps a piece of a group's mask costs (its bit found, its occasion built if a quiet run's):
#: about four times a step of the rest (2,000,000 such occasions took 5 to 6 s of CPU).
QUIET_STEPS = 4

Found = tuple[frozenset[str], int, list[Occasion]]  # a group, how many occasions, the occasions
F = TypeVar("F")


def crowded_occasions(group: frozenset[str], crossings: list[Crossing], window: timedelta,
                      run: int) -> list[Occasion]:
    """The most disjoint stretches of time, each at most ``window`` long and holding a crossing of
    every member, among the members' ``crossings`` (in time order, each once; crossings at one
    time are taken together, so which comes first by id changes nothing). How many: found by the
    earliest ends (:func:`_earliest_closes`). Which: from the last back, each the shortest
    stretch holding every member between the one before's earliest close and the one after's
    start, so a member's own crossing an hour before the group is not listed with it (attack
    round a-59, 2) and one crossing is never in two. Each lists every member crossing in it."""
    closes = _earliest_closes(group, crossings, window)
    out: list[Occasion] = []
    stop = len(crossings)
    for k in reversed(range(len(closes))):
        start = closes[k - 1] if k else 0
        first, last = _shortest(group, crossings, start, stop)
        out.append(Occasion(run, first, last, None, tuple(c for c in crossings[start:stop] if first <= c.at <= last)))
        while stop > start and crossings[stop - 1].at >= first:
            stop -= 1
    return out[::-1]


def _earliest_closes(group: frozenset[str], crossings: list[Crossing], window: timedelta) -> list[int]:
    """Where each occasion closes at the earliest (the index past its last crossing): the
    crossings scanned by time, keeping each member's latest since the last one closed; one closes
    at the first time every member's latest is within ``window`` of it. The next uses only
    crossings after it. Earliest ends first give the most disjoint stretches."""
    closes: list[int] = []
    latest: OrderedDict[str, datetime] = OrderedDict()  # each member's latest, the earliest first
    last = len(crossings) - 1
    for i, c in enumerate(crossings):
        latest[c.traveller] = c.at
        latest.move_to_end(c.traveller)
        if len(latest) == len(group) and (i == last or crossings[i + 1].at != c.at) \
                and c.at - next(iter(latest.values())) <= window:
            closes.append(i + 1)
            latest = OrderedDict()
    return closes


def _shortest(group: frozenset[str], crossings: list[Crossing], start: int, stop: int) -> tuple[datetime, datetime]:
    """The first and last time of the shortest stretch of ``crossings[start:stop]`` holding a
    crossing of every member (the earliest of equal ones)."""
    best: tuple[datetime, datetime] | None = None
    held: dict[str, int] = {}
    i, need = start, len(group)
    for j in range(start, stop):
        t = crossings[j].traveller
        held[t] = held.get(t, 0) + 1
        if len(held) < need:
            continue
        at = crossings[j].at
        while len(held) == need:  # the stretch from i to j holds everyone: the shortest ending at j?
            first = crossings[i]
            if best is None or at - first.at < best[1] - best[0]:
                best = (first.at, at)
            held[first.traveller] -= 1
            if not held[first.traveller]:
                del held[first.traveller]
            i += 1
    assert best is not None, "an earliest close lies between the occasions around it"
    return best


class GroupOccasions:
    """Each group's occasions in the mined pieces ``runs`` (``keys``: each piece's run number and
    clock cell, None for a quiet run's), with the crowded pieces' travellers' crossings indexed
    once, as a piece is first met. Every crossing walked (indexed, gathered for a group, scanned)
    is counted against ``work``."""

    def __init__(self, runs: list[list[Crossing]], keys: list[tuple[int, int | None]], window: timedelta,
                 work: Work) -> None:
        self.runs, self.keys, self.window, self.work = runs, keys, window, work
        self.index = PieceIndex(work)

    def of(self, group: frozenset[str], bits: int) -> list[Occasion] | None:
        """The occasions of ``group``, found in the pieces ``bits``, by run and time; None once
        the work is spent."""
        # each piece, a quiet one's occasion built, QUIET_STEPS steps: 5,000 candidates on 3,500
        # quiet runs each built 17.5 million occasions uncounted (70 s of CPU, 2.8 GB: attack
        # round a-66, 2)
        if not self.work.spend(QUIET_STEPS * bits.bit_count()):
            return None
        out: list[Occasion] = []
        crowded: dict[int, list[int]] = {}
        for i in set_bits(bits):
            run, cell = self.keys[i]
            if cell is None:
                out.append(Occasion(run, self.runs[i][0].at, self.runs[i][-1].at, i))
            else:
                crowded.setdefault(run, []).append(i)
        for run, pieces in crowded.items():
            mine = self._members_crossings(group, pieces)
            # scanned for the earliest closes, then each at most twice for the shortest stretches
            if mine is None or not self.work.spend(3 * len(mine)):
                return None
            out += crowded_occasions(group, mine, self.window, run)
        # the quiet ones come by run already (the pieces are in run order)
        return sorted(out, key=lambda o: (o.run, o.first)) if crowded else out

    def _members_crossings(self, group: frozenset[str], pieces: list[int]) -> list[Crossing] | None:
        """The members' crossings in ``pieces`` (of one crowded run), each once, in time order."""
        mine: dict[str, Crossing] = {}
        for i in pieces:
            if (by := self.index.of(self.runs[i])) is None:
                return None
            gathered = [c for t in group for c in by.get(t, ())]
            if not self.work.spend(len(gathered)):
                return None
            mine.update((c.id, c) for c in gathered)
        return sorted(mine.values(), key=lambda c: (c.at, c.id))


def upper_bounds(runs: list[list[Crossing]], keys: list[tuple[int, int | None]]) -> dict[str, int]:
    """How many occasions each traveller can be in at most: one per quiet piece she is in, one per
    crossing of hers in the crowded pieces (each once). People under ``minOccurrences`` can be in
    no group."""
    bound: dict[str, int] = {}
    crowded: dict[str, str] = {}
    for piece, (_, cell) in zip(runs, keys, strict=True):
        if cell is None:
            for t in {c.traveller for c in piece}:
                bound[t] = bound.get(t, 0) + 1
        else:
            crowded.update((c.id, c.traveller) for c in piece)
    for t in crowded.values():
        bound[t] = bound.get(t, 0) + 1
    return bound


def covers(theirs: list[Occasion], mine: list[Occasion]) -> bool:
    """Whether each of ``mine`` overlaps in time one of ``theirs`` in the same run (both by run and
    time, each run's disjoint): the larger group crossed with the smaller on every occasion."""
    j = 0
    for o in mine:
        while j < len(theirs) and (theirs[j].run, theirs[j].last) < (o.run, o.first):
            j += 1
        if j == len(theirs) or theirs[j].run != o.run or theirs[j].first > o.last:
            return False
    return True


def settled(found: list[F], rest: list[frozenset[str]], work: Work,
            group: Callable[[F], frozenset[str]] = itemgetter(0)) -> list[F]:
    """``found`` (each one's ``group``: a Found's by default) less each group one of ``rest`` holds
    with others: sets a budget's stop left unmined (a larger group they make was never generated,
    attack round a-70, 1) or candidates whose occasions it left unknown, so any might be a larger
    group covering it. Counted against ``work`` (each of ``rest``'s members indexed, each group
    compared, one step); on its stop none is listed: a group not yet checked might cover one
    checked and kept ({a, b} was listed on the 14 occasions of {a, b, c}, which the stop left
    out: attack round a-74, 1). A stop only ever leaves groups out."""
    by_member: dict[str, list[int]] = {}
    if not work.spend(sum(map(len, rest))):
        return []
    for k, members in enumerate(rest):
        for t in members:
            by_member.setdefault(t, []).append(k)
    out: list[F] = []
    for one in found:
        mine = group(one)
        rivals = min((by_member.get(t, []) for t in sorted(mine)), key=len)
        if not work.spend(len(rivals) + 1):
            return []
        if not any(mine < rest[k] for k in rivals):
            out.append(one)
    return out


def largest(found: list[Found], work: Work) -> tuple[list[Found], bool]:
    """``found`` less each group a larger one crossed with on every one of its occasions, with as
    many occasions (closed sets of pieces, not of occasions: a group crossing in a crowded run is
    closed in one of its pieces alone, by fewer people), and whether ``work`` stopped the
    comparisons; a stop leaves out the groups not yet compared, never lists them as they are (the
    sub-groups of a listed group were listed beside it: attack round a-66, 3). Every group is
    compared, one met in quiet runs only too: the intersection of two quiet runs with a crowded
    piece holding two members hours apart is a candidate on those quiet runs alone, beside the
    larger group on them (attack round a-66, 4). Every occasion, not as many: a partner's larger
    group on one visit seen twice took the place of the real group's two (attack round a-61, 1)."""
    by_member: dict[str, list[int]] = {}
    for k, (group, *_) in enumerate(found):
        for t in group:
            by_member.setdefault(t, []).append(k)
    kept: list[Found] = []
    for group, count, occasions in found:
        # any member's list holds every larger group: the shortest, ties by id (a bound's stop
        # must not depend on the hash seed); each one compared costs one step, each larger one
        # as many occasions (its and this one's) as are walked
        rivals = by_member[min(sorted(group), key=lambda t: len(by_member[t]))]
        if not work.spend(len(rivals)):
            return kept, True
        larger = [found[k][2] for k in rivals if group < found[k][0] and found[k][1] >= count]
        if not work.spend(sum(len(theirs) + len(occasions) for theirs in larger)):
            return kept, True
        if not any(covers(theirs, occasions) for theirs in larger):
            kept.append((group, count, occasions))
    return kept, False
