"""Clearing a big graph a part at a time (the bench's Neo4j database: one transaction over every
item filled a 1 GiB heap)."""

from __future__ import annotations

from graphapi.store.base import GraphStore


async def clear_in_parts(store: GraphStore, part: int) -> int:
    """Delete every relationship, then every node, at most ``part`` items a transaction
    (``cypher/admin/clear_{relationships,nodes}_part.cypher``); indexes stay. Returns how many
    items went."""
    total = 0
    for statement in ("admin/clear_relationships_part", "admin/clear_nodes_part"):
        while deleted := (await store.write(statement, {"limit": part}))[0]["deleted"]:
            total += deleted
    return total
