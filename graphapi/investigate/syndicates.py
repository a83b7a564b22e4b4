"""Syndicates: communities in the visible subgraph around seeds, and the brokers between two groups.

The scope is ``expand``'s visible subgraph (:func:`graphapi.investigate.expand.expand`: seeds,
depth, filters, a node limit), so nothing hidden is passed through, counted or able to move a
community or a score. Over it, in process (python-igraph and leidenalg; DESIGN.md: igraph over the
scoped subgraph): weakly connected components, Leiden communities (modularity, a fixed seed, so
the same visible scope always gives the same communities), PageRank and betweenness. Parallel
relationships between two entities count as one tie of that weight. Vertices are in the order of
the ids the reader is shown (:mod:`graphapi.investigate.shown_order`: a victim by its token, never
by its stored id, which its place among visible ids would narrow); community ids are assigned
largest first, then by the smallest member id shown, and ties in scores are broken by it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import igraph
import leidenalg

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_range
from graphapi.investigate.borders import countries_of
from graphapi.investigate.expand import MAX_LIMIT, MAX_PER_NODE, Subgraph, expand
from graphapi.investigate.shown_order import ShownIds, shown_ids
from graphapi.security import Principal
from graphapi.store import GraphStore, Node

#: Leiden's random seed: fixed, so a community never changes unless the visible scope does.
SEED = 20261203
MAX_DEPTH = 3
#: Entities in a scope at most: expand's node limit (Leiden and betweenness take well under a second).
MAX_SCOPE = MAX_LIMIT
#: Brokers listed per community.
BROKERS_PER_COMMUNITY = 3


@dataclass(frozen=True)
class Member:
    """One entity of the scope: its community and component ids and its scores (0..1)."""

    node: Node
    community: int
    component: int
    page_rank: float
    betweenness: float


@dataclass(frozen=True)
class Community:
    """A community: its id, size, the countries its members are tied to, its top brokers (ids)."""

    id: int
    size: int
    countries: list[str]
    brokers: list[str]


@dataclass(frozen=True)
class Syndicates:
    """The scope's subgraph, each member scored (subgraph order), the communities largest first."""

    subgraph: Subgraph
    members: list[Member]
    communities: list[Community]


@dataclass(frozen=True)
class Broker:
    """An entity between two groups: the share (0..1) of the shortest paths between them through it."""

    node: Node
    score: float


@dataclass(frozen=True)
class Brokers:
    """The brokers, highest score first, and the scope they were computed over."""

    brokers: list[Broker]
    subgraph: Subgraph


def _graph(sub: Subgraph, shown: ShownIds) -> tuple[igraph.Graph, list[str]]:
    """An undirected weighted igraph of ``sub`` (vertices in the order of the ids shown, one edge
    per tied pair); Leiden's result depends on the vertex order."""
    ids = sorted((n.id for n in sub.nodes), key=shown.node)
    index = {n: i for i, n in enumerate(ids)}
    weights: dict[tuple[int, int], int] = {}
    for rel in sub.edges:
        if rel.start in index and rel.end in index and rel.start != rel.end:
            pair = tuple(sorted((index[rel.start], index[rel.end])))
            weights[pair] = weights.get(pair, 0) + 1  # type: ignore[index]
    pairs = sorted(weights)
    graph = igraph.Graph(n=len(ids), edges=pairs, directed=False)
    graph.es["weight"] = [weights[p] for p in pairs]
    return graph, ids


async def _scope(store: GraphStore, principal: Principal, ids: Sequence[str], depth: int,
                 relationship_types: Sequence[str] | None, since: str | None, until: str | None,
                 limit: int) -> Subgraph:
    check_range("depth", depth, 1, MAX_DEPTH)
    check_range("limit", limit, 1, MAX_SCOPE)
    found = await expand(store, principal, ids, depth=depth, relationship_types=relationship_types, since=since,
                         until=until, limit_per_node=MAX_PER_NODE, limit=limit)
    return found.subgraph


