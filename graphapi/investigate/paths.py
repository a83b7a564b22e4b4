"""All shortest paths between two entities through visible nodes and relationships only, in a
direction, around avoided entities and within dates (:class:`Walk`); the path search of
``shortestPaths`` and of ``paths`` (``graphapi.investigate.path_modes``) without conditions.

Why not Cypher's ``allShortestPaths``: on FalkorDB a ``WHERE`` on the path is applied after
the shortest paths are found, so a shortest path through a hidden node is dropped and a longer
visible one is never looked for (measured: it returns nothing). Neo4j pushes such predicates
into the search, but one algorithm for both backends is simpler to trust. So this is a
bidirectional breadth-first search driven from Python, one ``expand/path_step`` statement per
hop (visibility enforced in that Cypher), always expanding the smaller side. A step ships ids
only; the nodes and relationships of the paths found are fetched once, at the end, and are
checked visible again there. Round trips are at most ``max_hops`` + 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.analytics_common import fetch_relationships
from graphapi.investigate.args import check_excluded_types, check_range, check_relationship_types
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.shown_order import shown_ids
from graphapi.security import Principal
from graphapi.store import GraphStore, Path

MAX_HOPS = 8
MAX_PATHS = 100
#: Relationships read per hop at most: a frontier beyond this is a hub explosion, not a lead.
FRONTIER_CAP = 200_000

#: A relationship as a step names it: (id, start node id, end node id).
RelKey = tuple[str, str, str]
# Per side: node id -> list of (previous node id, relationship) on some shortest path to it.
Parents = dict[str, list[tuple[str, RelKey]]]


@dataclass(frozen=True)
class Walk:
    """What a path may step along: relationship ``types`` (None = all), ``direction`` (OUT: only
    along relationships, IN: only against them, BOTH), node ids to ``avoid``, ``since``/``until``
    bounds on the relationships' dates (undated ones pass), and relationship types ``excluded``."""

    types: list[str] | None = None
    direction: str = "BOTH"
    avoid: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    excluded: tuple[str, ...] = ()

    def step_params(self, reverse: bool = False) -> dict[str, object]:
        """The ``expand/path_step`` parameters; ``reverse`` for a search walking back from the end."""
        direction = {"OUT": "IN", "IN": "OUT"}.get(self.direction, "BOTH") if reverse else self.direction
        return {"types": self.types, "excluded": list(self.excluded), "direction": direction,
                "avoid": list(self.avoid), "since": self.since, "until": self.until}


async def _step(
    store: GraphStore, principal: Principal, frontier: list[str], walk: dict[str, object],
    dist: dict[str, int], parents: Parents,
) -> list[str]:
    rows = await store.read(
        "expand/path_step",
        {"ids": frontier, **walk, "limit": FRONTIER_CAP, **principal.cypher_params()},
    )
    level = dist[frontier[0]] + 1
    new: list[str] = []
    for row in rows:
        nb, src = row["neighbour"], row["source"]
        if nb not in dist:
            dist[nb] = level
            parents[nb] = []
            new.append(nb)
        if dist[nb] == level:
            key = (row["rel"], src, nb) if row["outgoing"] else (row["rel"], nb, src)
            parents[nb].append((src, key))
    return new


def _chains(node: str, parents: Parents, limit: int) -> list[list[tuple[str, RelKey]]]:
    """Every parent chain from ``node`` back to its side's root, as (node, rel-to-previous) steps."""
    if not parents.get(node):
        return [[]]
    out: list[list[tuple[str, RelKey]]] = []
    for prev, rel in parents[node]:
        for chain in _chains(prev, parents, limit):
            out.append([*chain, (node, rel)])
            if len(out) >= limit:
                return out
    return out


