"""Expand around entities: the neighbourhood subgraph for link charts, and relationship pages.

Both walk only what the principal may see: every relationship and every node on the way is
checked inside the Cypher (``visible`` fragment), so a hidden node is never passed through and
never counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphapi.errors import InvalidArgument
from graphapi.investigate import cursors
from graphapi.investigate.args import check_labels, check_range, check_relationship_types, check_time_range
from graphapi.investigate.entities import get_node, get_nodes
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids
from graphapi.store import GraphStore, Node, Relationship
from graphapi.store.records import node_from_map, relationship_from_map

MAX_DEPTH = 3
MAX_LIMIT = 1000
MAX_FIRST = 100
#: Relationships kept per subgraph node at most, so one hub cannot swamp a link chart.
EDGES_PER_NODE = 20
DIRECTIONS = ("OUT", "IN", "BOTH")


@dataclass(frozen=True)
class Subgraph:
    """Nodes and the relationships among them; ``truncated`` if ``limit`` cut anything off."""

    nodes: list[Node]
    edges: list[Relationship]
    truncated: bool


@dataclass(frozen=True)
class RelationshipEdge:
    """A relationship seen from one node: the far node, and ``direction`` OUT or IN."""

    relationship: Relationship
    other: Node
    direction: str
    cursor: str


@dataclass(frozen=True)
class RelationshipPage:
    """One page of a node's relationships, ordered by relationship id; ``total`` counts every
    visible match of the filters (all pages)."""

    edges: list[RelationshipEdge]
    has_next: bool
    end_cursor: str | None
    total: int


async def neighborhood(
    store: GraphStore,
    principal: Principal,
    id: str,
    depth: int = 1,
    relationship_types: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    limit: int = 100,
) -> Subgraph:
    """The visible subgraph within ``depth`` (1..3) hops of node ``id``.

    Breadth-first, one statement per hop, then one for the relationships among the nodes found.
    ``relationship_types`` limits the types followed; ``labels`` limits the nodes admitted (the
    start node always is); ``limit`` (1..1000) caps the node count, and ``truncated`` says
    whether anything within reach was left out. Raises NotFound (unknown or hidden id) and
    InvalidArgument.
    """
    check_range("depth", depth, 1, MAX_DEPTH)
    check_range("limit", limit, 1, MAX_LIMIT)
    types = check_relationship_types(relationship_types)
    label_filter = check_labels(labels)
    start = await get_node(store, principal, id)
    order = [start.id]
    seen = {start.id}
    frontier = [start.id]
    truncated = False
    for _ in range(depth):
        if not frontier or truncated:
            break
        cap = (limit + 1) * EDGES_PER_NODE
        rows = await store.read(
            "expand/frontier",
            {"ids": frontier, "types": types, "labels": label_filter, "limit": cap, **principal.cypher_params()},
        )
        truncated = len(rows) >= cap
        frontier = []
        for row in rows:
            nb = row["neighbour"]
            if nb in seen:
                continue
            if len(order) >= limit:
                truncated = True
                break
            seen.add(nb)
            order.append(nb)
            frontier.append(nb)
    nodes = await get_nodes(store, principal, order)
    edge_cap = limit * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": types, "limit": edge_cap + 1, **principal.cypher_params()},
    )
    truncated = truncated or len(rows) > edge_cap
    edges = sorted((relationship_from_map(r["rel"]) for r in rows[:edge_cap]), key=lambda r: r.id)
    return Subgraph(nodes=[nodes[i] for i in order if i in nodes], edges=edges, truncated=truncated)


def encode_cursor(rel_id: str) -> str:
    """Opaque keyset cursor for a relationship id, encrypted (``graphapi.security.victim_ids``): a
    relationship id hashes its endpoints' ids, which may spell a victim's name or number."""
    return cursors.encode("rel", victim_ids().opaque(rel_id))


def decode_cursor(cursor: str | None) -> str | None:
    """The relationship id in a cursor (None for None); InvalidArgument if not one of ours."""
    if cursor is None:
        return None
    token = cursors.decode("rel", cursor)
    rel_id = victim_ids().resolve(token) if token is not None else None
    if rel_id is None or rel_id == token:
        raise InvalidArgument("after is not a valid relationship cursor")
    return rel_id


async def relationships_of(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str],
    types: Sequence[str] | None = None,
    direction: str = "BOTH",
    since: str | None = None,
    until: str | None = None,
    first: int = 20,
    after: str | None = None,
) -> list[RelationshipPage]:
    """One page of visible relationships per node id (in the order of ``ids``), in ONE round trip.

    ``direction``: OUT, IN or BOTH from the node; ``since``/``until``: inclusive ISO 8601 bounds
    (dates or instants, offsets normalised to UTC; a date as ``until`` covers the whole day) on
    the relationship's date (``at`` for events, the ``from``/``to`` validity for facts);
    ``first``: 1..100; ``after``: keyset cursor, stable while data is added. Ids that are
    unknown or hidden get an empty page. Raises InvalidArgument.
    """
    check_range("first", first, 1, MAX_FIRST)
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {DIRECTIONS}")
    if not ids:
        return []
    since, until = check_time_range(since, until)
    rows = await store.read(
        "expand/relationships",
        {
            "ids": list(dict.fromkeys(ids)),
            "types": check_relationship_types(types),
            "direction": direction,
            "since": since,
            "until": until,
            "after": decode_cursor(after),
            "first": first,
            **principal.cypher_params(),
        },
    )
    pages: dict[str, RelationshipPage] = {}
    for row in rows:
        edges = []
        for item in row["rows"][:first]:
            rel = relationship_from_map(item["rel"])
            direction_seen = "OUT" if rel.start == row["id"] else "IN"
            edges.append(RelationshipEdge(rel, node_from_map(item["node"]), direction_seen, encode_cursor(rel.id)))
        pages[row["id"]] = RelationshipPage(
            edges=edges,
            has_next=len(row["rows"]) > first,
            end_cursor=edges[-1].cursor if edges else None,
            total=int(row["total"]),
        )
    empty = RelationshipPage(edges=[], has_next=False, end_cursor=None, total=0)
    return [pages.get(i, empty) for i in ids]
