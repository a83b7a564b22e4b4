"""Co-travel groups: people who cross the same border checkpoint in the same direction together,
again and again, found without a seed person.

One statement (``analytics/crossings_between``, visibility inside) reads the visible dated
crossings of the time range; the rest is done here, so both backends give the same answer:

- An *occasion* is a run of crossings of one checkpoint in one direction, each within ``window``
  hours of the one before it (a group walking over a bridge in ones and twos is one occasion). A
  run of more than :data:`MAX_CROWD` people (a busy checkpoint's steady stream chains on and on)
  is cut into pieces by the clock: windows of ``window`` every half ``window`` from the epoch, so
  a group crossing within half the window is whole in one of them, whatever others crossed; a
  group seen in two neighbouring pieces on a crossing they share, or within one window, crossed
  once. A piece still of
  more than :data:`MAX_CROWD` people is a crowd, not a group: it is left out and counted in
  ``crowds``.
- A *group* is a set of at least ``min_size`` people who were all in the same ``min_occurrences``
  or more occasions, listed with exactly those occasions, and as large as those occasions allow
  (no one else was in all of them: a closed itemset of the occasions). A smaller group that also
  crossed together on further occasions is a group of its own.

Groups are the intersections of occasions' travellers (every closed set is one), built one
occasion at a time; people on fewer than ``min_occurrences`` occasions are dropped first, as they
can be in no group. :data:`MAX_CANDIDATES` and :data:`MAX_WORK` bound that work and
:data:`ROW_CAP` the crossings read; any of them sets ``truncated``.
"""

from __future__ import annotations

import asyncio
import itertools
import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import reduce

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_range, check_time_range
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.shown_order import ShownIds, shown_id, shown_ids
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node, Relationship

MAX_WINDOW_HOURS = 168
#: Crossings read at most (the earliest are kept: the statement reads oldest first).
ROW_CAP = 50_000
#: An occasion with more people than this is a crowd (a busy checkpoint's rush hour), not a group.
MAX_CROWD = 100
#: Candidate groups kept at most (the intersections of occasions can multiply).
MAX_CANDIDATES = 5_000
#: Set-intersection steps done at most while grouping (each intersection counted as the size of
#: the occasion it meets, under a second of CPU): the grouping runs in process, and a request must
#: not hold the worker however many occasions or people there are.
MAX_WORK = 2_000_000
MAX_LIMIT = 100
#: Member crossings listed in one answer at most (the groups past it are left out: ``truncated``).
MAX_SHOWN_CROSSINGS = 5_000
MAX_CHECKPOINTS = 100
#: Where a crowded run's pieces are counted from (the clock's, not the data's: see _crowd_pieces).
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class GroupOccasion:
    """One occasion a group crossed on: the checkpoint, direction and the members' crossings."""

    checkpoint: Node
    direction: str | None
    crossings: tuple[Relationship, ...]

    @property
    def first(self) -> str:
        """The earliest member crossing's ``at`` (UTC ISO 8601)."""
        return min(str(c.properties.get("at")) for c in self.crossings)

    @property
    def last(self) -> str:
        """The latest member crossing's ``at`` (UTC ISO 8601)."""
        return max(str(c.properties.get("at")) for c in self.crossings)


@dataclass(frozen=True)
class TravelGroup:
    """A group (members by id) and the occasions they all crossed on, oldest first."""

    members: tuple[Node, ...]
    occasions: tuple[GroupOccasion, ...]


@dataclass(frozen=True)
class CoTravelGroups:
    """Groups, most occasions first, then the largest, then by member ids; occasions left out as
    crowds; ``truncated`` if a budget cut."""

    groups: list[TravelGroup]
    crowds: int
    truncated: bool


@dataclass(frozen=True)
class _Crossing:
    id: str
    traveller: str
    checkpoint: str
    direction: str
    at: datetime
    properties: dict = field(default_factory=dict, compare=False, hash=False)


