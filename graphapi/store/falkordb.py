"""``EmbeddedStore``: the GraphStore on the embedded FalkorDB server (the default backend).

Talks to the server of :mod:`graphapi.store.embedded_server` over its unix socket with the
official ``falkordb`` asyncio client. Statements come from the ``falkordb`` view of the
catalogue. Every query is its own transaction on FalkorDB, so batch writes are single UNWIND
statements.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import redis
from falkordb.asyncio import FalkorDB
from falkordb.asyncio.graph import AsyncGraph
from falkordb.asyncio.query_result import QueryResult
from redis.asyncio import BlockingConnectionPool, UnixDomainSocketConnection

from graphapi.store import embedded_server, falkordb_values
from graphapi.store.base import DEFAULT_BATCH_SIZE, BatchSummary, Row, StoreStats, send_batches
from graphapi.store.bulk import MAX_BULK_READS
from graphapi.store.bulk import off_loop as bulk_off_loop
from graphapi.store.collection_pause import pauses_kept
from graphapi.store.errors import StoreError, StoreTimeout, StoreUnavailable
from graphapi.store.falkordb_connection import CommandNotSent, SentOrNotConnection, bulk_client
from graphapi.store.falkordb_params import params_header
from graphapi.store.falkordb_schema import EmbeddedSchema
from graphapi.store.statements import catalog
from graphapi.store.values import plain_row
from graphapi.store.write_marks import QUEUE_FOLDER, WriteMark

log = logging.getLogger(__name__)
#: FalkorDB's reply to a statement stopped by its per-query timeout (``timeout_ms``).
_TIMED_OUT = "Query timed out"


class _Graph(AsyncGraph):
    """The client's graph with the parameter header written by ``params_header`` (C ``json``)
    where that means the same, else by the client's own renderer, and replies decoded once, by
    ``falkordb_values``."""

    def _build_params_header(self, params: dict | None) -> str:
        return (params and params_header(params)) or super()._build_params_header(params)

    def command(self, q: str, params: dict | None, timeout: int, read_only: bool) -> tuple[Any, ...]:
        """The ``GRAPH.QUERY`` / ``GRAPH.RO_QUERY`` command the client's ``query`` / ``ro_query``
        would send."""
        cmd = "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY"
        return cmd, self.name, self._build_params_header(params) + q, "--compact", "timeout", timeout

    async def plain_query(
        self, q: str, params: dict | None, timeout: int, read_only: bool, bulk: redis.Redis | None = None
    ) -> tuple[list[Row], float]:
        """Run ``q`` as the client's ``query`` / ``ro_query`` would; return its rows as plain
        values and the server's execution time in ms. Raises redis errors as the client does.
        ``bulk``: a blocking client over the same server, through which the command is sent and
        its reply parsed and decoded in a thread of :mod:`graphapi.store.bulk` (a bulk read)."""
        command = self.command(q, params, timeout, read_only)
        if bulk is not None:
            response, rows = await bulk_off_loop(_received, bulk, command)
            if rows is not None:  # the reply freed in the thread: its run time kept
                return rows, response[0]
        else:
            response = await self.execute_command(*command)
            rows = _decoded(response)
        if rows is None:
            # Graph objects in the reply: their names come from the client's schema cache.
            result = QueryResult(self)
            await result.parse(response)
            columns = [h[1] if isinstance(h, list | tuple) else h for h in result.header]
            rows = [plain_row(columns, row) for row in result.result_set]
        return rows, falkordb_values.run_time_ms(response)


def _decoded(response: list[Any]) -> list[Row] | None:
    """The reply's rows as plain values, or None if it holds graph objects (the client parses
    those: ``plain_query``). Raises the server's error it carries."""
    falkordb_values.check_errors(response)
    try:
        return falkordb_values.decode_rows(response)
    except falkordb_values.NotPlain:
        return None


def _received(client: redis.Redis, command: tuple[Any, ...]) -> tuple[list[Any], list[Row] | None]:
    """``command`` sent through the blocking ``client``, and the reply's rows (in a bulk read's
    thread), decoded with the cyclic collector still paused from the parse (attack round a-88, 5:
    :mod:`graphapi.store.collection_pause`); with them only the server's run time (``[ms]``), the
    reply freed here a slice at a time, else the reply itself (graph objects: the client parses
    it on the loop)."""
    with pauses_kept():  # the parse's pause lasts till the reply is decoded and freed
        response = client.execute_command(*command)
        if (rows := _decoded(response)) is None:
            return response, None
        ran = [falkordb_values.run_time_ms(response)]
        for part in response:  # freed whole on the loop, one C call held the GIL for it
            freed_in_slices(part)
        return ran, rows


#: Items of a bulk read's reply freed in one step (about a millisecond of the GIL).
FREED_AT_ONCE = 500


def freed_in_slices(part: object) -> None:
    """Empty ``part`` (a list: a reply's rows) a slice at a time: the loop may take the GIL between
    two slices, never inside one C call freeing the whole (a bulk read's thread)."""
    while isinstance(part, list) and part:
        del part[-FREED_AT_ONCE:]