async def shortest_paths(
    store: GraphStore,
    principal: Principal,
    from_id: str,
    to_id: str,
    max_hops: int = 8,
    relationship_types: Sequence[str] | None = None,
    limit: int = 10,
    walk: Walk | None = None,
    exclude_relationship_types: Sequence[str] | None = None,
) -> list[Path]:
    """All shortest visible paths from ``from_id`` to ``to_id``, at most ``limit``.

    ``max_hops``: 1..8; ``limit``: 1..100 paths; ``walk`` what the paths may step along (default:
    any relationship of ``relationship_types`` and not of ``exclude_relationship_types``, either
    way). Returns [] when no visible path of at most ``max_hops`` exists. Raises NotFound (either
    end unknown or hidden) and InvalidArgument.
    """
    check_range("maxHops", max_hops, 1, MAX_HOPS)
    check_range("limit", limit, 1, MAX_PATHS)
    if walk is None:
        types = check_relationship_types(relationship_types)
        walk = Walk(types=types, excluded=tuple(check_excluded_types(exclude_relationship_types, types)))
    if from_id == to_id:  # refused, unless unknown or hidden (NotFound first, as for any ends)
        await check_ends(store, principal, from_id, to_id)
    # The ends' visibility is checked by the answer's own reads: path_step walks from visible nodes
    # only, so a hidden end meets nothing, and every path found holds both ends (materialise).
    forward, backward = walk.step_params(), walk.step_params(reverse=True)

    dist_a: dict[str, int] = {from_id: 0}
    dist_b: dict[str, int] = {to_id: 0}
    par_a: Parents = {from_id: []}
    par_b: Parents = {to_id: []}
    front_a, front_b = [from_id], [to_id]
    meet: list[str] = []
    hops = 0
    while front_a and front_b and hops < max_hops:
        if len(front_a) <= len(front_b):
            front_a = await _step(store, principal, front_a, forward, dist_a, par_a)
            meet = [n for n in front_a if n in dist_b]
        else:
            front_b = await _step(store, principal, front_b, backward, dist_b, par_b)
            meet = [n for n in front_b if n in dist_a]
        hops += 1
        if meet:
            break
    if not meet:
        await check_ends(store, principal, from_id, to_id)
        return []
    best = min(dist_a[m] + dist_b[m] for m in meet)
    meet = [m for m in meet if dist_a[m] + dist_b[m] == best]
    # Paths through the meeting nodes in the order of the ids the reader is shown (a victim by its
    # token: graphapi.investigate.shown_order): which paths the cut at `limit` keeps, and their order
    # (one meeting node needs no order, nor a round trip).
    if len(meet) > 1:
        meet.sort(key=(await shown_ids(store, principal, meet)).node)

    raw: list[tuple[list[str], list[RelKey]]] = []
    for m in meet:
        for left, right in product(_chains(m, par_a, limit), _chains(m, par_b, limit)):
            node_ids = [from_id] + [n for n, _ in left]
            rels = [r for _, r in left]
            # The right chain runs from to_id to m: walk it backwards from m.
            for i in range(len(right) - 1, -1, -1):
                _, rel = right[i]
                rels.append(rel)
                node_ids.append(right[i - 1][0] if i > 0 else to_id)
            raw.append((node_ids, rels))
            if len(raw) >= limit:
                break
        if len(raw) >= limit:
            break
    paths = await materialise(store, principal, raw)
    if not paths:  # all hidden or deleted since their steps: the ends may be too
        await check_ends(store, principal, from_id, to_id)
    return paths


async def check_ends(store: GraphStore, principal: Principal, from_id: str, to_id: str) -> None:
    """NotFound if either end is unknown or hidden; InvalidArgument if they are the same."""
    ends = await get_nodes(store, principal, [from_id, to_id])
    for end in (from_id, to_id):
        if end not in ends:
            raise NotFound.no_entity(end)
    if from_id == to_id:
        raise InvalidArgument("fromId and toId must differ")


async def materialise(
    store: GraphStore, principal: Principal, raw: Sequence[tuple[list[str], list[RelKey]]]
) -> list[Path]:
    """Paths named by ids as store ``Path`` records, in two round trips; a node or relationship
    hidden or deleted since its step drops the whole path."""
    nodes = await get_nodes(store, principal, sorted({n for ids, _ in raw for n in ids}))
    found = {r.id: r for r in await fetch_relationships(store, principal, sorted({k for _, ks in raw for k in ks}))}
    return [
        Path(nodes=tuple(nodes[n] for n in ids), relationships=tuple(found[k[0]] for k in keys))
        for ids, keys in raw
        if all(n in nodes for n in ids) and all(k[0] in found for k in keys)
    ]
