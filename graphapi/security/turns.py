"""A change to sharing (a share, an unshare, an access request's grant) in one turn of the store's
write lease, run to its end once that turn began.

A request's time limit (504) cancels the resolver. Cut off while it waits for its turn, the change
is dropped: nothing was written. Cut off once its turn began, it runs on, as a task of its own,
without the answer waiting: to its end, audited and noted as if answered (attack round 26: a share
cut off there had shared its nodes and not their relationships, and an unshare that finished in the
store never took its ids out of the granted requests that listed them, nor was audited, G4, G5).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graphapi.ingest.write_lease import FencedStore, exclusively
from graphapi.store import GraphStore

T = TypeVar("T")

#: Changes cut off once their turn began, still running to their end in this process.
_RUNNING: set[asyncio.Task] = set()


def keep_running(task: asyncio.Task) -> None:
    """Keep ``task`` (a change cut off in its turn) until it ends; its failure is logged and noted by it."""
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


async def settled() -> None:
    """Wait until the changes cut off in this process have run to their end (shutdown, tests)."""
    while _RUNNING:
        await asyncio.gather(*list(_RUNNING), return_exceptions=True)


async def in_turn(store: GraphStore, work: Callable[[GraphStore], Awaitable[T]],
                  began: asyncio.Event | None = None) -> T:
    """``work(store)`` in one turn of ``store``'s write lease, given the store that writes in it;
    see the module docstring. ``began`` is set when the turn begins. Given a store in a turn
    already (a share within a grant's turn), ``work`` runs in that turn: the turn's owner decides
    what a cut-off does."""
    if isinstance(store, FencedStore):
        return await work(store)
    began = began if began is not None else asyncio.Event()
    dropped = False

    async def turn() -> T:
        async with exclusively(store) as leased:
            if dropped:  # cut off while it waited (a store call may swallow the cancellation)
                raise asyncio.CancelledError
            began.set()
            return await work(leased)

    task = asyncio.ensure_future(turn())
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if not task.done():
            if not began.is_set():  # still waiting for its turn: dropped
                dropped = True
                task.cancel()
            keep_running(task)  # else it runs to its end
        raise
