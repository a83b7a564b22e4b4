"""Run a full-text statement in the search queue's lanes (:mod:`graphapi.investigate.search_queue`):
first the quick lane under a short time limit, then, if the store cut it, the broad lane under the
full one (attack round 30a M5: one slot for every search made a 0.14 s search wait seconds behind
broad ones; 20 analysts got 5.7 searches/s for the whole deployment).

A search holds its slot until the store answers, but never past the slot's hold, its time limit plus
the cut margin: a hung store (SIGSTOP, a lost network) answered at the client's own bound (FalkorDB's
socket timeout, Neo4j's client deadline, 35-55 s), past every other agency's LINTAS_SEARCH_WAIT_S.
Past the hold the search fails with TIMEOUT (:class:`SearchNotAnswered`); its statement, which the
store may still run, keeps its ticket (:meth:`~graphapi.investigate.search_queue.Turn.outlast`)
till it ends: its agency's next search of that lane waits for it, as coTravelGroups' crossings read
(:mod:`graphapi.investigate.cotravel_turns`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graphapi.errors import LintasError
from graphapi.investigate.search_queue import COTRAVEL_LANE, SearchQueue, Turn
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store.errors import StoreTimeout
from graphapi.store.write_marks import QUEUE_FOLDER

T = TypeVar("T")
#: The search lanes, whose tickets count in a principal's LINTAS_SEARCH_IN_FLIGHT.
SEARCH_LANES = frozenset({"quick", "broad"})


class SearchNotAnswered(LintasError):
    """The store did not answer a search by its slot's hold (its limit plus the cut margin)."""

    code = "TIMEOUT"

    def __init__(self, limit_ms: int) -> None:
        super().__init__(f"the store did not answer the search within its time limit, {limit_ms} ms, and the "
                         "margin it may take to stop it; retry later")


async def in_lanes(principal: Principal, client_gone: Callable[[], Awaitable[bool]] | None,
                   run: Callable[[int], Awaitable[T]]) -> T:
    """``run(timeout_ms)`` in its turn: in the quick lane with LINTAS_SEARCH_QUICK_MS, and if the
    store cuts it there, again in the broad lane with LINTAS_SEARCH_TIMEOUT_MS. The wait for both
    turns together is at most LINTAS_SEARCH_WAIT_S. With the queue off (0 slots) ``run`` runs at once
    under the full limit."""
    settings = get_settings()
    folder, full_ms, quick_ms = settings.data_dir / QUEUE_FOLDER, settings.search_timeout_ms, settings.search_quick_ms
    slots, per_principal, wait_s = settings.search_slots_in_force, settings.search_in_flight, settings.search_wait_s
    margin_s = settings.search_cut_margin_in_force  # a killed worker's statement may run this long past its limit
    if not slots:
        return await run(full_ms)
    counted = SEARCH_LANES  # coTravelGroups' tickets in the broad slots are not searches
    deadline = time.monotonic() + wait_s
    if 0 < quick_ms < full_ms:
        # The second quick slot runs only on an idle broad slot: at most slots + 1 searches in the
        # store at once, as with one quick slot, so a broad flood takes no thread from other reads.
        quick = SearchQueue(folder, settings.search_quick_slots, per_principal, wait_s, lane="quick",
                            hold_s=quick_ms / 1000, running_cap=slots + 1, margin_s=margin_s,
                            counted_lanes=counted)
        async with quick.turn(principal, client_gone) as turn:
            try:
                return await _answered_in_hold(turn, run, quick_ms, quick_ms / 1000 + margin_s)
            except StoreTimeout:
                pass  # a broad search: its turn in the broad lane, below
    broad = SearchQueue(folder, slots, per_principal, wait_s, lane="broad", hold_s=full_ms / 1000,
                        charge_s=quick_ms / 1000, margin_s=margin_s, counted_lanes=counted,
                        rivals=(COTRAVEL_LANE,),  # its slots are coTravelGroups' crossings reads' too
                        # at most half its wait: a yield past the wait refused every broad search
                        # while anyone wrote, the broad slot idle (attack round 31c)
                        writes_first_s=min(settings.search_yield_to_writes_s, wait_s / 2))
    async with broad.turn(principal, client_gone, wait_s=max(0.0, deadline - time.monotonic())) as turn:
        return await _answered_in_hold(turn, run, full_ms, full_ms / 1000 + margin_s)


async def _answered_in_hold(turn: Turn, run: Callable[[int], Awaitable[T]], limit_ms: int, hold_s: float) -> T:
    """``run(limit_ms)``'s answer, if it comes within ``hold_s``; else SearchNotAnswered, the
    statement left to end on its own, its ticket kept till then (``turn.outlast``)."""
    statement = asyncio.ensure_future(run(limit_ms))
    try:
        done, _ = await asyncio.wait({statement}, timeout=hold_s)
    except BaseException:
        statement.cancel()  # the request given up: as before, its statement with it
        raise
    if not done:
        turn.outlast(statement)
        statement.add_done_callback(_unread)
        raise SearchNotAnswered(limit_ms)
    return statement.result()


def _unread(statement: asyncio.Future) -> None:
    if not statement.cancelled():
        statement.exception()  # retrieved: an answer past its hold is nobody's to log


async def in_request_lanes(ctx: Any, run: Callable[[int], Awaitable[T]]) -> T:
    """:func:`in_lanes` for a GraphQL request's context: one full-text statement of the request at a
    time (attack round 30a L2: a fifth aliased search was refused at once), abandoned when the client
    hangs up while it waits."""
    request = getattr(ctx, "request", None)  # None outside HTTP (tests, the bench's in-process calls)
    async with getattr(ctx, "searching", None) or asyncio.Lock():
        return await in_lanes(ctx.principal, request.is_disconnected if request is not None else None, run)
