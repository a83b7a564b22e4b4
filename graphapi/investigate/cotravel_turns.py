"""coTravelGroups' crossings read takes its turn for the search queue's broad slots (issue 10/15,
attack round a-78, 1-3).

A coTravelGroups request reads up to 50,000 crossings in one statement (``bulk``): seconds of one
of the store's query threads. One agency's share of requests (six) each holding a thread filled the
embedded store's two, and another agency's one-line statement waited 10-35 s or failed
SERVICE_UNAVAILABLE (a-78, 1): the process's grouping places bound the client, not the store. So the
read runs in the ``cotravel`` lane of the :mod:`~graphapi.investigate.search_queue`, whose tickets
take turns for the **broad** lane's slot files beside broad searches: ``LINTAS_SEARCH_SLOTS`` of them
across every API worker on the data directory, below the store's query threads (embedded 1 of 2),
so broad searches and crossings reads together never fill the store. A turn goes to the agency
whose searches and crossings reads used the least store time recently (two agencies flooding
cannot starve a third: a-78, 3); the slot records the read's deadline (its time limit and the cut
margin), so a killed worker's read still holds it.

The read holds a broad slot as long as a broad search may, never up to the statement limit
(:func:`crossings_limits`): it runs under ``LINTAS_SEARCH_TIMEOUT_MS``, and the slot is given back
at that limit plus the cut margin whether or not its reply came (a hung server answers at
FalkorDB's socket timeout or Neo4j's client deadline, 35-55 s), always before
``LINTAS_SEARCH_WAIT_S``. Held for the statement limit (30 s) past the wait (20 s), one agency's
read refused another agency's broad search that was next in turn (attack round a-81, 1). The store
may run it on (FalkorDB's limit counts from when a statement starts, not when it arrives; a hung
server runs none): such a read keeps its ticket till it ends, so its agency's next crossings read
waits (:data:`~graphapi.investigate.queue_tickets.OVERRUNS_PER_AGENCY`), its agency is charged the
whole run, and its bulk-read threads count in its agency's share (:func:`~graphapi.store.bulk.bulk_share`):
one agency had six reads in the store with one slot, and all four bulk threads (a-85, 1).
The store's cut fails the request with TIMEOUT (:class:`CrossingsReadCut`, naming coTravelGroups
and the limit).

A request given up (its deadline, its client gone) while its read runs leaves the read to end in
the background, holding its slot (no longer than the hold above) and its agency's grouping place
(:func:`~graphapi.investigate.cotravel_threads.Place.keep_until`) until then: the store runs the
statement on whether or not anyone reads its rows (a-78, 2). Given up while it waits, it leaves the
queue. A read that waits past ``LINTAS_SEARCH_WAIT_S`` fails with RATE_LIMITED
(:class:`CrossingsTurnLate`, naming coTravelGroups, not searches); coTravelGroups tickets do not
count in a principal's ``LINTAS_SEARCH_IN_FLIGHT`` (its grouping places bound it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TypeVar

from graphapi.errors import LintasError
from graphapi.investigate.cotravel_threads import Place
from graphapi.investigate.search_queue import COTRAVEL_LANE, SearchQueue, SearchQueueBusy
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store.bulk import bulk_share
from graphapi.store.errors import StoreTimeout
from graphapi.store.write_marks import QUEUE_FOLDER

T = TypeVar("T")


class CrossingsTurnLate(LintasError):
    """The crossings read's turn did not come within LINTAS_SEARCH_WAIT_S."""

    code = "RATE_LIMITED"

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"the store's long reads ahead of this coTravelGroups request (broad searches and "
                         f"coTravelGroups reads, taken in turn between agencies) did not end within {wait_s:g} s "
                         "(LINTAS_SEARCH_WAIT_S); retry later")


class CrossingsReadCut(LintasError):
    """The store cut the crossings read at its time limit."""

    code = "TIMEOUT"

    def __init__(self, limit_s: float) -> None:
        super().__init__(f"coTravelGroups: the crossings read did not end within its time limit, {limit_s * 1000:.0f} "
                         "ms (a broad search's, LINTAS_SEARCH_TIMEOUT_MS, kept below LINTAS_SEARCH_WAIT_S): narrow "
                         "since/until or checkpoints, or retry later")


#: Share of LINTAS_SEARCH_WAIT_S a crossings read may hold its slot at most: the rest is for whoever
#: is next in turn to see the slot free (its polls, a loaded event loop) before its own wait ends.
HOLD_SHARE_OF_WAIT = 0.9
#: The shortest time limit a crossings read is sent with, seconds (settings whose margin fills the wait).
MIN_LIMIT_S = 0.1


