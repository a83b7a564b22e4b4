"""The store calls a piece of ingest work makes, for the tests that run it twice, with and without
another agency's hidden data, and compare (the breaker's oracle tests: attack rounds a-95, a-98):
the writes by statement name, the write lease's aside (its turns follow the clock, not the data),
and the reads by statement name with the rows each returned; and the rows a piece of work is sent
back in all, for the tests of a cost that must not grow with other lines' or agencies' data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class StoreCalls:
    writes: list[str] = field(default_factory=list)
    reads: list[tuple[str, int]] = field(default_factory=list)

    @property
    def read_names(self) -> list[str]:
        return [name for name, _ in self.reads]

    def rows_of(self, statement: str) -> list[int]:
        """The rows each read of ``statement`` returned, in order."""
        return [rows for name, rows in self.reads if name == statement]


def record_store_calls(store, monkeypatch) -> StoreCalls:
    """From now on (until ``monkeypatch`` undoes it), ``store``'s writes and reads are recorded."""
    calls = StoreCalls()
    write, batches, read = store.write, store.write_batches, store.read

    async def recorded_write(name, *args, **kwargs):
        if "write_lease" not in name:
            calls.writes.append(name)
        return await write(name, *args, **kwargs)

    async def recorded_batches(name, *args, **kwargs):
        calls.writes.append(name)
        return await batches(name, *args, **kwargs)

    async def recorded_read(name, *args, **kwargs):
        rows = await read(name, *args, **kwargs)
        calls.reads.append((name, len(rows)))
        return rows

    monkeypatch.setattr(store, "write", recorded_write)
    monkeypatch.setattr(store, "write_batches", recorded_batches)
    monkeypatch.setattr(store, "read", recorded_read)
    return calls


async def rows_sent_back(store, work: Callable[[], Awaitable[T]]) -> tuple[T, int]:
    """What ``work()`` returns, and the rows the store sent back to its reads and writes: a cost that
    must not grow with what other lines or agencies state (the keyed-line DEL tests)."""
    rows = 0
    read, write = store.read, store.write

    async def counted_read(name, params=None, *args, **kwargs):
        nonlocal rows
        out = await read(name, params, *args, **kwargs)
        rows += len(out)
        return out

    async def counted_write(name, params=None, *args, **kwargs):
        nonlocal rows
        out = await write(name, params, *args, **kwargs)
        rows += len(out)
        return out

    store.read, store.write = counted_read, counted_write
    try:
        done = await work()
    finally:
        store.read, store.write = read, write
    return done, rows
