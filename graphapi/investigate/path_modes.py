"""``paths``: the shortest, all shortest or k shortest visible paths between two entities, in a
direction, avoiding entities, within dates, optionally only those that cross a border or pass
through given countries; each path with the borders it crosses (``graphapi.investigate.borders``).

SHORTEST and ALL_SHORTEST without a border or country condition are the bidirectional
breadth-first search of :mod:`graphapi.investigate.paths`. The rest need paths in order of
length, which a breadth-first search does not give: the visible region that can hold a path of at
most ``maxHops`` (every relationship within ``ceil(maxHops / 2)`` hops of the start and
``floor(maxHops / 2)`` of the end, read with the same ``expand/path_step`` statement, so
visibility stays in the Cypher) is loaded into igraph, whose Yen k-shortest-paths lists paths
shortest first; candidates are then checked against the conditions. Both are bounded: the region
at :data:`REGION_CAP` relationships (more is refused with BAD_USER_INPUT: name relationship types
or lower ``maxHops``), the candidates at :data:`MAX_CANDIDATES` (more sets ``truncated``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import igraph

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import (
    check_countries,
    check_excluded_types,
    check_range,
    check_relationship_types,
    check_time_range,
)
from graphapi.investigate.borders import Border, borders_of, passes_through
from graphapi.investigate.paths import MAX_HOPS, MAX_PATHS, RelKey, Walk, check_ends, materialise, shortest_paths
from graphapi.investigate.shown_order import ShownIds, shown_ids
from graphapi.security import Principal
from graphapi.store import GraphStore, Path

MODES = ("SHORTEST", "ALL_SHORTEST", "K_SHORTEST")
DIRECTIONS = ("OUT", "IN", "BOTH")
MAX_K = 20
MAX_AVOID = 100
#: Relationships read around both ends at most: a region beyond this is a hub explosion, refused.
REGION_CAP = 20_000
#: Candidate paths examined at most when a condition (crossBorder, viaCountries) filters them.
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class FoundPath:
    """A path and the borders it crosses, in path order."""

    path: Path
    borders: list[Border]


@dataclass(frozen=True)
class PathSearch:
    """``paths``' answer, shortest first; ``truncated`` if the candidate budget ran out first."""

    paths: list[FoundPath]
    truncated: bool


async def paths(
    store: GraphStore,
    principal: Principal,
    from_id: str,
    to_id: str,
    mode: str = "SHORTEST",
    k: int = 3,
    max_hops: int = 6,
    relationship_types: Sequence[str] | None = None,
    direction: str = "BOTH",
    avoid_ids: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    cross_border: bool = False,
    via_countries: Sequence[str] | None = None,
    limit: int = 10,
    exclude_relationship_types: Sequence[str] | None = None,
) -> PathSearch:
    """Visible paths from ``from_id`` to ``to_id`` of at most ``max_hops`` (1..8) hops.

    ``mode``: SHORTEST (one), ALL_SHORTEST (every shortest, at most ``limit``, 1..100) or K_SHORTEST
    (the ``k``, 1..20, shortest loopless paths, shortest first). ``direction``: OUT follows
    relationships from ``from_id`` towards ``to_id``, IN against them, BOTH either way. ``avoid_ids``
    (at most 100): entities no path passes through. ``exclude_relationship_types``: relationship
    types no path steps along (a ``SANCTIONED`` programme node joins every designee of it: a path
    through it says only that both are listed). ``since``/``until``: ISO 8601 bounds on every
    relationship's date (undated ones pass). ``cross_border``: only paths that cross a border;
    ``via_countries``: only paths with an entity strictly between the ends in one of these ISO
    3166-1 alpha-2 countries. Raises NotFound (an end unknown or hidden) and InvalidArgument.
    """
    if mode not in MODES:
        raise InvalidArgument(f"mode must be one of {MODES}")
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {DIRECTIONS}")
    check_range("maxHops", max_hops, 1, MAX_HOPS)
    check_range("k", k, 1, MAX_K)
    check_range("limit", limit, 1, MAX_PATHS)
    avoid = tuple(dict.fromkeys(avoid_ids or ()))
    check_range("number of avoidIds", len(avoid), 0, MAX_AVOID)
    if from_id in avoid or to_id in avoid:
        raise InvalidArgument("avoidIds must not hold fromId or toId")
    via = set(check_countries(via_countries) or ())
    if via_countries is not None and not via:
        raise InvalidArgument("viaCountries must name at least one country")
    types = check_relationship_types(relationship_types)
    walk = Walk(types, direction, avoid, *check_time_range(since, until),
                excluded=tuple(check_excluded_types(exclude_relationship_types, types)))
    if mode != "K_SHORTEST" and not cross_border and not via:
        found = await shortest_paths(store, principal, from_id, to_id, max_hops=max_hops,
                                     limit=1 if mode == "SHORTEST" else limit, walk=walk)
        return PathSearch([FoundPath(p, borders_of(p)) for p in found], truncated=False)

    await check_ends(store, principal, from_id, to_id)
    region = await _region(store, principal, from_id, to_id, max_hops, walk)
    shown = await shown_ids(store, principal, {from_id, to_id, *(n for _, s, e in region.values() for n in (s, e))})

    def keep(path: Path) -> bool:
        return (not cross_border or bool(borders_of(path))) and (not via or passes_through(path, via))

    wanted = {"SHORTEST": 1, "K_SHORTEST": k, "ALL_SHORTEST": limit}[mode]
    asked = wanted if not (cross_border or via) else min(MAX_CANDIDATES, wanted * 4)
    while True:
        raw, exhausted = _k_shortest(region, shown, from_id, to_id, direction, asked, max_hops)
        kept = [p for p in await materialise(store, principal, raw) if keep(p)]
        if mode == "ALL_SHORTEST" and kept:
            best = len(kept[0].relationships)
            kept = [p for p in kept if len(p.relationships) == best]
            done = len(kept) >= limit or any(len(keys) > best for _, keys in raw)
        else:
            done = len(kept) >= wanted
        if done or exhausted or asked >= MAX_CANDIDATES:
            truncated = not (done or exhausted)
            return PathSearch([FoundPath(p, borders_of(p)) for p in kept[:wanted]], truncated=truncated)
        asked = min(MAX_CANDIDATES, asked * 4)