def _occasions(crossings: list[_Crossing], window: timedelta) -> list[list[_Crossing]]:
    """Runs of crossings per (checkpoint, direction), each within ``window`` of the one before."""
    runs: list[list[_Crossing]] = []
    ordered = sorted(crossings, key=lambda c: (c.checkpoint, c.direction, c.at, c.id))
    for c in ordered:
        last = runs[-1][-1] if runs else None
        if last is not None and (last.checkpoint, last.direction) == (c.checkpoint, c.direction) \
                and c.at - last.at <= window:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _crowd_pieces(run: list[_Crossing], window: timedelta) -> list[tuple[int | None, list[_Crossing]]]:
    """A run of more than :data:`MAX_CROWD` people in its time pieces, as (cell, crossings); a run
    of fewer is one piece, cell None. A steady stream of travellers chains a whole week into one
    run, which hid every group crossing in it (attack round a-56, F8).

    The pieces are fixed windows of the clock, not of the data: piece ``k`` holds the crossings
    from ``k`` half-windows after the epoch, for one ``window``, so each crossing is in two pieces
    and a group whose crossings span at most half the window is whole in one of them, whatever
    anyone else crossed. Cuts chosen from the crossings' own gaps were steered by a partner's
    filler crossings, one person crossing every 2 minutes or 58 made-up people crossing once
    (attack rounds a-57, 7 and a-59, 1): the group of four split, one of three made up. A piece
    still of more than :data:`MAX_CROWD` people is a crowd (a rush hour within one window)."""
    if len({c.traveller for c in run}) <= MAX_CROWD:
        return [(None, run)]
    step = max(window / 2, timedelta(microseconds=1))  # a window of a few microseconds still cuts
    cells: dict[int, list[_Crossing]] = {}
    for c in run:
        k = (_utc(c.at) - _EPOCH) // step
        cells.setdefault(k - 1, []).append(c)
        cells.setdefault(k, []).append(c)
    return sorted(cells.items())


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _overlaps(pieces: list[tuple[int, int | None, list[_Crossing]]]) -> int:
    """Bit i set: pieces i and i + 1 are one crowded run's neighbouring cells (they share a half)."""
    return sum(1 << i for i, ((run, cell, _), (next_run, next_cell, _)) in enumerate(itertools.pairwise(pieces))
               if cell is not None and run == next_run and next_cell == cell + 1)


def _members_crossings(piece: list[_Crossing], group: frozenset[str]) -> set[str]:
    return {c.id for c in piece if c.traveller in group}


def _same_occasion(group: frozenset[str], bits: int, runs: list[list[_Crossing]], overlaps: int,
                   window: timedelta) -> int:
    """Bit i set: the group's occasions i and i + 1 are one, counted once: neighbouring pieces
    holding a member crossing of both (the group crossed in the half they share), or whose member
    crossings together span at most ``window`` (two passes within one window are one occasion, as
    in a quiet run, wherever the clock cuts between them: attack round a-61, 3)."""
    same = 0
    for i in _set_bits(bits & (bits >> 1) & overlaps):
        mine = [c for c in runs[i] if c.traveller in group]
        theirs = [c for c in runs[i + 1] if c.traveller in group]
        if {c.id for c in mine} & {c.id for c in theirs} or \
                max(c.at for c in theirs) - min(c.at for c in mine) <= window:
            same |= 1 << i
    return same


def _occasion_indices(bits: int, same: int) -> list[list[int]]:
    """The group's occasions, each the piece indices it was seen in (neighbours joined by ``same``)."""
    occasions: list[list[int]] = []
    for i in _set_bits(bits):
        if occasions and same >> (i - 1) & 1 and occasions[-1][-1] == i - 1:
            occasions[-1].append(i)
        else:
            occasions.append([i])
    return occasions


def _closed_groups(people: list[frozenset[str]], min_size: int) -> tuple[list[frozenset[str]], bool]:
    """Every intersection of some of ``people`` with at least ``min_size`` members (the closed
    sets), in the order found, and whether :data:`MAX_CANDIDATES` or :data:`MAX_WORK` stopped the
    search. In order, not a set's: where a bound stops must not depend on the process's hash seed
    (two workers gave two answers to one request: attack round a-61, 4)."""
    closed: dict[frozenset[str], None] = {}
    work = 0
    for travellers in people:
        # an intersection costs up to the occasion's size: counted so, a busy checkpoint's big
        # groups spend the budget as fast as they spend the CPU (attack round 3, G6)
        work += (len(closed) + 1) * len(travellers)
        if work > MAX_WORK:
            return list(closed), True
        for shared in [travellers, *(g & travellers for g in closed)]:
            if len(shared) >= min_size and shared not in closed:
                closed[shared] = None
                if len(closed) > MAX_CANDIDATES:
                    return list(closed)[:MAX_CANDIDATES], True
    return list(closed), False


