"""Expand around entities: the neighbourhood subgraph and the supernode-aware ``expand`` for link
charts, the relationships among a chart's nodes, and relationship pages.

Both walk only what the principal may see: every relationship and every node on the way is
checked inside the Cypher (``visible`` fragment), so a hidden node is never passed through and
never counted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate import cursors
from graphapi.investigate.args import (
    check_countries,
    check_excluded_types,
    check_labels,
    check_range,
    check_relationship_types,
    check_time_range,
)
from graphapi.investigate.entities import get_node, get_nodes
from graphapi.investigate.paging import page_request
from graphapi.investigate.shown_order import ShownIds, shown_ids
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.security.victim_ids import victim_ids
from graphapi.settings import get_settings
from graphapi.store import GraphStore, Node, Relationship
from graphapi.store.records import node_from_map, relationship_from_map

MAX_DEPTH = 3
MAX_LIMIT = 1000
MAX_FIRST = 100
#: Hidden relationships (shown as tokens) that could fall on a page come whole at most; past it
#: their ids alone, and the page's own rows in a second round trip (a victim's phone with 16,000
#: calls shipped all of them with their properties on every page: attack round 4, H6).
HIDDEN_INLINE = 200
#: Relationships kept per subgraph node at most, so one hub cannot swamp a link chart.
EDGES_PER_NODE = 20
DIRECTIONS = ("OUT", "IN", "BOTH")


@dataclass(frozen=True)
class Subgraph:
    """Nodes and the relationships among them; ``truncated`` if ``limit`` cut anything off.
    ``protected``: which nodes are protected for the reader, when the service asked (to order
    what it returns by the ids shown), else None."""

    nodes: list[Node]
    edges: list[Relationship]
    truncated: bool
    protected: frozenset[str] | None = None


@dataclass(frozen=True)
class RelationshipEdge:
    """A relationship seen from one node: the far node, and ``direction`` OUT or IN;
    ``other_protected``: whether the far node is protected for the reader, if the statement said."""

    relationship: Relationship
    other: Node
    direction: str
    cursor: str
    other_protected: bool | None = None


@dataclass(frozen=True)
class RelationshipPage:
    """One page of a node's relationships, oldest first (see :func:`relationships_of`); ``total``
    counts every visible match of the filters (all pages); ``has_previous``: a backward page has
    more before it, or a forward page started after a cursor; ``protected``: whether the node
    itself is protected for the reader, if the statement said."""

    edges: list[RelationshipEdge]
    has_next: bool
    end_cursor: str | None
    total: int
    protected: bool | None = None
    has_previous: bool = False


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

    Breadth-first, one statement per hop, then one for the relationships among the nodes found.
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
            {"ids": frontier, "types": types, "excluded": excluded, "labels": label_filter, "limit": cap,
             **principal.cypher_params()},
        )
        truncated = len(rows) >= cap
        # a hop's new nodes in the order of the ids shown, whatever order the store found them in
        # (Neo4j's follows its storage, which another agency's hidden writes move), so the order and
        # which nodes the limit keeps depend on nothing hidden (and a victim's place on its token)
        fresh = list(dict.fromkeys(row["neighbour"] for row in rows if row["neighbour"] not in seen))
        fresh.sort(key=(await shown_ids(store, principal, fresh)).node)
        frontier = []
        for nb in fresh:
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
        {"ids": list(nodes), "types": types, "excluded": excluded, "since": None, "until": None,
         "limit": edge_cap + 1, **principal.cypher_params()},
    )
    truncated = truncated or len(rows) > edge_cap
    edges, protected = await _in_shown_order(store, principal, nodes, rows[:edge_cap])
    return Subgraph(nodes=[nodes[i] for i in order if i in nodes], edges=edges, truncated=truncated,
                    protected=protected)


async def _in_shown_order(store: GraphStore, principal: Principal, nodes: Mapping[str, Node],
                          rows: Sequence[Mapping[str, Any]]) -> tuple[list[Relationship], frozenset[str] | None]:
    """The relationships of ``rows`` (``{rel}``, among ``nodes``) ordered by the ids the reader
    is shown (a relationship touching a victim by its token: :mod:`graphapi.investigate.shown_order`),
    and which of ``nodes`` are protected if that was asked (None if not: no rows)."""
    if not rows:
        return [], None
    shown = await shown_ids(store, principal, nodes)
    return sorted((relationship_from_map(r["rel"]) for r in rows), key=shown.relationship), shown.protected


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

    Breadth-first from every seed at once, one ``expand/ranked_neighbours`` statement per hop. Each
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
    found = await get_nodes(store, principal, seeds)
    for seed in seeds:
        if seed not in found:
            raise NotFound.no_entity(seed)
    order = seeds[:limit]
    seen = set(order)
    cut = len(seeds) > limit
    ranked: dict[str, tuple[int, list[str]]] = {}
    frontier = list(order)
    for _ in range(depth):
        if not frontier or cut:
            break
        rows = await store.read("expand/ranked_neighbours", {"ids": frontier, "perNode": per_node, **params})
        shown = await shown_ids(store, principal, {x["id"] for row in rows for x in row["ranked"]})
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
    nodes = await get_nodes(store, principal, order)
    edge_cap = limit * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": params["types"], "excluded": params["excluded"], "since": params["since"],
         "until": params["until"], "limit": edge_cap + 1, "agency": params["agency"]},
    )
    edges, protected = await _in_shown_order(store, principal, nodes, rows[:edge_cap])
    truncated_nodes = []
    for node_id, (total, neighbours) in ranked.items():
        shown = sum(1 for nb in neighbours if nb in nodes)
        if shown < total and node_id in nodes:
            truncated_nodes.append(TruncatedNode(nodes[node_id], shown, total))
    sub = Subgraph(nodes=[nodes[i] for i in order if i in nodes], edges=edges,
                   truncated=cut or len(rows) > edge_cap or bool(truncated_nodes), protected=protected)
    return Expansion(subgraph=sub, truncated_nodes=truncated_nodes)


async def edges_among(store: GraphStore, principal: Principal, ids: Sequence[str]) -> Subgraph:
    """The visible entities among ``ids`` (1..1000) and the visible relationships among them
    (a chart's own nodes, re-linked). Unknown and hidden ids are left out, never named; ``truncated``
    if more than 20 relationships per entity exist. Raises InvalidArgument."""
    wanted = list(dict.fromkeys(ids))
    check_range("number of ids", len(wanted), 1, MAX_LIMIT)
    nodes = await get_nodes(store, principal, wanted)
    edge_cap = len(wanted) * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": None, "excluded": [], "since": None, "until": None, "limit": edge_cap + 1,
         **principal.cypher_params()},
    ) if nodes else []
    edges, protected = await _in_shown_order(store, principal, nodes, rows[:edge_cap])
    return Subgraph(nodes=[nodes[i] for i in wanted if i in nodes], edges=edges, truncated=len(rows) > edge_cap,
                    protected=protected)


def encode_cursor(time: str, rel_id: str, hidden: bool = False) -> str:
    """Opaque keyset cursor for (time, relationship id as shown), the id encrypted
    (``graphapi.security.victim_ids``): a relationship id hashes its endpoints' ids, which may
    spell a victim's name or number. ``hidden``: the relationship touches an entity protected
    for the reader, so the id shown is its token (the very text the cursor holds)."""
    return cursors.encode("rel", json.dumps([time, victim_ids().opaque(rel_id), hidden]))


def decode_cursor(cursor: str | None, argument: str = "after") -> tuple[str | None, str | None]:
    """``(time, relationship id as shown)`` in a cursor (``(None, None)`` for None); the id shown
    is a token for a hidden relationship. InvalidArgument (naming ``argument``) if not one of ours."""
    if cursor is None:
        return None, None
    time, token, hidden = cursors.decode_fields("rel", cursor, 3) or (None, None, None)
    rel_id = victim_ids().resolve(token) if isinstance(token, str) else token
    if not isinstance(time, str) or not isinstance(rel_id, str) or rel_id == token or not isinstance(hidden, bool):
        raise InvalidArgument(f"{argument} is not a valid relationship cursor")
    return time, token if hidden else rel_id


def _page_order(shown: list[dict], hidden: list[tuple[str, str]], cursor: tuple[str, str] | None,
                backward: bool = False) -> list[tuple[tuple[str, str], str, dict | None, bool]]:
    """The rows a page may hold in paging order, keyed (time, id shown): the ``shown`` rows by
    their id, the ``hidden`` ones ([id, time]) by their token (each worked out once), those at or
    before the ``cursor`` dropped (at or after it, newest first, when ``backward``): (key, stored
    id, the row if it came whole, hidden?)."""
    token = victim_ids().opaque
    keyed = [((str(x["time"]), x["rel"]["id"]), x["rel"]["id"], x, False) for x in shown]
    keyed += [((str(time), token(rel_id)), rel_id, None, True) for rel_id, time in hidden]
    kept = (k for k in keyed if cursor is None or (k[0] < cursor if backward else k[0] > cursor))
    return sorted(kept, key=lambda k: k[0], reverse=backward)


async def relationships_of(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str],
    types: Sequence[str] | None = None,
    direction: str = "BOTH",
    since: str | None = None,
    until: str | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[RelationshipPage]:
    """One page of visible relationships per node id (in the order of ``ids``), in one round trip
    (two when many relationships shown as tokens could fall on a page).

    Oldest first: by the relationship's time, its ``at``, else its ``from``, else its ``to`` (UTC
    ISO 8601 text, compared as text); undated ones last; ties by the id shown, a relationship
    touching an entity protected for the reader by its token (never its stored id, which hashes
    the victim's). ``direction``: OUT, IN or BOTH from the node; ``since``/``until``: inclusive
    ISO 8601 bounds (dates or instants, offsets normalised to UTC; a date as ``until`` covers the
    whole day) on the relationship's date (``at`` for events, the ``from``/``to`` validity for
    facts); ``first``: 1..100 (20 if neither it nor ``last`` is given); ``after``: keyset cursor
    on (time, id shown), stable while data is added; ``last``/``before``: the same backward (the
    ``last`` relationships before ``before``, still oldest first). Ids that are unknown or hidden
    get an empty page. Raises InvalidArgument.
    """
    request = page_request(first, after, last, before, MAX_FIRST)
    first, backward = request.size, request.backward
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {DIRECTIONS}")
    if not ids:
        return []
    since, until = check_time_range(since, until)
    after_time, after_id = decode_cursor(request.cursor, "before" if backward else "after")
    rows = await store.read(
        "expand/relationships",
        {
            "ids": list(dict.fromkeys(ids)),
            "types": check_relationship_types(types),
            "direction": direction,
            "since": since,
            "until": until,
            "cursorTime": after_time,
            "cursorId": after_id,
            "backward": backward,
            "first": first,
            "masked": not may_see_victims(principal),
            "hiddenInline": HIDDEN_INLINE,
            **principal.cypher_params(),
        },
    )
    # shown rows and hidden ones (by token) merged in (time, id shown) order; when many hidden rows
    # could fall on the page only their ids came back, and the few it holds are read in a second trip
    after_key = (after_time, after_id) if after_time is not None else None
    plans = []  # (row, the page's keyed rows, rows read whole by id, rows past the page?)
    wanted = []
    for row in rows:
        held = {x["rel"]["id"]: x for x in row["rows"] if x["hidden"]}
        hidden = [(i, x["time"]) for i, x in held.items()] + [(i, t) for i, t in row.get("hiddenIds") or []]
        order = _page_order([x for x in row["rows"] if not x["hidden"]], hidden, after_key, backward)
        if missing := [i for _, i, x, _ in order[:first] if x is None and i not in held]:
            wanted.append({"node": row["id"], "ids": missing})
        plans.append((row, order, held, len(order) > first or int(row.get("hiddenMore") or 0) > 0))
    fetched: dict[str, list[dict]] = {}
    if wanted:
        for found in await store.read("expand/relationships_by_ids", {"pages": wanted, **principal.cypher_params()}):
            fetched[found["id"]] = found["rows"]
    pages: dict[str, RelationshipPage] = {}
    for row, order, held, has_next in plans:
        held.update({x["rel"]["id"]: {**x, "hidden": True} for x in fetched.get(row["id"], [])})
        edges = []
        for (time, _), rel_id, item, hidden in order[:first]:
            item = item or held.get(rel_id)
            if item is None:  # hidden between the two reads
                continue
            rel = relationship_from_map(item["rel"])
            direction_seen = "OUT" if rel.start == row["id"] else "IN"
            edges.append(RelationshipEdge(rel, node_from_map(item["node"]), direction_seen,
                                          encode_cursor(time, rel_id, hidden), item.get("far")))
        if backward:
            edges.reverse()  # read newest first from the cursor; shown oldest first like every page
        # past the cursor there is at least the relationship the cursor was read from
        pages[row["id"]] = RelationshipPage(
            edges=edges,
            has_next=request.cursor is not None if backward else has_next,
            end_cursor=edges[-1].cursor if edges else None,
            total=int(row["total"]),
            protected=row.get("protected"),
            has_previous=has_next if backward else request.cursor is not None,
        )
    empty = RelationshipPage(edges=[], has_next=False, end_cursor=None, total=0)
    return [pages.get(i, empty) for i in ids]
