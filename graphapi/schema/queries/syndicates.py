"""``syndicates`` and ``brokers``: communities and brokers over the visible subgraph around seeds.
Thin: unwrap enums, call ``graphapi.investigate.syndicates``, shape the answer."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import syndicates as detection
from graphapi.investigate.args import check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.enums import RelationshipType
from graphapi.schema.types.syndicates import Brokers, Syndicates


def _types(relationship_types: list[RelationshipType] | None) -> list[str] | None:
    return [t.value for t in relationship_types] if relationship_types is not None else None


@strawberry.type
class SyndicatesQuery:
    @strawberry.field(
        description=(
            f"Communities (Leiden, modularity, fixed seed: the same visible scope always gives the same answer), "
            f"weakly connected components, PageRank and betweenness over the visible subgraph within `depth` "
            f"(1..{detection.MAX_DEPTH}) hops of the entities `ids` (1..100): at most `limit` "
            f"(1..{detection.MAX_SCOPE:,}) entities, the nearer hops first; the hop that overflows `limit` keeps the "
            "entities most tied to the scope (`subgraph.truncated` then). At most "
            f"{detection.MAX_SHOWN:,} members are listed (all of a scope that small, else the most central of the "
            f"largest communities) and the {detection.MAX_COMMUNITIES} largest communities summarised; "
            "`scopeSize` and `communityCount` give the totals. `relationshipTypes` and `since`/`until` (ISO 8601) "
            "limit what ties count. Errors NOT_FOUND, BAD_USER_INPUT, TIMEOUT (past the scope's time budget)."
        )
    )
    async def syndicates(
        self,
        info: Info[Context, None],
        ids: list[str],
        depth: int = 2,
        relationship_types: list[RelationshipType] | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 500,
    ) -> Syndicates:
        ctx = info.context
        given = check_ids("ids", ids)
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await detection.syndicates(ctx.store, ctx.principal, real, depth=depth,
                                               relationship_types=_types(relationship_types), since=since,
                                               until=until, limit=limit)
        return Syndicates.from_record(found)

    @strawberry.field(
        description=(
            "Brokers between two groups of entities (`groupA`, `groupB`, disjoint): the entities through which the "
            "shortest visible paths between them run, scored by the share of those paths through each, over the "
            f"visible subgraph within `depth` (1..{detection.MAX_DEPTH}) hops of both groups (at most `limit` "
            f"1..{detection.MAX_SCOPE:,} entities; `subgraph` shows at most {detection.MAX_SHOWN:,} of them); members "
            "of either group are not listed; the `first` (1..100) best. Errors NOT_FOUND, BAD_USER_INPUT, TIMEOUT."
        )
    )
    async def brokers(
        self,
        info: Info[Context, None],
        group_a: list[str],
        group_b: list[str],
        depth: int = 2,
        relationship_types: list[RelationshipType] | None = None,
        limit: int = 500,
        first: int = 10,
    ) -> Brokers:
        ctx = info.context
        given = [*check_ids("groupA", group_a), *check_ids("groupB", group_b)]
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await detection.brokers(ctx.store, ctx.principal, real[:len(group_a)], real[len(group_a):],
                                            depth=depth, relationship_types=_types(relationship_types),
                                            limit=limit, first=first)
        return Brokers.from_record(found)