class EmbeddedStore(EmbeddedSchema):
    """GraphStore over the embedded FalkorDB server of ``data_dir``, graph ``graph``.

    Create with :meth:`open`. ``timeout_ms`` is FalkorDB's per-query timeout.
    """

    dialect = "falkordb"

    def __init__(self, data_dir: Path, graph: str, timeout_ms: int, max_connections: int) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.graph_name = graph
        self.timeout_ms = timeout_ms
        self.max_connections = max_connections
        self.stats = StoreStats()
        self.statements = catalog(self.dialect)
        self._pool: BlockingConnectionPool | None = None
        self._graph: Any = None
        self._bulk: redis.Redis | None = None
        self.server: embedded_server.ServerInfo | None = None
        self._token: str | None = None
        self._write_mark = WriteMark(self.data_dir / QUEUE_FOLDER)
        self._restarting: asyncio.Future | None = None  # a reconnect under way (:meth:`_reconnect`)

    @classmethod
    async def open(
        cls, data_dir: Path, graph: str = "lintas", timeout_ms: int = 30_000, max_connections: int = 16
    ) -> EmbeddedStore:
        """Attach to (or start) the data directory's server and connect. Raises StoreUnavailable."""
        store = cls(data_dir, graph, timeout_ms, max_connections)
        store._connect()
        store._token = embedded_server.register_client(store.data_dir)
        return store

    def _connect(self, server: embedded_server.ServerInfo | None = None) -> None:
        self.server = server or embedded_server.ensure_server(self.data_dir)
        self._pool = BlockingConnectionPool(
            connection_class=UnixDomainSocketConnection,
            path=self.server.socket,
            max_connections=self.max_connections,
            timeout=None,
            decode_responses=True,
            # redis-py's 5 s default socket timeout would cut statements that the server's own
            # per-query timeout (timeout_ms) allows; leave the server to enforce it.
            socket_timeout=self.timeout_ms / 1000 + 5,
        )
        self._graph = _Graph(FalkorDB(connection_pool=self._pool), self.graph_name)
        # set after the client is made: it asks whether the pool's class IS the unix one
        self._pool.connection_class = SentOrNotConnection
        # bulk reads' blocking connections, one per thread of graphapi.store.bulk at most
        self._bulk = bulk_client(self.server.socket, MAX_BULK_READS, self.timeout_ms / 1000 + 5)

    async def _reconnect(self, failed: Any = None) -> None:
        """A new pool on a live server (started again if it died). ``failed``: the pool a
        statement failed on; if another statement already replaced it, that one is kept (two
        batches in flight both fail when the server dies; the second must not cut the first's
        new connections)."""
        if self._restarting is not None:  # another statement's: its new pool is the one to use
            await asyncio.shield(self._restarting)
            return
        if failed is not None and self._pool is not failed:
            return
        self._restarting = asyncio.ensure_future(self._restart())
        try:
            await asyncio.shield(self._restarting)
        finally:
            self._restarting = None

    async def _restart(self) -> None:
        """The server started again (if it died) in a thread: a restart reloads the data, 1.4 s on a
        20,000-crossing graph, which on the event loop stalled every request of the worker, /healthz
        too (attack round a-88, 4); statements sent meanwhile wait for it (:meth:`_send`)."""
        old, old_bulk = self._pool, self._bulk
        self._connect(await asyncio.to_thread(embedded_server.ensure_server, self.data_dir))
        if old is not None:
            await old.disconnect()
        if old_bulk is not None:
            old_bulk.connection_pool.disconnect(inuse_connections=False)  # a bulk thread's own stays with it

    async def _run(self, text: str, params: Mapping[str, Any] | None, read_only: bool,
                   timeout_ms: int | None = None, bulk: bool = False) -> list[Row]:
        if read_only:
            return await self._send(text, params, True, timeout_ms, bulk)
        with self._write_mark.writing():  # no new broad search while this waits for the write lock
            return await self._send(text, params, False, timeout_ms)

    async def _send(self, text: str, params: Mapping[str, Any] | None, read_only: bool,
                    timeout_ms: int | None = None, bulk: bool = False) -> list[Row]:
        limit = min(timeout_ms, self.timeout_ms) if timeout_ms else self.timeout_ms
        for attempt in (1, 2):
            if self._restarting is not None:  # not on the dead server's pool: on the new one
                await asyncio.shield(self._restarting)
            self.stats.round_trips += 1
            pool = self._pool
            try:
                query = (text, dict(params or {}), limit, read_only)
                rows, run_time_ms = await (self._graph.plain_query(*query, bulk=self._bulk) if bulk
                                           else self._graph.plain_query(*query))
                break
            except CommandNotSent as exc:
                # The server died or restarted before it had the command: bring it back (with its
                # data) and send it again once; it did not run, so a write runs once.
                if attempt == 2:
                    raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
                await self._reconnect(pool)
            except redis.TimeoutError as exc:
                # No reply within the socket timeout (the statement timeout + 5 s): the server is
                # alive and still running it, most likely behind others. Sent again it would run
                # twice on the server already too slow to answer, and a new pool would cut every
                # other statement's connection and send those again too (a-74: eight big reads at
                # once); the client dropped this one connection, the others keep theirs.
                raise StoreUnavailable(f"embedded FalkorDB did not answer in time; not sent again ({exc})") from exc
            except (redis.ConnectionError, OSError) as exc:
                # The reply was lost: a read is sent again; a write may have run, and run twice it
                # answers what its second run found (a DEL's deleted links: attack round 37), so the
                # caller's rerun converges instead (docs/architecture.md). The next statement's
                # send reconnects.
                if not read_only:
                    raise StoreUnavailable(f"embedded FalkorDB: the reply to a write was lost, so it may or may not "
                                           f"have run; not sent again ({exc})") from exc
                if attempt == 2:
                    raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
                await self._reconnect(pool)
            except redis.ResponseError as exc:
                if str(exc).startswith(_TIMED_OUT):  # the request asked too much: TIMEOUT, not a bug
                    raise StoreTimeout(str(exc)) from exc
                raise StoreError(str(exc)) from exc
        self.stats.server_seconds += run_time_ms / 1000
        return rows

    async def read(self, name: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None,
                   bulk: bool = False, **placeholders: str) -> list[Row]:
        """Run read statement ``name`` with ``GRAPH.RO_QUERY``; ``bulk``: sent, and its reply parsed
        and decoded, in a thread (:mod:`graphapi.store.bulk`). See ``GraphStore.read``."""
        stmt = self.statements[name]
        return await self._run(stmt.render(**placeholders), params, read_only=stmt.mode == "read",
                               timeout_ms=timeout_ms, bulk=bulk and stmt.mode == "read")

    async def write(self, name: str, params: Mapping[str, Any] | None = None, *,
                    fence: Mapping[str, Any] | None = None, **placeholders: str) -> list[Row]:
        """Run write statement ``name`` as one query (one transaction). See ``GraphStore.write``."""
        stmt = self.statements.fenced(name) if fence else self.statements[name]
        return await self._run(stmt.render(**placeholders), stmt.refuse_nulls({**(params or {}), **(fence or {})}),
                               read_only=False)

    async def write_batches(
        self, name: str, rows: Iterable[Row], batch_size: int = DEFAULT_BATCH_SIZE,
        params: Mapping[str, Any] | None = None, *, fence: Mapping[str, Any] | None = None, **placeholders: str
    ) -> BatchSummary:
        """Send ``rows`` to UNWIND statement ``name`` as ``$rows`` (plus ``params``), ``batch_size``
        per query. See ``GraphStore.write_batches``.

        Two batches are in flight, so the next one is rendered while the server runs the last
        (FalkorDB still applies them one at a time, in order of arrival).
        """
        stmt = self.statements.fenced(name) if fence else self.statements[name]
        text = stmt.render(**placeholders)
        given = {**(params or {}), **(fence or {})}
        return await send_batches(
            lambda chunk: self._run(text, stmt.refuse_nulls({**given, "rows": chunk}), read_only=False), rows,
            batch_size, in_flight=2
        )

    async def checkpoint(self, min_growth_bytes: int = 0) -> None:
        """Compact the server's append-only file into a snapshot and wait for it (``BGREWRITEAOF``),
        unless it grew by less than ``min_growth_bytes`` since it was last compacted.

        Called after a bulk load: the server replays the AOF's statements one by one at start-up,
        which after a big load took longer than the load itself; a rewritten AOF starts from an
        RDB snapshot instead. The snapshot is of the whole graph, so a small load into a big graph
        leaves its few statements to replay rather than rewrite everything (``min_growth_bytes``).
        Raises StoreUnavailable if the server does not answer.
        """
        for attempt in (1, 2):
            pool = self._pool
            try:
                await embedded_server.rewrite_aof(self._graph.execute_command, min_growth_bytes=min_growth_bytes)
                return
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                # The server died (kill -9 late in a load): bring it back and compact its files,
                # as a statement would (``_run``).
                if attempt == 2:
                    raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
                await self._reconnect(pool)
            except redis.RedisError as exc:
                raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the server answers PING; a server that died is started
        again first, as for a statement (/readyz pings: with no statement meanwhile, a killed
        server stayed down and the worker unready until restarted: attack round 23, C6)."""
        for attempt in (1, 2):
            pool = self._pool
            try:
                await self._graph.execute_command("PING")
                return
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                if attempt == 2:
                    raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
            except redis.RedisError as exc:
                raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc
            try:
                await self._reconnect(pool)
            except OSError as exc:
                raise StoreUnavailable(f"embedded FalkorDB unreachable: {exc}") from exc

    async def clear(self) -> None:
        """Delete every node and relationship; indexes stay (tests, ``demo --reset``)."""
        await self.write("admin/clear")

    async def close(self) -> None:
        """Disconnect, and stop the server if this was its last live client."""
        self._write_mark.drop()  # its linger timer may never fire (a loop closed with the store)
        if self._pool is not None:
            await self._pool.disconnect()
            self._pool = None
        if self._bulk is not None:
            self._bulk.connection_pool.disconnect()
            self._bulk = None
        if self._token is not None:
            embedded_server.release_client(self.data_dir, self._token)
            self._token = None
