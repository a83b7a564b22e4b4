"""Co-travel groups: people who cross the same border checkpoint in the same direction together,
again and again, found without a seed person.

One statement (``analytics/crossings_between``, visibility inside) reads the visible dated
crossings of the time range; the rest is done here, so both backends give the same answer:

- An *occasion* is a run of crossings of one checkpoint in one direction, each within ``window``
  hours of the one before it (a group walking over a bridge in ones and twos is one occasion). A
  run of more than :data:`MAX_CROWD` people (a busy checkpoint's steady stream chains on and on)
  is cut by the clock: windows of ``window`` every half ``window`` from the epoch; a window still
  of more than :data:`MAX_CROWD` people is a crowd, not a group: it is left out and counted in
  ``crowds``. Groups are found in each two neighbouring windows that are no crowd, together, so a
  group crossing within the window is whole in one of them, whatever others crossed, however far
  away (:func:`~graphapi.investigate.cotravel_pieces.mined_pieces`). A group's occasions in a
  crowded run are counted from its members' own crossings in the pieces it was found in: the
  most disjoint stretches of at most ``window``, each holding a crossing of every member
  (:func:`~graphapi.investigate.cotravel_occasions.crowded_occasions`), so nobody else's
  crossings, nor where the clock cuts, change how many (attack round a-64).
- A *group* is a set of at least ``min_size`` people who were all in the same ``min_occurrences``
  or more occasions, listed with exactly those occasions, and as large as those occasions allow
  (no one else was in all of them: a closed itemset of the occasions). A smaller group that also
  crossed together on further occasions is a group of its own.

Groups are the intersections of occasions' travellers (every closed set is one), built one
occasion at a time; in a crowded run, of the travellers within ``window`` after and before each
crossing (every stretch of at most ``window`` is the intersection of two of them, so nobody's
crossing near a group hides it: attack round a-66, 1;
:class:`~graphapi.investigate.cotravel_mining.MinedPeople`); people on fewer than
``min_occurrences`` occasions are dropped first, as they can be in no group.
:data:`MAX_CANDIDATES` and :data:`MAX_WORK` bound that work, :data:`MAX_SHOWN_CROSSINGS` and
:data:`MAX_LISTING_WORK` the listing and :data:`ROW_CAP` the crossings read; any of them sets
``truncated``.

The steps live in five modules: :mod:`~graphapi.investigate.cotravel_pieces` (the runs and the
clock cutting of crowded ones), :mod:`~graphapi.investigate.cotravel_mining` (the closed sets),
:mod:`~graphapi.investigate.cotravel_occasions` (each group's occasions, and the groups a larger
one covers), :mod:`~graphapi.investigate.cotravel_listing` (the groups kept, listed) and
:mod:`~graphapi.investigate.cotravel_threads` (the threads they run in).
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import and_

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_range, check_time_range
from graphapi.investigate.cotravel_listing import GroupOccasion, TravelGroup, listed_occasions, shown_groups
from graphapi.investigate.cotravel_mining import MinedPeople, Work, closed_groups, masks
from graphapi.investigate.cotravel_occasions import Found, GroupOccasions, largest, settled, upper_bounds
from graphapi.investigate.cotravel_pieces import (
    Crossing,
    chained_runs,
    crowd_pieces,
    mined_pieces,
    overlaps,
    parse_crossings,
)
from graphapi.investigate.cotravel_threads import grouping_slot, run_grouping
from graphapi.investigate.cotravel_turns import read_in_turn
from graphapi.investigate.shown_order import shown_id, shown_ids
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.security.victim_ids import victim_ids
from graphapi.store import GraphStore

__all__ = ["CoTravelGroups", "GroupOccasion", "TravelGroup", "co_travel_groups"]

MAX_WINDOW_HOURS = 168
#: Crossings read at most (the earliest are kept: the statement reads oldest first).
ROW_CAP = 50_000
#: Steps of turning the rows read into pieces, at most, per row (sorted, parsed, chained, cut by the
#: clock, each crowded one in two cells, its people counted; each crossing in at most three mined
#: pieces, each walked twice): counted so a request given up stops there too.
READ_STEPS = 14
#: An occasion with more people than this is a crowd (a busy checkpoint's rush hour), not a group.
MAX_CROWD = 100
#: Candidate groups kept at most (the intersections of occasions can multiply).
MAX_CANDIDATES = 5_000
#: Steps done at most by each of the grouping's three parts, so three times this in all: the
#: closed sets (each intersection counted as the size of the occasion it meets), the groups'
#: occasions in crowded runs (each crossing indexed, gathered for a group or scanned) and comparing
#: with larger groups (one a comparison, one an occasion walked). The grouping runs in process,
#: and a request must not hold the worker however many occasions or people there are.
MAX_WORK = 2_000_000
#: Crossings walked and listed at most while listing the groups kept (in a thread; each piece is
#: walked once, into its travellers' crossings, so about five times ROW_CAP at worst).
MAX_LISTING_WORK = 2_000_000
MAX_LIMIT = 100
#: Member crossings listed in one answer at most (the groups past it are left out: ``truncated``).
MAX_SHOWN_CROSSINGS = 5_000
MAX_CHECKPOINTS = 100

# the pieces' and mining's steps under the names the tests (and this module's bounds) use
_Crossing = Crossing
_overlaps = overlaps


@dataclass(frozen=True)
class CoTravelGroups:
    """Groups, most occasions first, then the largest, then by member ids; occasions left out as
    crowds; ``truncated`` if a budget cut."""

    groups: list[TravelGroup]
    crowds: int
    truncated: bool


def _crowd_pieces(run: list[Crossing], window: timedelta) -> list[tuple[int | None, list[Crossing]]]:
    """:func:`~graphapi.investigate.cotravel_pieces.crowd_pieces` at :data:`MAX_CROWD`."""
    return crowd_pieces(run, window, MAX_CROWD)


def _closed_groups(people: Iterable[frozenset[str]], min_size: int,
                   work: Work | None = None) -> tuple[list[frozenset[str]], bool]:
    """:func:`~graphapi.investigate.cotravel_mining.closed_groups` within ``work`` (else
    :data:`MAX_WORK`) and :data:`MAX_CANDIDATES`."""
    return closed_groups(people, min_size, work or Work(MAX_WORK), MAX_CANDIDATES)


@dataclass(frozen=True)
class Read:
    """The crossings read as :func:`_groups` takes them: each mined piece's kept travellers
    (``people``), crossings (``runs``) and run number and clock cell (``keys``); ``crowds``; and
    whether the crossings were cut (``ROW_CAP``) or their counting stopped (``cut``)."""

    people: list[frozenset[str]]
    runs: list[list[Crossing]]
    keys: list[tuple[int, int | None]]
    crowds: int
    cut: bool


def _read(rows: list[dict], span: timedelta, min_occurrences: int, work: Work) -> Read:
    """The rows as pieces: sorted, parsed, chained into runs, cut by the clock where crowded,
    crowds counted and left out, the mined pieces made and the people who can be in no group
    dropped. Each step counted against ``work`` as the crossings (or piece crossings) it walks, so
    a request given up stops here too; once spent, nothing is read (``cut``). Pure CPU, in the
    grouping's thread: 50,000 rows held the event loop 2 to 3 s, before the in-flight check
    (attack round a-70, 3)."""
    nothing = Read([], [], [], 0, True)
    # The cap keeps the earliest, then by the ids shown (a victim's crossing by its token)
    if not work.spend(2 * len(rows)):  # sorted, parsed
        return nothing
    rows = sorted(rows, key=lambda r: (r["at"], r["hidden"], shown_id(r["id"], r["hidden"])))
    crossings = parse_crossings(rows[:ROW_CAP])
    if not work.spend(len(crossings)):  # chained
        return nothing
    runs_read = chained_runs(crossings, span)
    if not work.spend(3 * len(crossings)):  # each run's people, a crowded one's crossings in two cells
        return nothing
    pieces = [(n, cell, piece) for n, run in enumerate(runs_read) for cell, piece in _crowd_pieces(run, span)]
    if not work.spend(sum(len(piece) for *_, piece in pieces)):  # each piece's people
        return nothing
    crowded = [len({c.traveller for c in piece}) > MAX_CROWD for _, _, piece in pieces]
    # a rush in neighbouring pieces of one run is one crowd
    crowds = sum(1 for i, crowd in enumerate(crowded) if crowd and not (i and crowded[i - 1] and _overlaps(
        pieces[i - 1:i + 1])))
    mined = mined_pieces([p for p, crowd in zip(pieces, crowded, strict=True) if not crowd])
    runs = [piece for (_, _, piece), _ in mined]
    # each mined piece's crossings walked twice: their bounds, their kept people
    if not work.spend(2 * sum(map(len, runs))):
        return nothing
    keys = [(run, cell) for (run, cell, _), _ in mined]
    # the others can be in no group
    keep = {t for t, n in upper_bounds(runs, keys).items() if n >= min_occurrences}
    people = [frozenset(c.traveller for c in run if c.traveller in keep) for run in runs]
    return Read(people, runs, keys, crowds, len(rows) > ROW_CAP)


def _groups(people: list[frozenset[str]], min_size: int, min_occurrences: int, runs: list[list[Crossing]],
            keys: list[tuple[int, int | None]], window: timedelta,
            stop: threading.Event | None = None) -> tuple[list[Found], bool]:
    """The groups among ``people`` (each mined piece's travellers; ``keys`` each piece's run
    number and clock cell, None for a quiet run's), the intersections of
    :class:`~graphapi.investigate.cotravel_mining.MinedPeople`, with their occasions
    (:class:`~graphapi.investigate.cotravel_occasions.GroupOccasions`), and whether a bound
    stopped the search (or ``stop`` was set: the request was given up). Any stop only leaves
    groups out: a group a larger one not generated, or whose occasions were not reached, might
    cover is not listed. Pure CPU: run off the event loop."""
    mining = Work(MAX_WORK, stop)
    mined = MinedPeople(people, runs, keys, window, mining)
    candidates, cut = _closed_groups((p for p in mined if len(p) >= min_size), min_size, mining)
    if cut or mined.cut:
        # the mining stopped (its candidates, its work, its windows): a larger group the sets not
        # mined would have made might cover any candidate they hold with others, so those are left
        # out ({a, b} was listed on the 14 occasions {a, b, c} crossed on, its day-8 windows never
        # mined: attack round a-70, 1; the stop was silent in the windows: a-70, 2). The sets
        # built again and the candidates compared with them, each within a budget of its own
        rest = mined.rest(Work(MAX_WORK, stop))
        candidates, cut = settled(candidates, rest, Work(MAX_WORK, stop), group=_itself), True
    # a group's pieces are one AND of its members' masks (set intersections of every member's
    # occasions took 23 s of CPU on 520 occasions of 95: G6); at most MAX_CANDIDATES of them
    on = masks(people, {t for group in candidates for t in group})
    found: list[Found] = []
    # a crowded run's occasions walk the members' crossings there: a week of crowded pieces and
    # thousands of candidates must not hold the worker
    occasions = GroupOccasions(runs, keys, window, Work(MAX_WORK, stop))
    comparing = Work(MAX_WORK, stop)
    for k, group in enumerate(candidates):
        if (mine := occasions.of(group, reduce(and_, (on[t] for t in group)))) is None:
            # where the budget stopped, a group a candidate not reached holds might be covered by
            # it: left out, not listed (the four's sub-groups were listed beside the four: attack
            # round a-66, 3)
            found, cut = settled(found, candidates[k:], comparing), True
            break
        if len(mine) >= min_occurrences:
            found.append((group, len(mine), mine))
    kept, stopped = largest(found, comparing)
    return kept, cut or stopped


def _itself(group: frozenset[str]) -> frozenset[str]:
    return group


def _grouped(rows: list[dict], span: timedelta, min_size: int, min_occurrences: int,
             stop: threading.Event) -> tuple[Read, list[Found], bool]:
    """The rows :func:`_read`, then :func:`_groups`: the whole grouping, in one thread."""
    read = _read(rows, span, min_occurrences, Work(READ_STEPS * len(rows), stop))
    found, cut = _groups(read.people, min_size, min_occurrences, read.runs, read.keys, span, stop)
    return read, found, cut


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
    client_gone: Callable[[], Awaitable[bool]] | None = None,
) -> CoTravelGroups:
    """Groups of at least ``min_size`` (2..20) people who crossed a checkpoint in the same direction
    together (consecutive crossings within ``window`` hours, 0 < w <= 168) on at least
    ``min_occurrences`` (1..100) occasions, over the visible crossings between ``since`` and
    ``until`` (ISO 8601, inclusive) at ``checkpoints`` (ids, at most 100; None = all); ``limit``
    1..100 groups; ``client_gone``: asked while the read waits its turn (ClientGone). Raises
    InvalidArgument."""
    if not 0 < window <= MAX_WINDOW_HOURS:
        raise InvalidArgument(f"window must be more than 0 and at most {MAX_WINDOW_HOURS} hours, got {window}")
    check_range("minSize", min_size, 2, 20)
    check_range("minOccurrences", min_occurrences, 1, 100)
    check_range("limit", limit, 1, MAX_LIMIT)
    if checkpoints is not None:
        check_range("checkpoints (count)", len(checkpoints), 1, MAX_CHECKPOINTS)
    low, high = check_time_range(since, until)
    span = timedelta(hours=window)
    # a request past its agency's share is refused before it reads or works; one place for its
    # grouping and its listing (cotravel_threads)
    with grouping_slot(principal) as place:
        params = {"since": low, "until": high, "checkpoints": list(checkpoints) if checkpoints is not None else None,
                  "limit": ROW_CAP + 1, "masked": not may_see_victims(principal), **principal.cypher_params()}
        # in its turn for the search queue's broad slots, held until the read ends, at most a broad
        # search's time limit (cotravel_turns); its up to 50,000 rows decoded off the event loop
        # (attack round a-74, 2)
        rows = await read_in_turn(principal, lambda timeout_ms: store.read(
            "analytics/crossings_between", params, timeout_ms=timeout_ms, bulk=True), place, client_gone=client_gone)
        # in a thread of the groupings' own (cotravel_threads), the rows' sorting and chaining too:
        # the event loop keeps its turns (GIL switches) while a big grouping runs, other requests'
        # to_thread jobs never wait behind it, and a request given up (its deadline) stops it
        stop = threading.Event()
        victim_ids()  # the key loaded (once, cached) here, not first in the thread beside another
        read, masked, cut = await run_grouping(_grouped, rows, span, min_size, min_occurrences, stop, stop=stop)
        # ties (and so which groups the limit keeps) by the ids the reader is shown: a victim's
        # token, never its stored id, whose place among the others would narrow it (shown_order)
        shown = await shown_ids(store, principal, {t for group, *_ in masked for t in group})
        masked.sort(key=lambda g: (-g[1], -len(g[0]), sorted(map(shown.node, g[0]))))
        truncated = read.cut or cut or len(masked) > limit
        # occasions are listed only for the groups kept, no further than MAX_SHOWN_CROSSINGS, and in
        # a thread within MAX_LISTING_WORK: a quiet run's 45,000 crossings walked whole for each of
        # 190 groups held the event loop, counted nowhere (attack round a-61, 6)
        found, cut = await run_grouping(listed_occasions, masked[:limit], read.runs, MAX_SHOWN_CROSSINGS,
                                        Work(MAX_LISTING_WORK, stop), stop=stop)
        return CoTravelGroups(await shown_groups(store, principal, found, shown), read.crowds, truncated or cut)