#: The region: relationship id -> (id, start id, end id).
Region = dict[str, RelKey]


async def _region(
    store: GraphStore, principal: Principal, from_id: str, to_id: str, max_hops: int, walk: Walk
) -> Region:
    """Every visible relationship that a path of at most ``max_hops`` from ``from_id`` to ``to_id``
    can use: those within ``ceil(max_hops / 2)`` hops of the start and ``floor(max_hops / 2)`` of the
    end (a hop of such a path always lies within one of the two). InvalidArgument past REGION_CAP."""
    region: Region = {}
    read = 0
    for root, levels, reverse in ((from_id, (max_hops + 1) // 2, False), (to_id, max_hops // 2, True)):
        params = walk.step_params(reverse=reverse)
        seen, frontier = {root}, [root]
        for _ in range(levels):
            if not frontier:
                break
            rows = await store.read(
                "expand/path_step",
                {"ids": frontier, **params, "limit": REGION_CAP + 1 - read, **principal.cypher_params()},
            )
            read += len(rows)
            if read > REGION_CAP:
                raise InvalidArgument(
                    f"more than {REGION_CAP} visible relationships lie within maxHops of the ends: "
                    "name relationshipTypes, avoid hubs (avoidIds) or lower maxHops"
                )
            frontier = []
            for row in rows:
                src, nb = row["source"], row["neighbour"]
                region[row["rel"]] = (row["rel"], src, nb) if row["outgoing"] else (row["rel"], nb, src)
                if nb not in seen:
                    seen.add(nb)
                    frontier.append(nb)
    return region


def _k_shortest(
    region: Region, shown: ShownIds, from_id: str, to_id: str, direction: str, k: int, max_hops: int
) -> tuple[list[tuple[list[str], list[RelKey]]], bool]:
    """The ``k`` shortest loopless paths in ``region`` (Yen, igraph), shortest first, as (node ids,
    relationship keys), leaving out paths longer than ``max_hops``; and whether that is all of them
    (fewer than ``k`` exist, or the last ran past ``max_hops``). Deterministic: the graph is built
    in the order of the ids the reader is shown (``shown``), which decides among paths of equal
    length (by stored ids, which of them a cut at ``k`` kept told where a victim's id sorts)."""
    keys = sorted(region.values(), key=lambda key: shown.relationship_id(*key))
    names = sorted({from_id, to_id, *(n for _, s, e in keys for n in (s, e))}, key=shown.node)
    index = {n: i for i, n in enumerate(names)}
    # IN walks against the relationships: reverse them so that the search can walk "out".
    pairs = [(index[e], index[s]) if direction == "IN" else (index[s], index[e]) for _, s, e in keys]
    graph = igraph.Graph(n=len(names), edges=pairs, directed=direction != "BOTH")
    mode = "out" if direction != "BOTH" else "all"
    if index[to_id] not in graph.subcomponent(index[from_id], mode=mode):
        return [], True
    found = graph.get_k_shortest_paths(index[from_id], index[to_id], k=k, mode=mode, output="epath")
    found = [p for p in found if p]
    out: list[tuple[list[str], list[RelKey]]] = []
    for edge_path in found:
        if len(edge_path) > max_hops:
            return out, True
        node_ids, at = [from_id], from_id
        for e in edge_path:
            _, s, t = keys[e]
            at = t if at == s else s
            node_ids.append(at)
        out.append((node_ids, [keys[e] for e in edge_path]))
    return out, len(found) < k
