"""Syndicates: communities in the visible subgraph around seeds, and the brokers between two groups.

The scope is the visible subgraph within ``depth`` hops of the seeds, up to ``limit`` (1..50,000)
entities, read lean by :mod:`graphapi.investigate.scope` (ids and ties only, each entity expanded
once; nothing hidden is read, so nothing hidden is passed through, counted or able to move a
community or a score; a node budget cut is deterministic and says ``truncated``). Its ties are the
visible relationships less SANCTIONED and AT_BANK unless the caller asks (:data:`DEFAULT_EXCLUDED`: a
sanctions programme or a bank is an attribute of its designees or accounts, not a tie between them). Over it, in
process (python-igraph and leidenalg; DESIGN.md: igraph over the scoped subgraph): weakly
connected components, Leiden communities (modularity, a fixed seed, so the same visible scope
always gives the same communities; above 1,000 entities two passes rather than until stable),
PageRank and betweenness (exact up to 1,000 entities; above, estimated from 128 pivots spread evenly
over the vertex order: Brandes and Pich 2007). Parallel
relationships between two entities count as one tie of that weight. Vertices are in the order of
the ids the reader is shown (:mod:`graphapi.investigate.shown_order`: a victim by its token, never
by its stored id, which its place among visible ids would narrow); community ids are assigned
largest first, then by the smallest member id shown, and ties in scores are broken by it too.

A case (``caseId``) scopes the analysis to the people and organisations involved in it
(:func:`graphapi.investigate.shared_ids.case_members`: its visible ``INVOLVED_IN`` links; a case
hidden from the reader is NOT_FOUND as a missing one is) and leaves the case node itself out of
the scope: every member is tied to it, so counted it would be every member's hub and broker, as a
sanctions programme would (the analyst's premise, not a finding). Other cases they share stay ties.

The answer stays bounded whatever the scope: at most 1,000 members are listed with their
entities (all of a scope that small; else the most central of the largest communities first) and
the 200 largest communities are summarised; ``scope_size`` and ``community_count`` give the totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import igraph
import leidenalg

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_excluded_types, check_range, check_relationship_types
from graphapi.investigate.expand import MAX_LIMIT, Subgraph
from graphapi.investigate.scope import Scope, country_codes, read_scope, shown_subgraph
from graphapi.investigate.shared_ids import case_members
from graphapi.security import Principal
from graphapi.store import GraphStore, Node

#: Leiden's random seed: fixed, so a community never changes unless the visible scope does.
SEED = 20261203
MAX_DEPTH = 3
#: Entities in a scope at most (the node budget's ceiling; the issue's target: 50k in < 5 s).
MAX_SCOPE = 50_000
#: Entities a scope reads when its size is not given.
DEFAULT_SCOPE = 500
#: Members listed with their entities (and nodes in the answer's subgraph) at most.
MAX_SHOWN = MAX_LIMIT
#: Communities summarised at most (the largest).
MAX_COMMUNITIES = 200
#: Brokers listed per community.
BROKERS_PER_COMMUNITY = 3
#: Up to this many entities betweenness is exact and Leiden iterates until nothing moves; above,
#: betweenness is estimated from PIVOTS sources and Leiden runs LARGE_SCOPE_ITERATIONS passes
#: (leidenalg's default; measured on a 29k-entity, 106k-tie scope of the bench graph: 3.4 s of CPU
#: against 24 s until stable, the same modularity 0.50; 128 pivots about 1.3 s, exact hours).
EXACT_SCOPE = 1_000
PIVOTS = 128
LARGE_SCOPE_ITERATIONS = 2
#: Relationship types a scope leaves out unless the caller names them (``relationshipTypes``) or
#: passes ``excludeRelationshipTypes`` itself: a sanctions programme node joins every entity listed
#: under it, so on OFAC's list the TCO programme was the top hub and broker of CHEN Zhi's syndicate,
#: ranked above him. Being listed is an attribute of each designee, not a tie between them; so is
#: banking with one bank (``AT_BANK``: a bank's node joins every account kept at it).
DEFAULT_EXCLUDED = ("SANCTIONED", "AT_BANK")


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
    """The members shown (subgraph order) and their subgraph, the largest communities, and the
    totals: entities in the scope and communities found; ``scope_truncated`` if the node budget
    (``limit``) cut the scope."""

    subgraph: Subgraph
    members: list[Member]
    communities: list[Community]
    scope_size: int
    community_count: int
    scope_truncated: bool


@dataclass(frozen=True)
class Broker:
    """An entity between two groups: the share (0..1) of the shortest paths between them through it."""

    node: Node
    score: float


@dataclass(frozen=True)
class Brokers:
    """The brokers, highest score first, and the scope they were computed over (at most 1,000
    entities of it: the groups, the brokers, then in scope order)."""

    brokers: list[Broker]
    subgraph: Subgraph


def _graph(scope: Scope) -> tuple[igraph.Graph, list[str]]:
    """An undirected weighted igraph of ``scope`` (vertices in the order of the ids shown, one edge
    per tied pair); Leiden's result depends on the vertex order."""
    ids = sorted(scope.ids, key=scope.shown.node)
    vertex = {x: v for v, x in enumerate(ids)}
    at = [vertex[x] for x in scope.ids]
    weights = {}
    for (i, j), n in scope.ties.items():
        a, b = at[i], at[j]
        weights[(a, b) if a < b else (b, a)] = n
    pairs = sorted(weights)
    graph = igraph.Graph(n=len(ids), edges=pairs, directed=False)
    graph.es["weight"] = [weights[p] for p in pairs]
    return graph, ids


