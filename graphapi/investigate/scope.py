"""The scope of a syndicate analysis: the visible subgraph within k hops of seeds, read lean.

Breadth-first from the seeds. Every entity of the scope is expanded exactly once, by the
``analytics/scope_ties`` statement (ids only: each frontier entity and the ids of its visible
neighbours, one per visible relationship), a chunk of frontier per round trip; the entities of the
last hop are expanded too, so that the ties among them are known, without admitting new ones. The
work is linear in the scope's ties whatever the depth, and no property map crosses the wire:
properties are fetched only for what an answer shows (:func:`shown_subgraph`).

Visibility stays in the Cypher: a hidden entity or relationship is never read, so it is never
passed through, counted, or able to change which entities a budget keeps.

Budgets: ``limit`` entities at most (the node budget). The hop that overflows it admits the
entities with the most visible ties to those already in first, then by their ``vid:`` token
(``graphapi.security.victim_ids``: a pseudo-random function of the id under the server's key,
computed for every entity of that run alike), never by a stored id, whose place among visible ids
would narrow a victim's; ``truncated`` says the budget cut. The cut is the same on every call for
the same visible graph. A time budget (``time_budget_s``) bounds the reads: past it the call ends
with :class:`~graphapi.store.StoreTimeout` (GraphQL ``TIMEOUT``), never with an answer cut by
the clock, which would differ from one call to the next.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from graphapi.errors import NotFound
from graphapi.investigate.args import check_relationship_types, check_time_range
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.expand import EDGES_PER_NODE, Subgraph
from graphapi.investigate.shown_order import ShownIds
from graphapi.security import Principal
from graphapi.security.redaction import protected_ids
from graphapi.security.victim_ids import victim_ids
from graphapi.store import GraphStore, StoreTimeout
from graphapi.store.records import relationship_from_map

#: Frontier ids per round trip: keeps each statement's text and answer moderate (FalkorDB's
#: client sends parameters inside the query text) and lets the time budget be checked between.
CHUNK = 5_000
#: Seconds of reads a scope may take at most (the issue's target is 5 s for 50,000 entities).
TIME_BUDGET_S = 30.0


@dataclass(frozen=True)
class Scope:
    """The entities of a scope and the ties among them.

    ``ids``: in scope order (seeds first, then hop by hop; within a hop the most tied to the
    entities before it first, then by the id shown). ``ties``: ``{(i, j): n}`` with ``i < j``
    positions in ``ids`` and ``n`` the number of visible relationships between the two (parallel
    relationships weigh one tie). ``shown``: which ids are shown as tokens to the reader.
    ``truncated``: the node budget left out entities within reach."""

    ids: list[str]
    ties: dict[tuple[int, int], int]
    shown: ShownIds
    truncated: bool


class _Reader:
    """Runs ``analytics/scope_ties`` chunk by chunk within the time budget; counts the ties read."""

    def __init__(self, store: GraphStore, params: dict, budget_s: float) -> None:
        self.store, self.params = store, params
        self.deadline = time.monotonic() + budget_s
        self.ties_read = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise StoreTimeout("syndicate scope: past its time budget")

    async def neighbours(self, frontier: Sequence[str]) -> list[tuple[str, list[str]]]:
        out: list[tuple[str, list[str]]] = []
        for start in range(0, len(frontier), CHUNK):
            rows = await self.store.read("analytics/scope_ties", {"ids": list(frontier[start:start + CHUNK]),
                                                                   **self.params})
            self.check_time()
            for row in rows:
                others = row["others"]
                self.ties_read += len(others)
                out.append((row["id"], others))
        return out


def _admitted(fresh: Counter[str], room: int) -> list[str]:
    """The ``room`` entities of ``fresh`` (id -> ties to the scope) a full hop admits: most tied
    first; the run of equally tied ones the cut falls in is ordered by token (see the module
    docstring), so the cut depends on neither a stored id nor the store's order."""
    if len(fresh) <= room:
        return list(fresh)
    ranked = sorted(fresh, key=fresh.__getitem__, reverse=True)
    boundary = fresh[ranked[room - 1]] if room else None
    kept = [x for x in ranked if boundary is not None and fresh[x] > boundary]
    token = victim_ids().opaque
    run = sorted((x for x in ranked if fresh[x] == boundary), key=token)
    return kept + run[:room - len(kept)]


async def _protected(store: GraphStore, principal: Principal, ids: Sequence[str]) -> ShownIds:
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        found |= await protected_ids(store, principal, ids[start:start + CHUNK])
    return ShownIds(frozenset(found))


