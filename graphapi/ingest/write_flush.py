"""A writer's flushes: the buffers taken and written in the background while records keep coming
(the store and Python overlap), one flush at a time and in order; written at once (serially)
after a replace or delete record, which change what a running flush decides. Part of
:class:`graphapi.ingest.writer.Writer`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.statements import Statement


class BackgroundFlush:
    """The flushing of a :class:`~graphapi.ingest.writer.Writer` (its ``_pending`` flush)."""

    _pending: asyncio.Future[None] | None
    _serial: bool
    _nodes: dict[str, tuple[str, dict[str, Any]]]
    _node_origin: dict[str, Origin | None]
    _edges: dict[str, dict[str, EdgeRecord]]
    _edge_props: dict[str, dict[str, Any]]
    _n_edges: int
    _deferred: list[EdgeRecord]
    _deferred_props: dict[str, dict[str, Any]]
    _deferred_statements: dict[str, list[tuple[Statement, bool]]]

    async def _settle(self) -> None:
        """Wait for the background flush, if any (raising its error)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending

    async def settle_quietly(self) -> None:
        """Wait for the background flush and drop its error (when the load fails anyway)."""
        with contextlib.suppress(Exception):
            await self._settle()

    async def _flush_soon(self, *, edges: bool) -> None:
        """Start writing the current buffers (nodes, and edges if ``edges``) in the background,
        after the previous background flush has finished."""
        await self._settle()
        if self._serial:
            await (self.flush_edges() if edges else self.flush_nodes())
            return
        nodes = self._take_nodes()
        taken = self._take_edges(final=False) if edges else ({}, {}, {})
        self._pending = asyncio.ensure_future(self._write_all(nodes, *taken, final=False))

    def _take_nodes(self) -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, Origin | None],
                                   dict[str, list[tuple[Statement, bool]]]]:
        buffered, self._nodes = self._nodes, {}
        origins, self._node_origin = self._node_origin, {}
        return buffered, origins, self.statements.take()

    def _take_edges(self, *, final: bool) -> tuple[dict[str, dict[str, EdgeRecord]], dict[str, dict[str, Any]],
                                                   dict[str, list[tuple[Statement, bool]]]]:
        edges, self._edges = self._edges, {}
        props_of, self._edge_props = self._edge_props, {}
        statements = self.edge_statements.take()
        self._n_edges = 0
        if final and self._deferred:
            for rec in self._deferred:
                if rec.id not in edges.get(rec.type, {}):
                    edges.setdefault(rec.type, {})[rec.id] = rec
                    props_of[rec.id] = self._deferred_props[rec.id]
                statements.setdefault(rec.id, []).extend(self._deferred_statements.pop(rec.id, ()))
            self._deferred = []
        return edges, props_of, statements

    async def _write_all(self, nodes: tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, Origin | None],
                                            dict[str, list[tuple[Statement, bool]]]],
                         edges: dict[str, dict[str, EdgeRecord]], props_of: dict[str, dict[str, Any]],
                         statements: dict[str, list[tuple[Statement, bool]]], *, final: bool) -> None:
        async with self._exclusively():
            await self._write_nodes(*nodes)
            for rel_type, recs in edges.items():
                await self._write_edges(rel_type, recs, props_of, statements, final=final)
