"""A reply lost once on the embedded FalkorDB client (a connection reset after the server ran the
statement): the write is committed, and the client must not send it again (tests of reruns that
converge after such a loss, in ingest and in security)."""

from __future__ import annotations

from typing import Any

import redis.asyncio as redis


def lose_reply_once(store: Any, monkeypatch: Any, statement_part: str) -> list[str]:
    """The first statement holding ``statement_part`` runs and its reply is lost; returns the
    statements whose reply was lost (empty until one was)."""
    graph_class = type(store._graph)
    run, lost = graph_class.plain_query, []

    async def reply_lost_once(graph, q, params, timeout, read_only):
        rows = await run(graph, q, params, timeout, read_only)
        if statement_part in q and not lost:
            lost.append(q)
            raise redis.ConnectionError("connection reset by peer")
        return rows

    monkeypatch.setattr(graph_class, "plain_query", reply_lost_once)
    return lost