async def read_scope(
    store: GraphStore,
    principal: Principal,
    seeds: Sequence[str],
    depth: int,
    limit: int,
    relationship_types: Sequence[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    time_budget_s: float | None = None,
    excluded: Sequence[str] = (),
    leave_out: Sequence[str] = (),
) -> Scope:
    """The visible scope within ``depth`` hops of ``seeds`` (checked by the caller), ``limit``
    entities at most (see the module docstring). ``relationship_types`` and ``since``/``until``
    (ISO 8601, inclusive, on a relationship's date; undated pass) limit the ties followed and
    counted; ``excluded`` (checked by the caller) are relationship types never followed nor
    counted; ``leave_out``: entities never admitted (a case whose members are the seeds), so
    neither they nor their ties are in the scope. Raises NotFound (a seed unknown or hidden),
    InvalidArgument, StoreTimeout."""
    wanted = list(dict.fromkeys(seeds))
    params = {"types": check_relationship_types(relationship_types), "excluded": list(excluded),
              **dict(zip(("since", "until"), check_time_range(since, until), strict=True)),
              **principal.cypher_params()}
    found = await get_nodes(store, principal, wanted)
    for seed in wanted:
        if seed not in found:
            raise NotFound.no_entity(seed)
    reader = _Reader(store, params, TIME_BUDGET_S if time_budget_s is None else time_budget_s)
    order = wanted[:limit]
    index = {x: i for i, x in enumerate(order)}
    hop_of, tied = {x: 0 for x in order}, {x: 0 for x in order}
    cut = len(wanted) > limit
    never = set(leave_out) - set(order)
    ties: Counter[tuple[int, int]] = Counter()
    start = 0
    for hop in range(depth + 1):
        end = len(order)
        if start == end:
            break
        admitting = hop < depth and not cut
        fresh: Counter[str] = Counter()
        to_fresh: list[tuple[int, str]] = []
        for node_id, others in await reader.neighbours(order[start:end]):
            a = index[node_id]
            for other in others:
                b = index.get(other)
                if b is None:
                    if admitting and other not in never:
                        fresh[other] += 1
                        to_fresh.append((a, other))
                elif start <= b and a < b:  # a tie within the frontier shows from both ends: once
                    ties[(a, b)] += 1
                elif b < start:  # expanded before: its side counted this tie then
                    continue
        if admitting:
            room = limit - len(order)
            cut = len(fresh) > room
            for x in _admitted(fresh, room):
                index[x] = len(order)
                order.append(x)
                hop_of[x], tied[x] = hop + 1, fresh[x]
            for a, other in to_fresh:
                b = index.get(other)
                if b is not None:
                    ties[(a, b)] += 1
        start = end
    shown = await _protected(store, principal, order)
    ranked = sorted(order, key=lambda x: (hop_of[x], -tied[x], shown.node(x)))
    position = {x: i for i, x in enumerate(ranked)}
    moved: dict[tuple[int, int], int] = {}
    for (a, b), n in ties.items():
        i, j = position[order[a]], position[order[b]]
        moved[(i, j) if i < j else (j, i)] = n
    return Scope(ids=ranked, ties=moved, shown=shown, truncated=cut)


async def country_codes(store: GraphStore, principal: Principal, ids: Sequence[str]) -> dict[str, list[str]]:
    """``{id: ISO 3166-1 alpha-2 codes}`` of the entities ``ids`` tied to a country (statement
    ``analytics/scope_countries``), a chunk per round trip."""
    out: dict[str, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = await store.read("analytics/scope_countries", {"ids": list(ids[start:start + CHUNK]),
                                                               **principal.cypher_params()})
        out.update((r["id"], list(r["codes"])) for r in rows)
    return out


async def shown_subgraph(store: GraphStore, principal: Principal, ids: Sequence[str], shown: ShownIds,
                         relationship_types: Sequence[str] | None, since: str | None, until: str | None,
                         truncated: bool, excluded: Sequence[str] = ()) -> Subgraph:
    """The entities ``ids`` (in that order, with their properties) and the visible relationships
    among them that the scope followed (of ``relationship_types``, not of ``excluded``; at most 20
    per entity: ``truncated`` if more), ordered by the ids shown; two round trips."""
    nodes = await get_nodes(store, principal, ids)
    since_at, until_at = check_time_range(since, until)
    cap = len(nodes) * EDGES_PER_NODE
    rows = await store.read(
        "expand/edges_among",
        {"ids": list(nodes), "types": check_relationship_types(relationship_types), "excluded": list(excluded),
         "since": since_at, "until": until_at, "limit": cap + 1, **principal.cypher_params()},
    ) if nodes else []
    edges = sorted((relationship_from_map(r["rel"]) for r in rows[:cap]), key=shown.relationship)
    return Subgraph(nodes=[nodes[i] for i in ids if i in nodes], edges=edges, truncated=truncated or len(rows) > cap)
