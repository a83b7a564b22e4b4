"""Co-travel groups' threads: the grouping's pure CPU runs in a small executor of its own, never in
asyncio's default one, and stops when its request is given up (see
:mod:`graphapi.investigate.cotravel_groups`).

The default executor (``min(32, cpus + 4)`` threads) is shared by the rest of the service (JWKS
authentication, share notes, access requests, the audit health check all use
``asyncio.to_thread``): as many groupings as it had threads held it, and another request's one-line
job waited for a grouping to end; a cancelled request (its deadline passed) left its thread
building occasions on (attack round a-66, 2). Here at most :data:`MAX_RUNNING` groupings run at
once, at most :data:`MAX_IN_FLIGHT_PER_AGENCY` requests of one agency (a principal without one: its
own) read, wait or run (past it :class:`GroupingsBusy`, before any work: :func:`grouping_slot`), and
a request given up sets its ``stop`` event, which every step of its
:class:`~graphapi.investigate.cotravel_mining.Work` checks, and waits for its thread to notice it:
the thread never outlives its request.

No bound of the whole process: two agencies' shares filled its eight places and the other agencies
were refused (attack round a-78, 3), and what an agency got told it how many requests the others
ran (a-78, 4). What the requests cost the store is bounded by the search queue's broad slots, which
their crossings reads take turns for, fairly between agencies (:mod:`graphapi.investigate.cotravel_turns`);
a request waiting there holds no rows. A refusal says only the caller's own share.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import TypeVar

from graphapi.errors import LintasError
from graphapi.security import Principal

#: Groupings computed at once in a process (each holds one thread of :data:`EXECUTOR`).
MAX_RUNNING = 2
#: One agency's coTravelGroups requests reading, waiting or grouping at once in a process (a
#: principal's without an agency: its own); a request given up whose read still runs counts until
#: the read ends (attack round a-78, 2).
MAX_IN_FLIGHT_PER_AGENCY = 6

EXECUTOR = ThreadPoolExecutor(MAX_RUNNING, thread_name_prefix="cotravel")
_in_flight_of: Counter[str] = Counter()

T = TypeVar("T")


class GroupingsBusy(LintasError):
    """The caller's agency (or the caller, without one) has its share of coTravelGroups requests."""

    code = "RATE_LIMITED"

    def __init__(self, agency: bool) -> None:
        who, has, may = ("your agency", "has", "it") if agency else ("you", "have", "you")
        super().__init__(f"{who} already {has} {MAX_IN_FLIGHT_PER_AGENCY} coTravelGroups requests running or "
                         f"waiting on this server, as many as {may} may have; retry when one ends")


def _holder(principal: Principal) -> str:
    return f"agency {principal.agency}" if principal.agency else f"subject {principal.subject}"


class Place:
    """One request's place in its agency's share, given back when the request ends, or, for a
    request given up while its crossings read runs on, when that read ends (:meth:`keep_until`)."""

    def __init__(self, holder: str) -> None:
        self.holder, self.kept = holder, False

    def keep_until(self, task: asyncio.Future) -> None:
        """Give the place back when ``task`` ends, not when the request does."""
        self.kept = True
        task.add_done_callback(lambda _: _give_back(self.holder))


def _give_back(holder: str) -> None:
    _in_flight_of[holder] -= 1
    if not _in_flight_of[holder]:
        del _in_flight_of[holder]


@contextmanager
def grouping_slot(principal: Principal) -> Iterator[Place]:
    """One request's place in its agency's :data:`MAX_IN_FLIGHT_PER_AGENCY`, held from before it
    reads the crossings to its answer: a request past them is refused with :class:`GroupingsBusy`
    before it does any work (its crossings' parsing, sorting and chaining ran first on the event
    loop, then the check: attack round a-70, 3), and a request grouped is never refused at its
    listing (the place was taken again there). The count depends on the caller's agency alone:
    another agency's requests take no place of it (attack round a-78, 3 and 4)."""
    holder = _holder(principal)
    if _in_flight_of[holder] >= MAX_IN_FLIGHT_PER_AGENCY:
        raise GroupingsBusy(agency=bool(principal.agency))
    _in_flight_of[holder] += 1
    place = Place(holder)
    try:
        yield place
    finally:
        if not place.kept:
            _give_back(holder)


async def run_grouping(fn: Callable[..., T], *args: object, stop: threading.Event) -> T:
    """``fn(*args)`` in :data:`EXECUTOR`, for a request holding its :func:`grouping_slot`; on
    cancellation, ``stop`` is set and the thread awaited (``fn`` checks ``stop`` at every step of
    its work), so nothing runs on for a request given up."""
    done = EXECUTOR.submit(fn, *args)
    try:
        return await asyncio.wrap_future(done)
    except asyncio.CancelledError:
        stop.set()
        if not done.cancel():  # running: it stops at its next step
            with suppress(Exception):
                await asyncio.shield(asyncio.wrap_future(done))
        raise
