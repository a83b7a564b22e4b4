"""Expand around entities: the neighbourhood subgraph and the supernode-aware ``expand`` for link
charts, and the relationships among a chart's nodes (a node's relationship pages:
:mod:`graphapi.investigate.relationship_pages`).

Both walk only what the principal may see: every relationship and every node on the way is
checked inside the Cypher (``visible`` fragment), so a hidden node is never passed through and
never counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from graphapi.errors import NotFound
from graphapi.investigate.args import (
    check_countries,
    check_excluded_types,
    check_labels,
    check_range,
    check_relationship_types,
    check_time_range,
)
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.shown_order import ShownIds, first_shown, shown_ids, shown_nodes
from graphapi.security import Principal
from graphapi.settings import get_settings
from graphapi.store import GraphStore, Node, Relationship
from graphapi.store.records import relationship_from_map

MAX_DEPTH = 3
MAX_LIMIT = 1000
#: Relationships kept per subgraph node at most, so one hub cannot swamp a link chart.
EDGES_PER_NODE = 20


@dataclass(frozen=True)
class Subgraph:
    """Nodes and the relationships among them; ``truncated`` if ``limit`` cut anything off.
    ``protected``: which nodes are protected for the reader, when the service asked (to order
    what it returns by the ids shown), else None."""

    nodes: list[Node]
    edges: list[Relationship]
    truncated: bool
    protected: frozenset[str] | None = None


async def neighborhood(
    store: GraphStore,
    principal: Principal,
    id: str,
    depth: int = 1,
    relationship_types: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    limit: int = 100,
    exclude_relationship_types: Sequence[str] | None = None,
) -> Subgraph:
    """The visible subgraph within ``depth`` (1..3) hops of node ``id``.

    Breadth-first, one statement per hop (and one, rarely more, asking which of the first of its new
    nodes by the ids shown are protected: :func:`first_shown`, the first hop's with the start), then
    one reading the nodes found (the start's visibility checked with them: the hops walk from
    visible nodes only) and one for the relationships among them.
    ``relationship_types`` limits the types followed and ``exclude_relationship_types`` leaves
    types out (neither followed nor drawn); ``labels`` limits the nodes admitted (the
    start node always is); ``limit`` (1..1000) caps the node count, and ``truncated`` says
    whether anything within reach was left out. Raises NotFound (unknown or hidden id) and
    InvalidArgument.
    """
    check_range("depth", depth, 1, MAX_DEPTH)
    check_range("limit", limit, 1, MAX_LIMIT)
    types = check_relationship_types(relationship_types)
    excluded = check_excluded_types(exclude_relationship_types, types)
    label_filter = check_labels(labels)
    order = [id]
    seen = {id}
    frontier = [id]
    truncated = False
    protected: set[str] = set()  # the nodes of order that are protected for the reader
    for hop in range(depth):
        if not frontier or truncated:
            break
        cap = (limit + 1) * EDGES_PER_NODE
        rows = await store.read(
            "expand/frontier",
            {"ids": frontier, "types": types, "excluded": excluded, "labels": label_filter, "limit": cap,
             **principal.cypher_params()},
        )
        truncated = len(rows) >= cap
        # a hop's new nodes in the order of the ids shown, whatever order the store found them in
        # (Neo4j's follows its storage, which another agency's hidden writes move), so the order and
        # which nodes the limit keeps depend on nothing hidden (and a victim's place on its token)
        fresh = list(dict.fromkeys(row["neighbour"] for row in rows if row["neighbour"] not in seen))
        room = limit - len(order)
        truncated = truncated or len(fresh) > room
        # the start's protection asked with the first hop's: every node kept is then known, and
        # the nodes are read without asking again (entity/by_ids: 0.7 ms for 100, 1.9 with it)
        frontier, asked = await first_shown(store, principal, fresh, room, also=[id] if hop == 0 else [])
        protected |= asked
        seen.update(frontier)
        order += frontier
    found = await get_nodes(store, principal, order)
    if id not in found:
        raise NotFound.no_entity(id)
    shown = ShownIds(frozenset(protected.intersection(found)))
    nodes = {i: found[i] for i in order if i in found}
    edge_cap = limit * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": types, "excluded": excluded, "since": None, "until": None,
         "limit": edge_cap + 1, **principal.cypher_params()},
    )
    truncated = truncated or len(rows) > edge_cap
    return Subgraph(nodes=list(nodes.values()), edges=_in_shown_order(shown, rows[:edge_cap]), truncated=truncated,
                    protected=shown.protected)


def _in_shown_order(shown: ShownIds, rows: Sequence[Mapping[str, Any]]) -> list[Relationship]:
    """The relationships of ``rows`` (``{rel}``, among nodes ``shown`` knows) ordered by the ids the
    reader is shown (a relationship touching a victim by its token: :mod:`graphapi.investigate.shown_order`)."""
    return sorted((relationship_from_map(r["rel"]) for r in rows), key=shown.relationship)


def _tied(candidates: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ids of ``candidates`` (``{id, recent, weight}``, best first) in a run of two or more with
    equal (recent, weight): the only ones :func:`_best_first` orders by the id shown."""
    runs = (list(run) for _, run in groupby(candidates, key=lambda x: (x["recent"], x["weight"])))
    return [x["id"] for run in runs if len(run) > 1 for x in run]


def _best_first(candidates: Sequence[Mapping[str, Any]], shown: ShownIds, per_node: int) -> list[str]:
    """The ``per_node`` best neighbour ids of ``candidates`` (``{id, recent, weight}``, in the
    statement's order: best (recent, weight) first), each run of equal (recent, weight) ordered
    by the ids shown, so that which neighbours a cut keeps never depends on a victim's id."""
    runs = groupby(candidates, key=lambda x: (x["recent"], x["weight"]))
    ordered = [x["id"] for _, run in runs for x in sorted(run, key=lambda x: shown.node(x["id"]))]
    return ordered[:per_node]


MAX_SEEDS = 100
MAX_EXPAND_DEPTH = 4
MAX_PER_NODE = 200


@dataclass(frozen=True)
class TruncatedNode:
    """An expanded node that showed ``shown`` of its ``total`` visible neighbours (after the filters)."""

    node: Node
    shown: int
    total: int


@dataclass(frozen=True)
class Expansion:
    """``expand``'s answer: the subgraph, and the nodes whose neighbours were cut, in subgraph order."""

    subgraph: Subgraph
    truncated_nodes: list[TruncatedNode]


async def expand(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str],
    depth: int = 1,
    relationship_types: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    countries: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit_per_node: int | None = None,
    limit: int = 100,
    exclude_relationship_types: Sequence[str] | None = None,
) -> Expansion:
    """The visible subgraph within ``depth`` (1..4) hops of the seeds ``ids`` (1..100), supernode-aware.

    Breadth-first from every seed at once, one ``expand/ranked_neighbours`` statement per hop (and,
    when neighbours tie, one for the ids they are shown by), then one reading the nodes found with
    which are protected (the seeds' visibility checked with them: the hops walk from visible nodes
    only) and one for the relationships among them. Each
    node expanded admits at most ``limit_per_node`` (1..200; default the setting
    ``LINTAS_SUPERNODE_DEGREE``) neighbours: the most recently related first, then the heaviest
    relationship (amount, share, duration), then by the id shown (a victim's token); a node that had more is listed in
    ``truncated_nodes`` with how many it showed of its visible total. ``relationship_types``
    (followed), ``exclude_relationship_types`` (left out: not followed, counted or drawn), ``labels``,
    ``countries`` (ISO codes a neighbour is tied to) and ``since``/``until`` (ISO 8601, inclusive, on
    the relationship's date; undated relationships pass) filter what is followed and admitted (seeds
    always are). ``limit`` (1..1000) caps the nodes; ``truncated`` is True when
    anything within reach was left out. Raises NotFound (a seed unknown or hidden) and InvalidArgument.
    """
    check_range("depth", depth, 1, MAX_EXPAND_DEPTH)
    check_range("limit", limit, 1, MAX_LIMIT)
    per_node = get_settings().supernode_degree if limit_per_node is None else limit_per_node
    check_range("limitPerNode", per_node, 1, MAX_PER_NODE)
    seeds = list(dict.fromkeys(ids))
    check_range("number of ids", len(seeds), 1, MAX_SEEDS)
    types = check_relationship_types(relationship_types)
    params = {
        "types": types,
        "excluded": check_excluded_types(exclude_relationship_types, types),
        "labels": check_labels(labels),
        "countries": check_countries(countries),
        **dict(zip(("since", "until"), check_time_range(since, until), strict=True)),
        **principal.cypher_params(),
    }
    order = seeds[:limit]
    seen = set(order)
    cut = len(seeds) > limit
    ranked: dict[str, tuple[int, list[str]]] = {}
    frontier = list(order)
    for _ in range(depth):
        if not frontier or cut:
            break
        rows = await store.read("expand/ranked_neighbours", {"ids": frontier, "perNode": per_node, **params})
        shown = await shown_ids(store, principal, {i for row in rows for i in _tied(row["ranked"])})
        by_id = {row["id"]: (int(row["total"]), _best_first(row["ranked"], shown, per_node)) for row in rows}
        next_frontier: list[str] = []
        for node_id in frontier:
            total, neighbours = by_id.get(node_id, (0, []))
            ranked[node_id] = (total, neighbours)
            for nb in neighbours:
                if nb in seen:
                    continue
                if len(order) >= limit:
                    cut = True
                    break
                seen.add(nb)
                order.append(nb)
                next_frontier.append(nb)
            if cut:
                break
        frontier = next_frontier
    found, shown = await shown_nodes(store, principal, list(dict.fromkeys(seeds + order)))
    for seed in seeds:
        if seed not in found:
            raise NotFound.no_entity(seed)
    nodes = {i: found[i] for i in order if i in found}
    edge_cap = limit * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": params["types"], "excluded": params["excluded"], "since": params["since"],
         "until": params["until"], "limit": edge_cap + 1, "agency": params["agency"]},
    )
    edges = _in_shown_order(shown, rows[:edge_cap])
    truncated_nodes = []
    for node_id, (total, neighbours) in ranked.items():
        kept = sum(1 for nb in neighbours if nb in nodes)
        if kept < total and node_id in nodes:
            truncated_nodes.append(TruncatedNode(nodes[node_id], kept, total))
    sub = Subgraph(nodes=list(nodes.values()), edges=edges,
                   truncated=cut or len(rows) > edge_cap or bool(truncated_nodes), protected=shown.protected)
    return Expansion(subgraph=sub, truncated_nodes=truncated_nodes)


async def edges_among(store: GraphStore, principal: Principal, ids: Sequence[str]) -> Subgraph:
    """The visible entities among ``ids`` (1..1000) and the visible relationships among them
    (a chart's own nodes, re-linked). Unknown and hidden ids are left out, never named; ``truncated``
    if more than 20 relationships per entity exist. Raises InvalidArgument."""
    wanted = list(dict.fromkeys(ids))
    check_range("number of ids", len(wanted), 1, MAX_LIMIT)
    found, shown = await shown_nodes(store, principal, wanted)
    nodes = {i: found[i] for i in wanted if i in found}
    edge_cap = len(wanted) * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": None, "excluded": [], "since": None, "until": None, "limit": edge_cap + 1,
         **principal.cypher_params()},
    ) if nodes else []
    return Subgraph(nodes=list(nodes.values()), edges=_in_shown_order(shown, rows[:edge_cap]),
                    truncated=len(rows) > edge_cap, protected=shown.protected)
