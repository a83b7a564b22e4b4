"""The ``GraphStore`` protocol: the only way the rest of Lintas touches a graph database.

Callers name a statement from ``cypher/`` and pass parameters; they get back rows as plain
Python values (str, int, float, bool, None, list, dict; temporal values as ISO 8601 strings),
identical in shape on every backend. Node/relationship maps in rows become records through
``graphapi.store.records``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

Row = dict[str, Any]

#: Rows per UNWIND batch unless the caller says otherwise.
DEFAULT_BATCH_SIZE = 5_000
#: the indexed property an identifier quarantined for anyone bears (Entity.yaml ``inQuarantine``)
IN_QUARANTINE = "inQuarantine"


@dataclass
class StoreStats:
    """Counters kept by every store: ``round_trips`` = statements sent to the server;
    ``server_seconds`` = the time the server reports spending on them (FalkorDB's
    ``run_time_ms``; Neo4j's result available + consumed after), without the client, the wire or
    the parameter parsing."""

    round_trips: int = 0
    server_seconds: float = 0.0


@dataclass(frozen=True)
class BatchSummary:
    """What ``write_batches`` did: batches sent, input rows, and the rows the statements returned."""

    batches: int
    rows: int
    returned: list[Row]


async def send_batches(
    run_batch: Callable[[list[Row]], Awaitable[list[Row]]],
    rows: Iterable[Row],
    batch_size: int,
    *,
    in_flight: int = 1,
) -> BatchSummary:
    """Cut ``rows`` into lists of ``batch_size`` and run ``run_batch`` on each.

    The one batching loop behind every backend's ``write_batches``. With ``in_flight`` > 1 that
    many batches are started before the oldest is awaited (batches must then be independent of
    each other, as UNWIND MERGE batches of distinct ids are); ``returned`` keeps batch order.
    If a batch fails, the ones already started are awaited (never left running) and the first
    error is raised.
    """
    batches = total = 0
    returned: list[Row] = []
    pending: deque[asyncio.Task[list[Row]]] = deque()
    it = iter(rows)
    try:
        while chunk := list(itertools.islice(it, batch_size)):
            pending.append(asyncio.ensure_future(run_batch(chunk)))
            batches += 1
            total += len(chunk)
            if len(pending) >= max(1, in_flight):
                returned.extend(await pending.popleft())
        while pending:
            returned.extend(await pending.popleft())
    finally:
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    return BatchSummary(batches=batches, rows=total, returned=returned)


@runtime_checkable
class GraphStore(Protocol):
    """A graph backend. ``dialect`` is ``"neo4j"`` or ``"falkordb"``."""

    dialect: str
    stats: StoreStats

    async def read(self, name: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None,
                   bulk: bool = False, **placeholders: str) -> list[Row]:
        """Run the read statement ``name``; routed to a read replica where the backend has one.

        ``timeout_ms``: this statement's time limit, if shorter than the store's (``StoreTimeout``
        past it). ``bulk``: a read of many rows (thousands): its reply is decoded in a thread of
        the store layer's, not on the event loop (:mod:`graphapi.store.bulk`); the same rows.
        Raises ``StatementError`` (unknown name, bad placeholder), ``StoreUnavailable`` (down),
        ``StoreError`` (the backend rejected the statement).
        """
        ...

    async def write(self, name: str, params: Mapping[str, Any] | None = None, *,
                    fence: Mapping[str, Any] | None = None, **placeholders: str) -> list[Row]:
        """Run the write or schema statement ``name`` in one transaction.

        With ``fence`` (the params of ``cypher/ingest/write_fence.cypher``: ``fence_name``,
        ``fence_holder``) the statement runs behind the write lease's fence in the same query and
        writes nothing unless the caller holds the lease when the store runs it.
        """
        ...

    async def write_batches(
        self,
        name: str,
        rows: Iterable[Row],
        batch_size: int = DEFAULT_BATCH_SIZE,
        params: Mapping[str, Any] | None = None,
        *,
        fence: Mapping[str, Any] | None = None,
        **placeholders: str,
    ) -> BatchSummary:
        """Send ``rows`` as ``$rows`` to the UNWIND statement ``name``, ``batch_size`` at a time,
        with the other parameters ``params`` (the same for every batch); ``fence`` as in
        :meth:`write`, for each batch.

        Each batch is one transaction; a failed batch raises and earlier batches stay written,
        so statements must be idempotent (MERGE on natural keys) for a rerun to converge.
        """
        ...

    async def init_schema(self) -> list[str]:
        """Create the ontology's constraints and indexes; idempotent. Returns what was created."""
        ...

    async def checkpoint(self, min_growth_bytes: int = 0) -> None:
        """Make what was written cheap to recover after a restart (the embedded store compacts
        its append-only file unless it grew by less than ``min_growth_bytes`` since it was last
        compacted; Neo4j needs nothing). Called at the end of a bulk load."""
        ...

    async def ping(self) -> str | None:
        """Raise ``StoreUnavailable`` unless the store answers; the server's product and version
        (``Neo4j/5.26.30``) where the backend reports it, else None."""
        ...

    async def clear(self) -> None:
        """Delete every node and relationship (tests and ``lintas demo --reset`` only)."""
        ...

    async def close(self) -> None:
        """Release connections (and, for the embedded store, detach from the server)."""
        ...
