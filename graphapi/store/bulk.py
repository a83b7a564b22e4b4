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
search-queue slot its read was sent in: that slot is given back once the store must have stopped
the statement (:mod:`graphapi.investigate.cotravel_turns`, attack round a-81, 1).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

#: Bulk reads received or decoded at once in a process (each holds one thread of :data:`EXECUTOR`).
MAX_BULK_READS = 4

EXECUTOR = ThreadPoolExecutor(MAX_BULK_READS, thread_name_prefix="store-bulk")

T = TypeVar("T")


async def off_loop(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in :data:`EXECUTOR`; a call given up before its thread took it never runs."""
    return await asyncio.wrap_future(EXECUTOR.submit(fn, *args))
