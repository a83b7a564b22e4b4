"""The store's own write ceiling: the writer's statements fed prepared rows, no Lintas Python.

The load figure measures the whole ingest path (read, normalise, guard, merge provenance, write).
To say what limits it, the bench also times the store alone: ``ingest/create_nodes`` and
``ingest/add_relationships`` (the statements the writer sends for new nodes and relationships)
with rows built in advance, shaped like a call-record feed's (E.164 ids, the provenance the
writer stamps: sources, owner, tlp, firstSeen, lastSeen, recordId, plus the event's own
properties). Runs in a scratch graph of its own, deleted afterwards, so the bench graph is not
touched. If the ingest path's rate is close to this, the store is the limit; if far below, the
Python is.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

#: The graph the ceiling is measured in (on the bench's own embedded server).
SCRATCH_GRAPH = "bench_ceiling"
_PROVENANCE = {"sources": ["bench-ceiling"], "owner": "bench", "tlp": "GREEN",
               "firstSeen": "2026-01-01T00:00:00", "lastSeen": "2026-01-01T00:00:00"}


def phone_rows(n: int) -> list[dict[str, Any]]:
    """``n`` Phone node rows as the writer sends them: ``{id, props}``."""
    rows = []
    for i in range(n):
        number = f"+6681{i:07d}"
        rows.append({"id": f"phone:{number}", "props": {
            "number": number, "country": "TH", "caption": number, "searchText": number, **_PROVENANCE}})
    return rows


def call_rows(n: int, phones: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` CALLED relationship rows between ``phones`` phones, as the writer sends them:
    ``{id, start, end, props}``; endpoints drawn with a fixed linear congruential sequence."""
    rows, x = [], seed
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2**31
        a, b = x % phones, (x // phones) % phones
        rows.append({"id": f"called:ceiling:{i}", "start": f"phone:+6681{a:07d}", "end": f"phone:+6681{b:07d}",
                     "props": {"at": "2026-01-01T10:00:00", "durationS": 60, "recordId": f"ceiling.csv:{i + 2}",
                               **_PROVENANCE}})
    return rows


async def store_ceiling(
    open_scratch: Callable[[], Awaitable[GraphStore]], relationships: int, batch_size: int = DEFAULT_BATCH_SIZE
) -> dict[str, Any]:
    """Write prepared nodes then ``relationships`` prepared relationships into a scratch store
    from ``open_scratch()`` and time each. Returns ``{nodes, relationships, nodes_per_s,
    relationships_per_s, relationships_per_server_s, bare_create_per_s, bare_create_per_server_s,
    batch_size}``: the rates by wall clock, and the relationship rate by the time the server
    itself reports executing the statements (no client, wire or parameter parsing); ``bare_*``: the
    same rows written by ``bench/bare_create_relationships`` (index seeks and ``CREATE``, no
    checks), the engine's own floor on this machine, which no loader can beat. Each statement
    runs once untimed on a few rows first: a ceiling is the steady rate, and Neo4j's first run
    of a statement plans and compiles it (at scale 0.01 that halved Neo4j's figures: 6,781
    against 10,743 bare CREATEs a second, cold and warm). The scratch graph is cleared and
    closed afterwards."""
    phones = max(1_000, relationships // 5)  # about the feeds' calls per phone
    nodes, rels = phone_rows(phones), call_rows(relationships, phones)
    store = await open_scratch()
    try:
        await store.clear()
        await store.init_schema()
        await _timed_pass(store, nodes[:100], rels[:100], batch_size)  # warm-up: plans, JIT, caches
        node_s, (rel_s, rel_server_s, not_created), (bare_s, bare_server_s) = await _timed_pass(
            store, nodes, rels, batch_size)
    finally:
        await store.close()
    written = relationships - not_created
    return {"nodes": phones, "relationships": written, "batch_size": batch_size,
            "nodes_per_s": round(phones / node_s, 1), "relationships_per_s": round(written / rel_s, 1),
            "relationships_per_server_s": round(written / rel_server_s, 1) if rel_server_s else None,
            "bare_create_per_s": round(relationships / bare_s, 1),
            "bare_create_per_server_s": round(relationships / bare_server_s, 1) if bare_server_s else None}


async def _timed_pass(store: GraphStore, nodes: list[dict[str, Any]], rels: list[dict[str, Any]],
                      batch_size: int) -> tuple[float, tuple[float, float, int], tuple[float, float]]:
    """Nodes, then the writer's relationships, then (on the nodes again) the bare CREATEs, each
    timed; the store is left cleared. Returns node seconds, (relationship seconds, their server
    seconds, rows not created), (bare seconds, their server seconds)."""
    t = time.perf_counter()
    await store.write_batches("ingest/create_nodes", nodes, batch_size, labels="Phone")
    node_s = time.perf_counter() - t
    t, server_s = time.perf_counter(), store.stats.server_seconds
    summary = await store.write_batches("ingest/add_relationships", rels, batch_size, {"agency": None},
                                        type="CALLED")
    rel_s = time.perf_counter() - t
    rel_server_s = store.stats.server_seconds - server_s
    not_created = sum(len(r["exceptions"]) + len(r["same"]) for r in summary.returned)
    # the engine's floor on the same rows: endpoints by index, CREATE, nothing checked
    await store.clear()
    await store.write_batches("ingest/create_nodes", nodes, batch_size, labels="Phone")
    t, server_s = time.perf_counter(), store.stats.server_seconds
    await store.write_batches("bench/bare_create_relationships", rels, batch_size, type="CALLED")
    bare = (time.perf_counter() - t, store.stats.server_seconds - server_s)
    await store.clear()
    return node_s, (rel_s, rel_server_s, not_created), bare
