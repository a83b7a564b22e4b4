"""``Neo4jStore``: the GraphStore on Neo4j 5.x LTS / 2025.x through the official async driver.

Reads are routed as READ (a cluster's secondaries serve them), writes as WRITE; ``database_`` is
always passed (saves a round trip to resolve the home database); ``execute_query`` runs managed
transactions, so transient errors (leader switch, deadlock) are retried by the driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired

from graphapi.ontology import ENTITY, load_model
from graphapi.store.base import DEFAULT_BATCH_SIZE, BatchSummary, Row, StoreStats, send_batches
from graphapi.store.errors import StoreError, StoreUnavailable
from graphapi.store.statements import catalog
from graphapi.store.values import plain_row


class Neo4jStore:
    """GraphStore over a Neo4j server or cluster. Create with :meth:`open`."""

    dialect = "neo4j"

    def __init__(self, driver: neo4j.AsyncDriver, database: str, timeout_ms: int) -> None:
        self._driver = driver
        self.database = database
        self.timeout_s = timeout_ms / 1000
        self.stats = StoreStats()
        self.statements = catalog(self.dialect)

    @classmethod
    async def open(
        cls, uri: str, user: str, password: str, database: str = "neo4j", timeout_ms: int = 30_000,
        max_connections: int = 16,
    ) -> Neo4jStore:
        """Create the driver (no I/O until first use). ``uri`` e.g. ``neo4j://host:7687``."""
        driver = AsyncGraphDatabase.driver(
            uri, auth=(user, password), max_connection_pool_size=max_connections
        )
        return cls(driver, database, timeout_ms)

    async def _run(self, text: str, params: Mapping[str, Any] | None, routing: RoutingControl) -> list[Row]:
        self.stats.round_trips += 1
        try:
            records, summary, _ = await self._driver.execute_query(
                neo4j.Query(text, timeout=self.timeout_s),
                dict(params or {}),
                routing_=routing,
                database_=self.database,
            )
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j unreachable: {exc}") from exc
        except Neo4jError as exc:
            raise StoreError(f"{exc.code}: {exc.message}") from exc
        self.stats.server_seconds += (getattr(summary, "result_available_after", None) or 0) / 1000
        self.stats.server_seconds += (getattr(summary, "result_consumed_after", None) or 0) / 1000
        return [plain_row(rec.keys(), rec.values()) for rec in records]

    async def read(self, name: str, params: Mapping[str, Any] | None = None, **placeholders: str) -> list[Row]:
        """Run read statement ``name`` routed to READ. See ``GraphStore.read``."""
        stmt = self.statements[name]
        routing = RoutingControl.READ if stmt.mode == "read" else RoutingControl.WRITE
        return await self._run(stmt.render(**placeholders), params, routing)

    async def write(self, name: str, params: Mapping[str, Any] | None = None, **placeholders: str) -> list[Row]:
        """Run write statement ``name`` in one managed write transaction."""
        stmt = self.statements[name]
        return await self._run(stmt.render(**placeholders), params, RoutingControl.WRITE)

    async def write_batches(
        self, name: str, rows: Iterable[Row], batch_size: int = DEFAULT_BATCH_SIZE,
        params: Mapping[str, Any] | None = None, **placeholders: str
    ) -> BatchSummary:
        """Send ``rows`` to UNWIND statement ``name`` as ``$rows`` (plus ``params``), one
        transaction per batch."""
        text = self.statements[name].render(**placeholders)
        return await send_batches(
            lambda chunk: self._run(text, {**(params or {}), "rows": chunk}, RoutingControl.WRITE), rows, batch_size
        )

    async def init_schema(self) -> list[str]:
        """Create the ontology's constraints and indexes with ``IF NOT EXISTS`` (idempotent).

        Neo4j does not say whether IF NOT EXISTS created anything, so this returns every
        statement it ran.
        """
        ran = ["unique Entity.id"]
        await self.write("schema/entity_id_unique")
        wanted = [(ENTITY, "tlp"), (ENTITY, "owner")]
        for lb in load_model().concrete_labels:
            wanted += [(lb.name, k) for k in lb.key if k != "id"]
        for label, prop in wanted:
            await self.write("schema/property_index", label=label, property=prop)
            ran.append(f"index {label}.{prop}")
        await self.write("schema/fulltext_index")
        ran.append("fulltext Entity(caption, searchText)")
        return ran

    async def checkpoint(self) -> None:
        """Nothing to do: Neo4j's transaction log needs no compaction after a load."""

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the server answers (driver connectivity check)."""
        try:
            await self._driver.verify_connectivity(database=self.database)
        except (ServiceUnavailable, SessionExpired, OSError, ClientError) as exc:
            raise StoreUnavailable(f"Neo4j unreachable: {exc}") from exc

    async def clear(self) -> None:
        """Delete every node and relationship (tests, ``demo --reset``)."""
        await self.write("admin/clear")

    async def close(self) -> None:
        """Close the driver's connection pool."""
        await self._driver.close()
