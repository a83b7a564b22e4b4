"""``syndicates`` and ``brokers``: communities and brokers over the visible subgraph around seeds.
Thin: unwrap enums, call ``graphapi.investigate.syndicates``, shape the answer."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import syndicates as detection
from graphapi.investigate.args import check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.enums import RelationshipType, type_names
from graphapi.schema.types.syndicates import Brokers, Syndicates

#: What the scope's ties are, said once for both fields: SANCTIONED is left out by default.
_TIES = (
    "`relationshipTypes` limits the types that tie entities; `excludeRelationshipTypes` leaves types out. When it is "
    "not given (or null), SANCTIONED is left out (a sanctions programme node joins every entity "
    "listed under it and would be everyone's hub and broker: a designation is an attribute, not a tie) unless "
    "`relationshipTypes` names it; pass `excludeRelationshipTypes: []` to count it. A type in both is BAD_USER_INPUT."
)


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
            f"`scopeSize` and `communityCount` give the totals. {_TIES} `since`/`until` (ISO 8601) bound the ties' "
            "dates. Errors NOT_FOUND, BAD_USER_INPUT, TIMEOUT (past the scope's time budget)."
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
        exclude_relationship_types: list[RelationshipType] | None = None,
    ) -> Syndicates:
        ctx = info.context
        given = check_ids("ids", ids)
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await detection.syndicates(ctx.store, ctx.principal, real, depth=depth,
                                               relationship_types=type_names(relationship_types), since=since,
                                               until=until, limit=limit,
                                               exclude_relationship_types=type_names(exclude_relationship_types))
        return await ctx.shown.ready(Syndicates.from_record(found, ctx.shown))

    @strawberry.field(
        description=(
            "Brokers between two groups of entities (`groupA`, `groupB`, disjoint): the entities through which the "
            "shortest visible paths between them run, scored by the share of those paths through each, over the "
            f"visible subgraph within `depth` (1..{detection.MAX_DEPTH}) hops of both groups (at most `limit` "
            f"1..{detection.MAX_SCOPE:,} entities; `subgraph` shows at most {detection.MAX_SHOWN:,} of them); members "
            f"of either group are not listed; the `first` (1..100) best. {_TIES} Errors NOT_FOUND, BAD_USER_INPUT, "
            "TIMEOUT."
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
        exclude_relationship_types: list[RelationshipType] | None = None,
    ) -> Brokers:
        ctx = info.context
        given = [*check_ids("groupA", group_a), *check_ids("groupB", group_b)]
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await detection.brokers(ctx.store, ctx.principal, real[:len(group_a)], real[len(group_a):],
                                            depth=depth, relationship_types=type_names(relationship_types),
                                            limit=limit, first=first,
                                            exclude_relationship_types=type_names(exclude_relationship_types))
        return await ctx.shown.ready(Brokers.from_record(found, ctx.shown))
