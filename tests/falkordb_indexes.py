"""Dropping the embedded store's full-text index in a test, as an old or damaged graph lacks it."""

from __future__ import annotations

import asyncio

from graphapi.store.falkordb import EmbeddedStore


async def drop_entity_fulltext(store: EmbeddedStore, graph: str | None = None) -> None:
    """Drop the Entity full-text index and wait until ``db.indexes()`` no longer lists it: FalkorDB
    answers the drop before it is done, and under load start-up then still saw the index (a CI run
    failed on it)."""
    if graph is None:
        await store._graph.query("CALL db.idx.fulltext.drop('Entity')")
    else:
        await store._graph.execute_command("GRAPH.QUERY", graph, "CALL db.idx.fulltext.drop('Entity')")
    for _ in range(400):
        rows = await store.read("schema/in_place")
        if not any(r["kind"] == "FULLTEXT" and r["label"] == "Entity" for r in rows):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the Entity full-text index is still listed 20 s after its drop")