async def syndicates(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str],
    depth: int = 2,
    relationship_types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
) -> Syndicates:
    """Communities, components, PageRank and betweenness over the visible subgraph within ``depth``
    (1..3) hops of ``ids`` (1..100), at most ``limit`` (1..1000) entities (``subgraph.truncated``
    says whether the scope was cut). Scores are normalised to 0..1. Raises NotFound (a seed unknown
    or hidden) and InvalidArgument."""
    sub = await _scope(store, principal, ids, depth, relationship_types, since, until, limit)
    shown = await shown_ids(store, principal, [n.id for n in sub.nodes])
    graph, order = _graph(sub, shown)
    weights = graph.es["weight"] if graph.ecount() else None
    raw = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition, weights=weights, seed=SEED,
                                   n_iterations=-1).membership
    components = graph.connected_components().membership
    rank = graph.pagerank(weights=weights)
    n = graph.vcount()
    pairs = max((n - 1) * (n - 2) / 2, 1)
    between = [b / pairs for b in graph.betweenness(directed=False)]
    groups: dict[int, list[int]] = {}
    for v, c in enumerate(raw):
        groups.setdefault(c, []).append(v)
    # groups[c][0] is the member whose shown id is the smallest (vertices are in shown order).
    renumber = {c: i for i, c in enumerate(sorted(groups, key=lambda c: (-len(groups[c]), groups[c][0])))}
    comp_ids = {c: i for i, c in enumerate(dict.fromkeys(components))}
    nodes = {node.id: node for node in sub.nodes}
    by_id = {
        order[v]: Member(nodes[order[v]], renumber[raw[v]], comp_ids[components[v]], round(rank[v], 6),
                         round(between[v], 6))
        for v in range(n)
    }
    communities = []
    for c in sorted(groups, key=renumber.__getitem__):
        members = [by_id[order[v]] for v in groups[c]]
        brokers = sorted((m for m in members if m.betweenness > 0),
                         key=lambda m: (-m.betweenness, shown.node(m.node.id)))
        communities.append(Community(
            id=renumber[c], size=len(members),
            countries=sorted({code for m in members for code in countries_of(m.node)}),
            brokers=[m.node.id for m in brokers[:BROKERS_PER_COMMUNITY]],
        ))
    return Syndicates(subgraph=sub, members=[by_id[node.id] for node in sub.nodes], communities=communities)


async def brokers(
    store: GraphStore,
    principal: Principal,
    group_a: Sequence[str],
    group_b: Sequence[str],
    depth: int = 2,
    relationship_types: Sequence[str] | None = None,
    limit: int = 500,
    first: int = 10,
) -> Brokers:
    """The entities through which the shortest visible paths between ``group_a`` and ``group_b`` run
    (betweenness restricted to those pairs), over the visible subgraph within ``depth`` (1..3) hops of
    both groups (at most ``limit`` entities). A broker's score is the share of the connected pairs'
    shortest paths through it; members of either group are not listed; the ``first`` (1..100) best,
    highest first, then by the id shown. Raises NotFound (a group member unknown or hidden) and InvalidArgument."""
    check_range("first", first, 1, 100)
    a, b = list(dict.fromkeys(group_a)), list(dict.fromkeys(group_b))
    if not a or not b:
        raise InvalidArgument("both groups need at least one id")
    if set(a) & set(b):
        raise InvalidArgument("the two groups must not share an id")
    sub = await _scope(store, principal, [*a, *b], depth, relationship_types, None, None, limit)
    shown = await shown_ids(store, principal, [n.id for n in sub.nodes])
    graph, order = _graph(sub, shown)
    index = {n: i for i, n in enumerate(order)}
    sources, targets = [index[i] for i in a if i in index], [index[i] for i in b if i in index]
    component = graph.connected_components().membership
    connected = sum(1 for s in sources for t in targets if component[s] == component[t])
    if not connected:
        return Brokers(brokers=[], subgraph=sub)
    # igraph halves undirected betweenness (a pair is walked from both ends) even for disjoint groups.
    raw = graph.betweenness(directed=False, sources=sources, targets=targets)
    nodes = {n.id: n for n in sub.nodes}
    ranked = sorted(
        (Broker(nodes[order[v]], round(2 * s / connected, 6)) for v, s in enumerate(raw)
         if s > 0 and order[v] not in a and order[v] not in b),
        key=lambda x: (-x.score, shown.node(x.node.id)),
    )
    return Brokers(brokers=ranked[:first], subgraph=sub)
