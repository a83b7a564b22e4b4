"""Look entities up by id, visible ones only."""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.errors import NotFound
from graphapi.security import Principal
from graphapi.store import GraphStore, Node
from graphapi.store.records import node_from_map


async def get_nodes(store: GraphStore, principal: Principal, ids: Sequence[str]) -> dict[str, Node]:
    """``{id: Node}`` for the ids the principal may see, in one round trip.

    Unknown and hidden ids are both simply absent: the answer never tells them apart.
    """
    if not ids:
        return {}
    rows = await store.read("entity/by_ids", {"ids": list(dict.fromkeys(ids)), **principal.cypher_params()})
    nodes = (node_from_map(r["node"]) for r in rows)
    return {n.id: n for n in nodes}


async def get_shown_nodes(store: GraphStore, principal: Principal, ids: Sequence[str]
                          ) -> tuple[dict[str, Node], set[str]]:
    """:func:`get_nodes`, and which of them are protected for the principal (a victim, a victim's
    identifier: ``security/protected_ids``'s rule), in the same round trip (``entity/shown_by_ids``)."""
    if not ids:
        return {}, set()
    rows = await store.read("entity/shown_by_ids", {"ids": list(dict.fromkeys(ids)), **principal.cypher_params()})
    nodes = {}
    protected = set()
    for r in rows:
        node = node_from_map(r["node"])
        nodes[node.id] = node
        if r["protected"]:
            protected.add(node.id)
    return nodes, protected


async def require_nodes(store: GraphStore, principal: Principal, ids: Sequence[str]) -> dict[str, Node]:
    """``{id: Node}`` for ``ids``, every one of which the principal must see; raises
    :class:`NotFound` (``no entity with id '<id>'``) for the first, in the order given, that is
    unknown or hidden: the two answer alike, as every field taking entity ids does."""
    found = await get_nodes(store, principal, ids)
    for node_id in ids:
        if node_id not in found:
            raise NotFound.no_entity(node_id)
    return found


async def get_node(store: GraphStore, principal: Principal, node_id: str) -> Node:
    """The visible node ``node_id``; raises :class:`NotFound` if it is unknown or hidden."""
    found = await get_nodes(store, principal, [node_id])
    if node_id not in found:
        raise NotFound.no_entity(node_id)
    return found[node_id]