def _masks(people: list[frozenset[str]], wanted: set[str]) -> dict[str, int]:
    """Each wanted traveller's occasions as the bits of an int, built from bytes in one pass (an
    ``|= 1 << i`` per occasion copies the whole int each time: quadratic)."""
    where: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        for t in p & wanted:
            where.setdefault(t, []).append(i)
    masks = {}
    for t, on in where.items():
        raw = bytearray(on[-1] // 8 + 1)
        for i in on:
            raw[i >> 3] |= 1 << (i & 7)
        masks[t] = int.from_bytes(raw, "little")
    return masks


def _set_bits(bits: int):
    """The positions of ``bits``' set bits, lowest first: one step per set bit (a scan of every
    position up to ``bit_length`` shifted the whole int each time: quadratic, attack round 4, H4)."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


Found = tuple[frozenset[str], int, int, int]  # group, its pieces (bits), its occasions, pieces joined


def _groups(people: list[frozenset[str]], min_size: int, min_occurrences: int, runs: list[list[_Crossing]],
            overlaps: int, window: timedelta) -> tuple[list[Found], bool]:
    """The groups among ``people`` (each piece's travellers) with the pieces they were in as a bit
    mask, how many occasions those are and which neighbouring pieces were one occasion
    (:func:`_same_occasion`), and whether a bound stopped the search. Pure CPU: run off the event
    loop."""
    candidates, cut = _closed_groups([p for p in people if len(p) >= min_size], min_size)
    # a group's occasions are one AND of its members' masks (set intersections of every member's
    # occasions took 23 s of CPU on 520 occasions of 95: G6); at most MAX_CANDIDATES of them
    masks = _masks(people, {t for group in candidates for t in group})
    found: list[Found] = []
    work = 0
    for group in candidates:
        bits = reduce(operator.and_, (masks[t] for t in group))
        count, same = bits.bit_count(), 0
        if count >= min_occurrences and bits & overlaps:
            # each neighbouring pair compared costs the two pieces' sizes: a week of crowded pieces
            # and thousands of candidates must not hold the worker
            work += sum(len(runs[i]) + len(runs[i + 1]) for i in _set_bits(bits & (bits >> 1) & overlaps))
            if work > MAX_WORK:
                return found, True
            same = _same_occasion(group, bits, runs, overlaps, window)
            count -= same.bit_count()
        if count >= min_occurrences:
            found.append((group, bits, count, same))
    kept, stopped = _largest(found, overlaps)
    return kept, cut or stopped


def _largest(found: list[Found], overlaps: int) -> tuple[list[Found], bool]:
    """``found`` less each group a larger one crossed with on every one of its occasions (closed
    sets of pieces, not of occasions: a group crossing across two neighbouring pieces is closed
    in one of them alone, by fewer people), and whether :data:`MAX_WORK` stopped the comparisons.
    Groups that met no neighbouring pieces are closed already. Every occasion, not as many: a
    partner's larger group on one visit seen twice took the place of the real group's two
    (attack round a-61, 1)."""
    by_member: dict[str, list[int]] = {}
    for k, (group, *_) in enumerate(found):
        for t in group:
            by_member.setdefault(t, []).append(k)
    kept: list[Found] = []
    work = 0
    for group, bits, count, same in found:
        if bits & overlaps:
            # any member's list holds every larger group: the shortest, ties by id (a bound's stop
            # must not depend on the hash seed)
            rivals = by_member[min(sorted(group), key=lambda t: len(by_member[t]))]
            occasions = [sum(1 << i for i in o) for o in _occasion_indices(bits, same)]
            work += len(rivals) * len(occasions)
            if work > MAX_WORK:
                return found, True
            if any(group < found[k][0] and found[k][2] >= count and all(o & found[k][1] for o in occasions)
                   for k in rivals):
                continue
        kept.append((group, bits, count, same))
    return kept, False


def _parse(rows: list[dict]) -> list[_Crossing]:
    out = []
    for r in rows:
        try:
            at = datetime.fromisoformat(str(r["at"]))
        except ValueError:  # a bare date: no time to be "together" at
            continue
        out.append(_Crossing(r["id"], r["traveller"], r["checkpoint"], r["direction"] or "", at,
                             dict(r.get("properties") or {})))
    return out


async def co_travel_groups(
    store: GraphStore,
    principal: Principal,
    since: str | None = None,
    until: str | None = None,
    checkpoints: Sequence[str] | None = None,
    window: float = 2,
    min_size: int = 2,
    min_occurrences: int = 2,
    limit: int = 50,
) -> CoTravelGroups:
    """Groups of at least ``min_size`` (2..20) people who crossed a checkpoint in the same direction
    together (consecutive crossings within ``window`` hours, 0 < w <= 168) on at least
    ``min_occurrences`` (1..100) occasions, over the visible crossings between ``since`` and
    ``until`` (ISO 8601, inclusive) at ``checkpoints`` (ids, at most 100; None = all); ``limit``
    1..100 groups. Raises InvalidArgument."""
    if not 0 < window <= MAX_WINDOW_HOURS:
        raise InvalidArgument(f"window must be more than 0 and at most {MAX_WINDOW_HOURS} hours, got {window}")
    check_range("minSize", min_size, 2, 20)
    check_range("minOccurrences", min_occurrences, 1, 100)
    check_range("limit", limit, 1, MAX_LIMIT)
    if checkpoints is not None:
        check_range("checkpoints (count)", len(checkpoints), 1, MAX_CHECKPOINTS)
    low, high = check_time_range(since, until)
    rows = await store.read("analytics/crossings_between", {
        "since": low, "until": high, "checkpoints": list(checkpoints) if checkpoints is not None else None,
        "limit": ROW_CAP + 1, "masked": not may_see_victims(principal), **principal.cypher_params()})
    # The cap keeps the earliest, then by the ids shown (a victim's crossing by its token)
    rows.sort(key=lambda r: (r["at"], r["hidden"], shown_id(r["id"], r["hidden"])))
    truncated = len(rows) > ROW_CAP
    span = timedelta(hours=window)
    pieces = [(n, cell, piece) for n, run in enumerate(_occasions(_parse(rows[:ROW_CAP]), span))
              for cell, piece in _crowd_pieces(run, span)]
    crowded = [len({c.traveller for c in piece}) > MAX_CROWD for _, _, piece in pieces]
    # a rush in neighbouring pieces of one run is one crowd
    crowds = sum(1 for i, crowd in enumerate(crowded) if crowd and not (i and crowded[i - 1] and _overlaps(
        pieces[i - 1:i + 1])))
    pieces = [p for p, crowd in zip(pieces, crowded, strict=True) if not crowd]
    runs = [piece for _, _, piece in pieces]
    overlaps = _overlaps(pieces)
    seen = Counter(t for run in runs for t in {c.traveller for c in run})
    keep = {t for t, n in seen.items() if n >= min_occurrences}  # the others can be in no group
    people = [frozenset(c.traveller for c in run if c.traveller in keep) for run in runs]
    # in a thread: the event loop keeps its turns (GIL switches) while a big grouping runs
    masked, cut = await asyncio.to_thread(_groups, people, min_size, min_occurrences, runs, overlaps, span)
    # ties (and so which groups the limit keeps) by the ids the reader is shown: a victim's token,
    # never its stored id, whose place among the others would narrow it (shown_order)
    shown = await shown_ids(store, principal, {t for group, *_ in masked for t in group})
    masked.sort(key=lambda g: (-g[2], -len(g[0]), sorted(map(shown.node, g[0]))))
    truncated = truncated or cut or len(masked) > limit
    # the answer lists every member crossing of every group: past MAX_SHOWN_CROSSINGS the groups
    # end (truncated), so a busy checkpoint cannot make one answer of a million crossings (G6);
    # occasions are listed only for the groups kept, and no further than that bound
    found: list[tuple[frozenset[str], list[list[int]]]] = []
    shown_crossings = 0
    for group, bits, _count, same in masked[:limit]:
        on = []
        for occasion in _occasion_indices(bits, same):
            on.append(occasion)
            shown_crossings += len(set().union(*(_members_crossings(runs[i], group) for i in occasion)))
            if shown_crossings > MAX_SHOWN_CROSSINGS:
                break
        if shown_crossings > MAX_SHOWN_CROSSINGS:
            truncated = True
            break
        found.append((group, on))
    return CoTravelGroups(await _shown(store, principal, found, runs, shown), crowds, truncated)


async def _shown(store: GraphStore, principal: Principal, found: list[tuple[frozenset[str], list[list[int]]]],
                 runs: list[list[_Crossing]], shown: ShownIds) -> list[TravelGroup]:
    """The groups as nodes and relationships, fetched in two round trips (visible ones only)."""
    def crossings(group: frozenset[str], occasion: list[int]) -> list[_Crossing]:
        mine = {c.id: c for i in occasion for c in runs[i] if c.traveller in group}
        return sorted(mine.values(), key=lambda c: (c.at, shown.relationship_id(c.id, c.traveller, c.checkpoint)))

    listed = [(group, [crossings(group, occasion) for occasion in on]) for group, on in found]
    wanted = [c for _, occasions in listed for occasion in occasions for c in occasion]
    # the crossings as the visibility statement read them (crossings_between returns their properties)
    rels = {c.id: Relationship(c.id, "CROSSED", c.traveller, c.checkpoint, c.properties) for c in wanted}
    nodes = await get_nodes(store, principal, sorted({x for c in wanted for x in (c.traveller, c.checkpoint)}))
    groups = []
    for group, occasions in listed:
        kept = []
        for occasion in sorted(occasions, key=lambda o: (o[0].at, o[0].checkpoint, o[0].direction)):
            mine = [rels[c.id] for c in occasion if c.id in rels]
            cp = occasion[0].checkpoint
            if mine and cp in nodes:
                kept.append(GroupOccasion(nodes[cp], occasion[0].direction or None, tuple(mine)))
        members = tuple(nodes[m] for m in sorted(group, key=shown.node) if m in nodes)
        groups.append(TravelGroup(members, tuple(kept)))
    return groups
