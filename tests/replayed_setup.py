"""A kill test's starting graph built once by its loads, then again by sending the store the same
writes (statement and parameters, in order) with no load pipeline and no reads.

A kill sweep sets its scene again before each kill point: reloading it was 30-40% of the kill
files' time (s-time62a), the load's reads, its write lease's turns (a taking and a giving back per
write) and its Python, for a graph the writes alone rebuild. The writes are sent in one turn of the
write lease, fenced as the load sent them (the same statements, so Neo4j plans nothing new), and
the first replay is checked against the graph the loads left, so a scene the writes alone do not
rebuild fails loudly rather than testing another one.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from store_datasets import graph_snapshot

from graphapi.ingest.write_lease import exclusively
from graphapi.store.base import DEFAULT_BATCH_SIZE

#: One recorded store call: ("clear",), or (method, statement, params or rows, batch size, batch params,
#: fenced, placeholders).
Call = tuple[Any, ...]


async def _recorded(store: Any, start: Callable[[], Awaitable[Any]]) -> list[Call]:
    """Run ``start`` with its store's clears and writes (the write lease's own aside) recorded."""
    calls: list[Call] = []
    write, write_batches, clear = store.write, store.write_batches, store.clear
    clearing = False

    async def recorded_clear() -> None:
        nonlocal clearing
        calls.append(("clear",))
        clearing = True  # its own writes are the clear's, replayed as one
        try:
            await clear()
        finally:
            clearing = False

    async def recorded_write(name: str, params: Any = None, *, fence: Any = None, **placeholders: str) -> Any:
        if not clearing and "write_lease" not in name:
            calls.append(("write", name, copy.deepcopy(params), 0, None, fence is not None, placeholders))
        return await write(name, params, fence=fence, **placeholders)

    async def recorded_batches(name: str, rows: Any, batch_size: int = DEFAULT_BATCH_SIZE, params: Any = None, *,
                               fence: Any = None, **placeholders: str) -> Any:
        rows = list(rows)
        if not clearing:
            calls.append(("write_batches", name, copy.deepcopy(rows), batch_size, copy.deepcopy(params),
                          fence is not None, placeholders))
        extra = {"params": params} if params is not None else {}
        return await write_batches(name, rows, batch_size, fence=fence, **extra, **placeholders)

    patched = {"write": recorded_write, "write_batches": recorded_batches, "clear": recorded_clear}
    was = {attr: vars(store).get(attr) for attr in patched}  # a kill test's own patches, if any
    for attr, patch in patched.items():
        setattr(store, attr, patch)
    try:
        await start()
    finally:
        for attr, before in was.items():
            if before is None:
                delattr(store, attr)
            else:
                setattr(store, attr, before)
    return calls


async def _replay(store: Any, calls: list[Call]) -> None:
    """Send ``calls`` again in order: the clears first (a clear would take the lease node with it),
    then the writes in one turn of the write lease, the fenced ones fenced."""
    clears = 0
    while clears < len(calls) and calls[clears][0] == "clear":
        await store.clear()
        clears += 1
    writes = calls[clears:]
    assert all(call[0] != "clear" for call in writes), "a scene cleared after its first write: replay it whole"
    async with exclusively(store) as fenced:
        for method, name, data, batch, params, is_fenced, placeholders in writes:
            target = fenced if is_fenced else store
            if method == "write":
                await target.write(name, data, **placeholders)
            else:
                extra = {"params": params} if params is not None else {}
                await target.write_batches(name, data, batch, **extra, **placeholders)


def replayed(store: Any, start: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    """``start`` as a kill test sets its scene with it: its first call runs ``start`` (clears and
    loads) and records the store writes it made; each later call sends those writes again, the
    first of them checked to leave the same graph (``admin/snapshot``) as ``start`` did."""
    recorded: list[Call] | None = None
    want: str | None = None

    async def again() -> None:
        nonlocal recorded, want
        if recorded is None:
            recorded = await _recorded(store, start)
            want = await graph_snapshot(store)
            return
        await _replay(store, recorded)
        if want is not None:  # the first replay only: the same writes leave the same graph after
            assert await graph_snapshot(store) == want, "the recorded writes did not rebuild the starting graph"
            want = None

    return again


#: Per store and scene, its :func:`replayed` start: a module's fixed scene (the same lines, the same
#: file names: a line's record id is its file's name and line, never its folder) is loaded once a
#: session per backend and replayed by every test of the module after.
_scenes: dict[tuple[int, str], Callable[[], Awaitable[None]]] = {}


def replayed_scene(store: Any, scene: str, start: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    """:func:`replayed` ``start``, shared by every test that names the same ``scene`` (module-qualified:
    "module:what") on ``store``; ``start`` must build the same graph whichever test runs it."""
    return _scenes.setdefault((id(store), scene), replayed(store, start))
