"""Run a full-text statement in the search queue's lanes (:mod:`graphapi.investigate.search_queue`):
first the quick lane under a short time limit, then, if the store cut it, the broad lane under the
full one (attack round 30a M5: one slot for every search made a 0.14 s search wait seconds behind
broad ones; 20 analysts got 5.7 searches/s for the whole deployment)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graphapi.investigate.search_queue import COTRAVEL_LANE, SearchQueue
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store.errors import StoreTimeout
from graphapi.store.write_marks import QUEUE_FOLDER

T = TypeVar("T")
#: The search lanes, whose tickets count in a principal's LINTAS_SEARCH_IN_FLIGHT.
SEARCH_LANES = frozenset({"quick", "broad"})


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
        async with quick.turn(principal, client_gone):
            try:
                return await run(quick_ms)
            except StoreTimeout:
                pass  # a broad search: its turn in the broad lane, below
    broad = SearchQueue(folder, slots, per_principal, wait_s, lane="broad", hold_s=full_ms / 1000,
                        charge_s=quick_ms / 1000, margin_s=margin_s, counted_lanes=counted,
                        rivals=(COTRAVEL_LANE,),  # its slots are coTravelGroups' crossings reads' too
                        # at most half its wait: a yield past the wait refused every broad search
                        # while anyone wrote, the broad slot idle (attack round 31c)
                        writes_first_s=min(settings.search_yield_to_writes_s, wait_s / 2))
    async with broad.turn(principal, client_gone, wait_s=max(0.0, deadline - time.monotonic())):
        return await run(full_ms)


async def in_request_lanes(ctx: Any, run: Callable[[int], Awaitable[T]]) -> T:
    """:func:`in_lanes` for a GraphQL request's context: one full-text statement of the request at a
    time (attack round 30a L2: a fifth aliased search was refused at once), abandoned when the client
    hangs up while it waits."""
    request = getattr(ctx, "request", None)  # None outside HTTP (tests, the bench's in-process calls)
    async with getattr(ctx, "searching", None) or asyncio.Lock():
        return await in_lanes(ctx.principal, request.is_disconnected if request is not None else None, run)
