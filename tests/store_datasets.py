"""Named datasets held in a test store, loaded again only when a test changed the graph.

A read-only test then costs one snapshot read instead of a clear and a reload: on Neo4j a reload
of the fixture or the planted graph costs seconds, and hundreds of tests ask for one.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from graphapi.store import GraphStore

#: Per store and dataset, the snapshot (``admin/snapshot``) of the graph as the last load left it.
_snapshots: dict[tuple[int, str], str] = {}


async def graph_snapshot(store: GraphStore) -> str:
    """The whole graph as one canonical string (labels, properties, relationships; order-free)."""
    (row,) = await store.read("admin/snapshot")
    nodes = sorted(json.dumps(n, sort_keys=True) for n in row["nodes"])
    rels = sorted(json.dumps(r, sort_keys=True) for r in row["relationships"] if r.get("type"))
    return json.dumps([nodes, rels])


async def holding(store: GraphStore, dataset: str, load: Callable[[GraphStore], Awaitable[object]]) -> GraphStore:
    """``store`` holding exactly the graph ``load(store)`` builds: as it is if nothing changed it
    since this function last loaded ``dataset`` into it, else cleared and loaded again (a
    read-only test costs one snapshot read, not a reload; on Neo4j a reload costs seconds)."""
    key = (id(store), dataset)
    if (last := _snapshots.get(key)) is not None and await graph_snapshot(store) == last:
        return store
    for other in [k for k in _snapshots if k[0] == id(store)]:
        del _snapshots[other]
    await store.clear()
    await load(store)
    _snapshots[key] = await graph_snapshot(store)
    return store


