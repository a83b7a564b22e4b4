"""The store calls a piece of ingest work makes, for the tests that run it twice, with and without
another agency's hidden data, and compare (the breaker's oracle tests: attack rounds a-95, a-98):
the writes by statement name, the write lease's aside (its turns follow the clock, not the data),
and the reads by statement name with the rows each returned."""

from __future__ import annotations

from dataclasses import dataclass, field


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