#: Reads whose request was given up, running on to their end (a reference keeps each task alive).
_abandoned: set[asyncio.Task] = set()


def crossings_limits() -> tuple[float, float]:
    """``(limit_s, held_s)``: the crossings read's time limit, a broad search's
    (``LINTAS_SEARCH_TIMEOUT_MS``), and the longest it holds its slot, that limit plus the cut margin
    (how long past it the store may take to stop it); both cut short so the hold stays within
    :data:`HOLD_SHARE_OF_WAIT` of ``LINTAS_SEARCH_WAIT_S``, whatever the settings: whoever is next in
    turn is served within their wait (attack round a-81, 1)."""
    settings = get_settings()
    margin_s, most_s = settings.search_cut_margin_in_force, HOLD_SHARE_OF_WAIT * settings.search_wait_s
    limit_s = max(MIN_LIMIT_S, min(settings.search_timeout_ms / 1000, most_s - margin_s))
    return limit_s, min(limit_s + margin_s, most_s)


def crossings_lane() -> SearchQueue | None:
    """The ``cotravel`` lane of the data directory's queue, or None with the queue off (0 slots)."""
    settings = get_settings()
    if not (slots := settings.search_slots_in_force):
        return None
    wait_s, (limit_s, _held_s) = settings.search_wait_s, crossings_limits()
    return SearchQueue(settings.data_dir / QUEUE_FOLDER, slots, 0, wait_s, lane=COTRAVEL_LANE, slot_lane="broad",
                       rivals=("broad",), hold_s=limit_s, margin_s=settings.search_cut_margin_in_force,
                       writes_first_s=min(settings.search_yield_to_writes_s, wait_s / 2))


async def read_in_turn(principal: Principal, read: Callable[[int], Awaitable[T]], place: Place,
                       lane: SearchQueue | None = None,
                       client_gone: Callable[[], Awaitable[bool]] | None = None) -> T:
    """``read(timeout_ms)`` once ``principal``'s turn in ``lane`` (default :func:`crossings_lane`)
    came, ``timeout_ms`` its time limit; its slot held until the read has ended, even past a
    cancellation (then ``place`` is kept until it ends too), but never past
    :func:`crossings_limits`' hold. CrossingsTurnLate (its turn late), CrossingsReadCut (the store
    cut it at its limit), ClientGone (``client_gone()`` said so while it waited, as a search's: it
    left the queue, attack round a-88, 6)."""
    if (lane := lane or crossings_lane()) is None:  # no slot to hold: a broad search's limit only
        limit_ms = get_settings().search_timeout_ms
        with bulk_share(principal.agency):
            return await _cut_named(read(limit_ms), limit_ms / 1000)
    limit_s, held_s = crossings_limits()
    started = asyncio.Event()

    async def in_turn() -> T:
        async with lane.turn(principal, client_gone) as turn:
            started.set()
            with bulk_share(principal.agency):  # its threads counted in its agency's share (a-85, 1)
                reading = asyncio.ensure_future(_cut_named(read(round(limit_s * 1000)), limit_s))
            # the slot is given back at the read's limit plus the margin, answered or not: held
            # longer it refused whoever was next in turn (a-81, 1). The store may still run it
            # (FalkorDB's limit counts from when the statement starts, a hung server runs none,
            # a-85, 1): it goes on for its request, counting in its agency's reads run on past
            # their slot (one: the next waits its turn) and charged to its agency till it ends.
            turn.outlast(reading)
            await asyncio.wait({reading}, timeout=held_s)
        return await reading

    task = asyncio.ensure_future(in_turn())
    try:
        return await asyncio.shield(task)
    except SearchQueueBusy:
        raise CrossingsTurnLate(lane.wait_s) from None
    except asyncio.CancelledError:
        if not started.is_set():
            task.cancel()  # still waiting for its turn: it leaves the queue
            with suppress(asyncio.CancelledError, Exception):
                await task
        elif not task.done():
            _abandoned.add(task)
            task.add_done_callback(_forget)
            place.keep_until(task)
        raise


async def _cut_named(read: Awaitable[T], limit_s: float) -> T:
    """``read``'s rows; the store's cut at ``limit_s`` raised as :class:`CrossingsReadCut`."""
    try:
        return await read
    except StoreTimeout:
        raise CrossingsReadCut(limit_s) from None


def _forget(task: asyncio.Task) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: an abandoned read's error is nobody's to log