def _betweenness(graph: igraph.Graph) -> list[float]:
    """Betweenness normalised to 0..1 (by the pairs not involving the vertex): exact up to
    EXACT_SCOPE vertices, else Brandes-Pich: the paths from PIVOTS evenly spaced vertices,
    scaled by n / PIVOTS (an unbiased estimate)."""
    n = graph.vcount()
    pairs = max((n - 1) * (n - 2) / 2, 1)
    if n <= EXACT_SCOPE:
        return [b / pairs for b in graph.betweenness(directed=False)]
    pivots = [round(k * n / PIVOTS) for k in range(PIVOTS)]
    raw = graph.betweenness(directed=False, sources=pivots)
    return [min(b * n / PIVOTS / pairs, 1.0) for b in raw]


def tie_types(relationship_types: Sequence[str] | None,
              exclude_relationship_types: Sequence[str] | None) -> tuple[list[str] | None, list[str]]:
    """``(types followed, types left out)`` of a scope: :data:`DEFAULT_EXCLUDED` is left out unless
    ``relationship_types`` names it or ``exclude_relationship_types`` is given (``[]``: nothing)."""
    types = check_relationship_types(relationship_types)
    return types, check_excluded_types(exclude_relationship_types, types, DEFAULT_EXCLUDED)


async def _scope(store: GraphStore, principal: Principal, ids: Sequence[str], depth: int,
                 types: list[str] | None, excluded: list[str], since: str | None, until: str | None,
                 limit: int, leave_out: Sequence[str] = ()) -> Scope:
    check_range("depth", depth, 1, MAX_DEPTH)
    check_range("limit", limit, 1, MAX_SCOPE)
    check_range("number of ids", len(set(ids)), 1, 100)
    return await read_scope(store, principal, ids, depth, limit, types, since, until, excluded=excluded,
                            leave_out=leave_out)


async def _seeds(store: GraphStore, principal: Principal, ids: Sequence[str], case_id: str | None,
                 name: str = "ids") -> tuple[list[str], list[str]]:
    """``(seeds, entities left out of the scope)``: ``ids`` as given, or the visible members of
    the case ``case_id`` and the case itself (InvalidArgument for both)."""
    if ids and case_id is not None:
        raise InvalidArgument(f"give either {name} or {'caseId' if name == 'ids' else name + 'CaseId'}")
    if case_id is None:
        return list(dict.fromkeys(ids)), []
    return await case_members(store, principal, case_id), [case_id]


async def syndicates(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str] = (),
    depth: int = 2,
    relationship_types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = DEFAULT_SCOPE,
    exclude_relationship_types: Sequence[str] | None = None,
    case_id: str | None = None,
) -> Syndicates:
    """Communities, components, PageRank and betweenness over the visible subgraph within ``depth``
    (1..3) hops of ``ids`` (1..100), at most ``limit`` (1..50,000) entities (``subgraph.truncated``
    says whether the scope was cut, or more members than are shown). Scores are normalised to 0..1.
    The ties are the relationships of ``relationship_types`` (None: all) less those of
    ``exclude_relationship_types`` (None: :data:`DEFAULT_EXCLUDED`, see :func:`tie_types`).
    ``case_id`` in place of ``ids`` (``ids`` empty): the case's visible members are the seeds and
    the case is left out of the scope (module docstring). Raises NotFound (a seed or the case
    unknown or hidden), InvalidArgument and StoreTimeout (past the scope's time budget)."""
    types, excluded = tie_types(relationship_types, exclude_relationship_types)
    ids, leave_out = await _seeds(store, principal, ids, case_id)
    scope = await _scope(store, principal, ids, depth, types, excluded, since, until, limit, leave_out)
    graph, order = _graph(scope)
    weights = graph.es["weight"] if graph.ecount() else None
    raw = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition, weights=weights, seed=SEED,
                                   n_iterations=-1 if graph.vcount() <= EXACT_SCOPE else LARGE_SCOPE_ITERATIONS
                                   ).membership
    components = graph.connected_components().membership
    # rounded: a last-bit difference between two runs' floats must not reorder tied members
    rank = [round(r, 9) for r in graph.pagerank(weights=weights)]
    between = [round(b, 9) for b in _betweenness(graph)]
    n = graph.vcount()
    groups: dict[int, list[int]] = {}
    for v, c in enumerate(raw):
        groups.setdefault(c, []).append(v)
    # groups[c][0] is the member whose shown id is the smallest (vertices are in shown order).
    ranked_groups = sorted(groups, key=lambda c: (-len(groups[c]), groups[c][0]))
    renumber = {c: i for i, c in enumerate(ranked_groups)}
    comp_ids = {c: i for i, c in enumerate(dict.fromkeys(components))}
    summarised = ranked_groups[:MAX_COMMUNITIES]
    top_brokers = {c: sorted((v for v in groups[c] if between[v] > 0), key=lambda v: (-between[v], v))
                   [:BROKERS_PER_COMMUNITY] for c in summarised}
    vertex = {x: v for v, x in enumerate(order)}
    if n <= MAX_SHOWN:
        listed = scope.ids
    else:  # the summaries' brokers, then the most central members of the largest communities
        best = [v for c in summarised for v in top_brokers[c]]
        best += sorted(range(n), key=lambda v: (renumber[raw[v]], -rank[v], v))
        keep = set(list(dict.fromkeys(best))[:MAX_SHOWN])
        listed = [x for x in scope.ids if vertex[x] in keep]
    sub = await shown_subgraph(store, principal, listed, scope.shown, types, since, until,
                               scope.truncated or len(listed) < n, excluded)
    nodes = {node.id: node for node in sub.nodes}
    members = [Member(nodes[x], renumber[raw[vertex[x]]], comp_ids[components[vertex[x]]],
                      round(rank[vertex[x]], 6), round(between[vertex[x]], 6)) for x in listed if x in nodes]
    codes = await country_codes(store, principal, [order[v] for c in summarised for v in groups[c]])
    communities = [
        Community(id=renumber[c], size=len(groups[c]),
                  countries=sorted({code for v in groups[c] for code in codes.get(order[v], ())}),
                  brokers=[order[v] for v in top_brokers[c]])
        for c in summarised
    ]
    return Syndicates(subgraph=sub, members=members, communities=communities, scope_size=n,
                      community_count=len(groups), scope_truncated=scope.truncated)


