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

A thread still holds the GIL inside one C call: the embedded store's reply is parsed and decoded
with Python's cyclic collector paused, for a bounded time, once the reply arrives
(:mod:`graphapi.store.collection_pause`, attack round a-88, 5).
"""

from __future__ import annotations

import asyncio
import contextlib
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
        return await asyncio.wrap_future(EXECUTOR.submit(fn, *args))
    while _held[key] >= MAX_PER_SHARE:
        await asyncio.sleep(SHARE_POLL_S)
    _held[key] += 1
    loop = asyncio.get_running_loop()
    try:
        done = EXECUTOR.submit(fn, *args)
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
