"""Bulk reads: a read of many rows (``read(..., bulk=True)``) whose reply is decoded in a thread of
the store layer's own, never on the event loop.

Decoding a read's reply is pure CPU on the thread that does it: 50,000 crossings took 1.9 s of the
event loop's thread on the embedded store (the redis client parsing the reply, then
``falkordb_values``) and 0.8 s on Neo4j (the driver's record, then ``plain_row``), while every
other request of the worker waited (attack round a-74, 2). A read flagged ``bulk`` does that work
in :data:`EXECUTOR` instead: the embedded store sends it, waits for and parses its reply there,
over a blocking connection of its own (:mod:`graphapi.store.falkordb`); Neo4j's driver receives
the record on the loop (it is the async driver's) and the rows are made plain there
(:mod:`graphapi.store.neo4j`). The answer is the same rows, in the same order, as without the flag,
and no step is added (the same parse and the same decode, on another thread); the loop keeps its
turns (GIL switches) meanwhile.

Not the default executor (``asyncio.to_thread``), which the rest of the service shares for its
one-line jobs: at most :data:`MAX_BULK_READS` bulk reads are received or decoded at once, the
others wait for a thread (the server runs about as many at once on this size of machine), and a
read given up before its thread started never starts. A thread waits for its reply up to the
store's own bound (FalkorDB's socket timeout, Neo4j's client deadline), which may outlast the
search-queue slot its read was sent in (:mod:`graphapi.investigate.cotravel_turns`, attack round
a-81, 1); so a read started in a share (an agency's, :func:`bulk_share`) waits while its share
holds :data:`MAX_PER_SHARE` threads, counted until each thread is done: one agency cannot hold
them all (a-85, 1).

A thread's work still holds the GIL: the loop runs between its steps, but not inside one C call.
Python's cyclic collector ran inside them: the parse's allocations set off its full passes, each
walking the whole reply parsed so far (4-5 passes of 60-127 ms in a 20,000-row, 10 MB reply, inside
hiredis' parse), and the loop stalled 150-530 ms (attack round a-88, 5; the parse itself is about
0.1 s in calls under 1 ms each). So the collector is paused while a bulk read is received, parsed
or decoded (:func:`collection_paused`; process-wide, :data:`MAX_PAUSE_S` at most while reads overlap):
reference counting still frees everything the read drops, and the collector runs again after.
The reply, once decoded, is freed in the thread too, a slice at a time (:func:`freed_in_slices`):
freed whole, on the loop, it was one more C call of tens of ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from typing import TypeVar

#: Bulk reads received or decoded at once in a process (each holds one thread of :data:`EXECUTOR`).
MAX_BULK_READS = 4
#: Threads of :data:`EXECUTOR` one share (an agency's reads: :func:`bulk_share`) holds at most: one
#: agency's crossings reads run on past their slots held all four, and another agency's read,
#: its turn given, waited 2.2 s for a thread (attack round a-85, 1).
MAX_PER_SHARE = MAX_BULK_READS // 2
#: How often a read past its share looks whether one of the share's threads is free.
SHARE_POLL_S = 0.01

EXECUTOR = ThreadPoolExecutor(MAX_BULK_READS, thread_name_prefix="store-bulk")

T = TypeVar("T")

_share: ContextVar[str | None] = ContextVar("bulk_share", default=None)
#: share -> threads of EXECUTOR its calls hold (or are queued for), until each call has ended.
_held: Counter[str] = Counter()
#: The longest the collector stays paused while bulk reads overlap: a read begun past it leaves the
#: collector on till every read has ended (back-to-back reads kept it off, cyclic garbage uncollected).
MAX_PAUSE_S = 10.0
#: Bulk reads pausing the cyclic collector now, whether it ran before the first of them, since when
#: it is paused, and whether a read past MAX_PAUSE_S turned it on again meanwhile.
_pausing, _was_enabled, _since, _resumed = 0, True, 0.0, False
_pauses = threading.Lock()


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic collector off for the block (any thread, nested or at once: on again when the
    last ends, if it was on before the first), never more than :data:`MAX_PAUSE_S` for reads begun
    meanwhile."""
    global _pausing, _was_enabled, _since, _resumed
    with _pauses:
        if not _pausing:
            _was_enabled, _since, _resumed = gc.isenabled(), time.monotonic(), False
            gc.disable()
        elif not _resumed and time.monotonic() - _since > MAX_PAUSE_S:
            _resumed = True
            if _was_enabled:
                gc.enable()
        _pausing += 1
    try:
        yield
    finally:
        with _pauses:
            _pausing -= 1
            if not _pausing and _was_enabled and not _resumed:
                gc.enable()


#: Items of a bulk read's reply freed in one step (about a millisecond of the GIL).
FREED_AT_ONCE = 500


def freed_in_slices(part: object) -> None:
    """Empty ``part`` (a list: a reply's rows) a slice at a time: the loop may take the GIL between
    two slices, never inside one C call freeing the whole (a bulk read's thread)."""
    while isinstance(part, list) and part:
        del part[-FREED_AT_ONCE:]


def _uncollected(fn: Callable[..., T], *args: object) -> T:
    with collection_paused():
        return fn(*args)


@contextlib.contextmanager
def bulk_share(key: str | None) -> Iterator[None]:
    """Bulk reads started in the block count in ``key``'s :data:`MAX_PER_SHARE`."""
    token = _share.set(key)
    try:
        yield
    finally:
        _share.reset(token)


async def off_loop(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in :data:`EXECUTOR` once its share (:func:`bulk_share`) holds fewer than
    :data:`MAX_PER_SHARE` threads; a call given up before its thread took it never runs."""
    if (key := _share.get()) is None:
        return await asyncio.wrap_future(EXECUTOR.submit(_uncollected, fn, *args))
    while _held[key] >= MAX_PER_SHARE:
        await asyncio.sleep(SHARE_POLL_S)
    _held[key] += 1
    loop = asyncio.get_running_loop()
    try:
        done = EXECUTOR.submit(_uncollected, fn, *args)
    except BaseException:
        _give_back(key)
        raise
    # counted until the thread is done, not until its caller gives up waiting for it
    done.add_done_callback(lambda _: _from_thread(loop, key))
    return await asyncio.wrap_future(done)


def _from_thread(loop: asyncio.AbstractEventLoop, key: str) -> None:
    with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits on the count
        loop.call_soon_threadsafe(_give_back, key)
        return
    _give_back(key)


def _give_back(key: str) -> None:
    _held[key] -= 1
    if _held[key] <= 0:
        del _held[key]