async def brokers(
    store: GraphStore,
    principal: Principal,
    group_a: Sequence[str] = (),
    group_b: Sequence[str] = (),
    depth: int = 2,
    relationship_types: Sequence[str] | None = None,
    limit: int = DEFAULT_SCOPE,
    first: int = 10,
    exclude_relationship_types: Sequence[str] | None = None,
    case_a: str | None = None,
    case_b: str | None = None,
) -> Brokers:
    """The entities through which the shortest visible paths between ``group_a`` and ``group_b`` run
    (betweenness restricted to those pairs), over the visible subgraph within ``depth`` (1..3) hops of
    both groups (at most ``limit`` entities, 1..50,000). A broker's score is the share of the connected
    pairs' shortest paths through it; members of either group are not listed; the ``first`` (1..100)
    best, highest first, then by the id shown. Ties as in :func:`syndicates` (``SANCTIONED`` and
    ``AT_BANK`` left out unless named). ``case_a`` / ``case_b`` in place of a group (that group
    empty): the case's visible members, the case left out of the scope (module docstring); a
    member of a case who is in the other group too is in neither, so that it is scored as the link
    it is. Raises NotFound (a group member or a case unknown or hidden), InvalidArgument and
    StoreTimeout."""
    check_range("first", first, 1, 100)
    a, left_a = await _seeds(store, principal, group_a, case_a, "groupA")
    b, left_b = await _seeds(store, principal, group_b, case_b, "groupB")
    common = set(a) & set(b)
    a = [x for x in a if case_a is None or x not in common]
    b = [x for x in b if case_b is None or x not in common]
    if not a or not b:
        raise InvalidArgument("both groups need at least one id")
    if set(a) & set(b):
        raise InvalidArgument("the two groups must not share an id")
    types, excluded = tie_types(relationship_types, exclude_relationship_types)
    scope = await _scope(store, principal, [*a, *b], depth, types, excluded, None, None, limit,
                         [*left_a, *left_b])
    graph, order = _graph(scope)
    index = {x: v for v, x in enumerate(order)}
    sources, targets = [index[i] for i in a if i in index], [index[i] for i in b if i in index]
    component = graph.connected_components().membership
    connected = sum(1 for s in sources for t in targets if component[s] == component[t])
    ranked: list[tuple[int, float]] = []
    if connected:
        # igraph halves undirected betweenness (a pair is walked from both ends) even for disjoint groups.
        raw = graph.betweenness(directed=False, sources=sources, targets=targets)
        groups = set(a) | set(b)
        ranked = sorted(((v, round(2 * s / connected, 6)) for v, s in enumerate(raw)
                         if s > 0 and order[v] not in groups), key=lambda x: (-x[1], x[0]))[:first]
    picked = [*a, *b, *(order[v] for v, _ in ranked)]
    listed = list(dict.fromkeys([x for x in picked if x in index] + scope.ids))[:MAX_SHOWN]
    keep = set(listed)
    listed = [x for x in scope.ids if x in keep]
    sub = await shown_subgraph(store, principal, listed, scope.shown, types, None, None,
                               scope.truncated or len(listed) < len(order), excluded)
    nodes = {n.id: n for n in sub.nodes}
    return Brokers(brokers=[Broker(nodes[order[v]], s) for v, s in ranked if order[v] in nodes], subgraph=sub)
