"""Co-travel groups' threads: the grouping's pure CPU runs in a small executor of its own, never in
asyncio's default one, and stops when its request is given up (see
:mod:`graphapi.investigate.cotravel_groups`).

The default executor (``min(32, cpus + 4)`` threads) is shared by the rest of the service (JWKS
authentication, share notes, access requests, the audit health check all use
``asyncio.to_thread``): as many groupings as it had threads held it, and another request's one-line
job waited for a grouping to end; a cancelled request (its deadline passed) left its thread
building occasions on (attack round a-66, 2). Here at most :data:`MAX_RUNNING` groupings run at
once, at most :data:`MAX_IN_FLIGHT` requests read, wait or run, of them at most
:data:`MAX_IN_FLIGHT_PER_AGENCY` of one agency (past either :class:`GroupingsBusy`, before any
work: :func:`grouping_slot`), and a request given up sets its ``stop`` event, which
every step of its :class:`~graphapi.investigate.cotravel_mining.Work` checks, and waits for its
thread to notice it: the thread never outlives its request.
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
#: Groupings running or waiting for a thread at once in a process; past it a request is refused.
MAX_IN_FLIGHT = 8
#: Of those, one agency's at most (a principal's without an agency: its own): another agency's
#: request still finds a place while one agency's slow reads hold all they may (attack round a-74, 3).
MAX_IN_FLIGHT_PER_AGENCY = 6

EXECUTOR = ThreadPoolExecutor(MAX_RUNNING, thread_name_prefix="cotravel")
_in_flight = [0]
_in_flight_of: Counter[str] = Counter()

T = TypeVar("T")


class GroupingsBusy(LintasError):
    """As many co-travel groupings as the process takes are running or waiting."""

    code = "RATE_LIMITED"

    def __init__(self, agency: int | None = None) -> None:
        if agency is not None:
            super().__init__(f"{agency} coTravelGroups requests of your agency are already running or waiting on "
                             "this server, as many as one agency may have; retry when one ends")
        else:
            super().__init__(f"{MAX_IN_FLIGHT} coTravelGroups requests are already running or waiting on this "
                             "server; retry when one ends")


def _holder(principal: Principal) -> str:
    return f"agency {principal.agency}" if principal.agency else f"subject {principal.subject}"


@contextmanager
def grouping_slot(principal: Principal) -> Iterator[None]:
    """One request's place among the :data:`MAX_IN_FLIGHT`, held from before it reads the crossings
    to its answer: a request past them, or past its agency's :data:`MAX_IN_FLIGHT_PER_AGENCY`, is
    refused with :class:`GroupingsBusy` before it does any work (its crossings' parsing, sorting
    and chaining ran first on the event loop, then the check: attack round a-70, 3), and a request
    grouped is never refused at its listing (the place was taken again there). One agency's eight
    requests reading took every place and another agency's was refused (attack round a-74, 3)."""
    holder = _holder(principal)
    if _in_flight[0] >= MAX_IN_FLIGHT:
        raise GroupingsBusy()
    if _in_flight_of[holder] >= min(MAX_IN_FLIGHT_PER_AGENCY, MAX_IN_FLIGHT):
        raise GroupingsBusy(agency=_in_flight_of[holder])
    _in_flight[0] += 1
    _in_flight_of[holder] += 1
    try:
        yield
    finally:
        _in_flight[0] -= 1
        _in_flight_of[holder] -= 1
        if not _in_flight_of[holder]:
            del _in_flight_of[holder]


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
