"""Co-travel groups' threads: the grouping's pure CPU runs in a small executor of its own, never in
asyncio's default one, and stops when its request is given up (see
:mod:`graphapi.investigate.cotravel_groups`).

The default executor (``min(32, cpus + 4)`` threads) is shared by the rest of the service (JWKS
authentication, share notes, access requests, the audit health check all use
``asyncio.to_thread``): as many groupings as it had threads held it, and another request's one-line
job waited for a grouping to end; a cancelled request (its deadline passed) left its thread
building occasions on (attack round a-66, 2). Here at most :data:`MAX_RUNNING` groupings run at
once, at most :data:`MAX_IN_FLIGHT` requests read, wait or run (past it :class:`GroupingsBusy`,
before any work: :func:`grouping_slot`), and a request given up sets its ``stop`` event, which
every step of its :class:`~graphapi.investigate.cotravel_mining.Work` checks, and waits for its
thread to notice it: the thread never outlives its request.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import TypeVar

from graphapi.errors import LintasError

#: Groupings computed at once in a process (each holds one thread of :data:`EXECUTOR`).
MAX_RUNNING = 2
#: Groupings running or waiting for a thread at once in a process; past it a request is refused.
MAX_IN_FLIGHT = 8

EXECUTOR = ThreadPoolExecutor(MAX_RUNNING, thread_name_prefix="cotravel")
_in_flight = [0]

T = TypeVar("T")


class GroupingsBusy(LintasError):
    """As many co-travel groupings as the process takes are running or waiting."""

    code = "RATE_LIMITED"

    def __init__(self) -> None:
        super().__init__(f"{MAX_IN_FLIGHT} coTravelGroups requests are already running or waiting on this "
                         "server; retry when one ends")


@contextmanager
def grouping_slot() -> Iterator[None]:
    """One request's place among the :data:`MAX_IN_FLIGHT`, held from before it reads the crossings
    to its answer: a request past them is refused with :class:`GroupingsBusy` before it does any
    work (its crossings' parsing, sorting and chaining ran first on the event loop, then the check:
    attack round a-70, 3), and a request grouped is never refused at its listing (the place was
    taken again there)."""
    if _in_flight[0] >= MAX_IN_FLIGHT:
        raise GroupingsBusy()
    _in_flight[0] += 1
    try:
        yield
    finally:
        _in_flight[0] -= 1


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
