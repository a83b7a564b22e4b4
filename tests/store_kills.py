"""A store that dies, as a kill -9 would, straight after a write a test chooses, and the graph to
compare a finished run with (the kill tests of releases and of a person's values)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from replayed_setup import replayed


def _the_leases_own(name: str) -> bool:
    """A write of the write lease itself (taken, renewed, given back: ``ingest/*_write_lease``)."""
    return "write_lease" in name


def die_after(store: Any, monkeypatch: Any, dies: Callable[[str], bool]) -> None:
    """Make ``store`` raise (the loader's view of a killed run) straight after a write or batch of
    writes named ``name`` for which ``dies(name)`` is true; the write itself is done. The write
    lease's own writes are never given to ``dies``: its renewals come on a timer (every LEASE_S / 3
    of a turn), so a slower run made more of them and the n-th write of one run was another write
    of the next; and one "killed" after its release (given back, then failed) was retried and told
    the lease lost (WriteLeaseLost instead of the kill's OSError on a loaded machine)."""
    write, write_batches = store.write, store.write_batches

    async def killed_write(name: str, *args: Any, **kwargs: Any) -> Any:
        rows = await write(name, *args, **kwargs)
        if not _the_leases_own(name) and dies(name):
            raise OSError("killed")
        return rows

    async def killed_batches(name: str, *args: Any, **kwargs: Any) -> Any:
        done = await write_batches(name, *args, **kwargs)
        if not _the_leases_own(name) and dies(name):
            raise OSError("killed")
        return done

    monkeypatch.setattr(store, "write", killed_write)
    monkeypatch.setattr(store, "write_batches", killed_batches)


async def killed_after_write(store: Any, monkeypatch: Any, write: str, work: Callable[[], Awaitable[Any]]) -> None:
    """Run ``work`` on ``store`` killed straight after its write ``write``: it fails as the killed run did."""
    with monkeypatch.context() as m:
        die_after(store, m, lambda name: name == write)
        with pytest.raises(OSError):
            await work()


async def whole_graph(store: Any) -> tuple[list[str], list[str]]:
    """Every node and relationship, each as sorted JSON, in an order of their own (the write lease's
    own writes aside)."""
    (row,) = await store.read("admin/snapshot")
    return (sorted(json.dumps(n, sort_keys=True) for n in row["nodes"]),
            sorted(json.dumps(r, sort_keys=True) for r in row["relationships"] if r.get("type")))


def die_after_nth_write(store: Any, monkeypatch: Any, n: int) -> list[str]:
    """Make ``store`` die straight after its ``n``-th write (from 1; 0: never), the write lease's own
    aside; returns the names of the writes made, so a test can kill a run after each of them in turn."""
    seen: list[str] = []

    def dies(name: str) -> bool:
        seen.append(name)
        return len(seen) == n

    die_after(store, monkeypatch, dies)
    return seen


async def converges_after_each_kill(store: Any, monkeypatch: Any, start: Callable[[], Awaitable[Any]],
                                    run: Callable[[], Awaitable[Any]],
                                    graph: Callable[[], Awaitable[Any]], *, replay_start: bool = True) -> list[str]:
    """Check that ``run``, killed after any one of its writes (the write lease's own aside: see
    :func:`die_after`) and then run again, leaves ``graph()`` as one uninterrupted run leaves it;
    ``start`` sets the scene before each (its loads once, then their writes again: tests/replayed_setup.py;
    ``replay_start=False`` for a ``start`` that sets more than the store, run whole each time).
    Returns the names of ``run``'s writes, so a test can say which it covered."""
    if replay_start:
        start = replayed(store, start)
    writes: list[str] = []
    with monkeypatch.context() as m:
        die_after(store, m, lambda name: writes.append(name) and False)
        await start()
        writes.clear()
        await run()
    want = await graph()
    for n in range(1, len(writes) + 1):
        await start()
        with monkeypatch.context() as m:
            die_after_nth_write(store, m, n)
            with pytest.raises(OSError):
                await run()
        await run()
        assert (n, writes[n - 1], await graph()) == (n, writes[n - 1], want)
    return writes
