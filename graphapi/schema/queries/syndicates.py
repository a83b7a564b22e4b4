"""``syndicates`` and ``brokers``: communities and brokers over the visible subgraph around seeds
or a case's members. Thin: unwrap enums and ids, call ``graphapi.investigate.syndicates``, shape
the answer."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument
from graphapi.investigate import syndicates as detection
from graphapi.investigate.args import check_id, check_ids, check_range
from graphapi.schema.context import Context
from graphapi.schema.types.enums import RelationshipType, type_names
from graphapi.schema.types.syndicates import Brokers, Syndicates

#: What the scope's ties are, said once for both fields: SANCTIONED and AT_BANK are left out by default.
_TIES = (
    "`relationshipTypes` limits the types that tie entities; `excludeRelationshipTypes` leaves types out. When it is "
    "not given (or null), SANCTIONED and AT_BANK are left out (a sanctions programme node joins every entity "
    "listed under it, a bank every account kept at it, and would be everyone's hub and broker: a designation or a "
    "bank is an attribute, not a tie) unless `relationshipTypes` names them; pass `excludeRelationshipTypes: []` to "
    "count them. A type in both is BAD_USER_INPUT."
)
#: What a case in place of ids means, said once for both fields.
_CASE = (
    "A case's members are the people and organisations its visible INVOLVED_IN links name (at most 100); the "
    "case itself is left out of the scope (every member is tied to it: it would be everyone's hub). A case unknown "
    "or hidden is NOT_FOUND alike; an id that is no case, or a case with no member the reader sees, BAD_USER_INPUT."
)


@strawberry.type
class SyndicatesQuery:
    @strawberry.field(
        description=(
            f"Communities (Leiden, modularity, fixed seed: the same visible scope always gives the same answer), "
            f"weakly connected components, PageRank and betweenness over the visible subgraph within `depth` "
            f"(1..{detection.MAX_DEPTH}) hops of the entities `ids` (1..100), or of the members of the case `caseId` "
            f"(give one of the two): at most `limit` "
            f"(1..{detection.MAX_SCOPE:,}) entities, the nearer hops first; the hop that overflows `limit` keeps the "
            "entities most tied to the scope (`subgraph.truncated` then). At most "
            f"{detection.MAX_SHOWN:,} members are listed (all of a scope that small, else the most central of the "
            f"largest communities) and the {detection.MAX_COMMUNITIES} largest communities summarised; "
            f"`scopeSize` and `communityCount` give the totals. {_TIES} `since`/`until` (ISO 8601) bound the ties' "
            f"dates. {_CASE} Errors NOT_FOUND, BAD_USER_INPUT, TIMEOUT (past the scope's time budget)."
        )
    )
    async def syndicates(
        self,
        info: Info[Context, None],
        ids: list[str] | None = None,
        depth: int = 2,
        relationship_types: list[RelationshipType] | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 500,
        exclude_relationship_types: list[RelationshipType] | None = None,
        case_id: str | None = None,
    ) -> Syndicates | None:
        ctx = info.context
        if (ids is None) == (case_id is None):
            raise InvalidArgument("give either ids or caseId")
        given = check_ids("ids", ids) if case_id is None else [check_id("caseId", case_id)]
        looked_up = await ctx.lookup_ids(given)
        real = looked_up.lookup
        with looked_up.naming():
            found = await detection.syndicates(ctx.store, ctx.principal, real if case_id is None else [], depth=depth,
                                               relationship_types=type_names(relationship_types), since=since,
                                               until=until, limit=limit,
                                               exclude_relationship_types=type_names(exclude_relationship_types),
                                               case_id=real[0] if case_id is not None else None)
        return await ctx.shown.ready(Syndicates.from_record(found, ctx.shown))

    @strawberry.field(
        description=(
            "Brokers between two groups of entities (`groupA`, `groupB`, disjoint; either may be a case's members "
            "instead, `groupACaseId`, `groupBCaseId`: someone in both a case and the other group is in neither, "
            "and scored as the link): the entities through which the "
            "shortest visible paths between them run, scored by the share of those paths through each, over the "
            f"visible subgraph within `depth` (1..{detection.MAX_DEPTH}) hops of both groups; members of either "
            f"group are not listed. Two sizes, one per list: `first` (1..100, default 10) is how many brokers are "
            "listed, the best first (a ranking of the scope, not paged: ask for more to see more); `scopeLimit` "
            f"(1..{detection.MAX_SCOPE:,}, default {detection.DEFAULT_SCOPE}) is how many entities the scope reads "
            f"and scores (`subgraph` shows at most {detection.MAX_SHOWN:,} of them); `limit` is its former, "
            f"deprecated name (giving both is BAD_USER_INPUT). {_TIES} {_CASE} Errors NOT_FOUND, BAD_USER_INPUT, "
            "TIMEOUT."
        )
    )
    async def brokers(
        self,
        info: Info[Context, None],
        group_a: list[str] | None = None,
        group_b: list[str] | None = None,
        depth: int = 2,
        relationship_types: list[RelationshipType] | None = None,
        limit: Annotated[int | None, strawberry.argument(
            deprecation_reason="Use `scopeLimit`: `limit` read as the brokers' count beside `first` (trial 7)."
        )] = None,
        first: int = 10,
        exclude_relationship_types: list[RelationshipType] | None = None,
        group_a_case_id: str | None = None,
        group_b_case_id: str | None = None,
        scope_limit: int | None = None,
    ) -> Brokers | None:
        if limit is not None and scope_limit is not None:
            raise InvalidArgument("give scopeLimit (or its former name limit), not both")
        scope = next((n for n in (scope_limit, limit) if n is not None), detection.DEFAULT_SCOPE)
        # said under the name given (the detection's own check names its `limit`)
        check_range("limit" if limit is not None else "scopeLimit", scope, 1, detection.MAX_SCOPE)
        ctx = info.context
        sides = [_side(name, ids, case) for name, ids, case in
                 (("groupA", group_a, group_a_case_id), ("groupB", group_b, group_b_case_id))]
        looked_up = await ctx.lookup_ids([*sides[0], *sides[1]])
        real = looked_up.lookup
        a, b = real[:len(sides[0])], real[len(sides[0]):]
        with looked_up.naming():
            found = await detection.brokers(
                ctx.store, ctx.principal, a if group_a_case_id is None else [], b if group_b_case_id is None else [],
                depth=depth, relationship_types=type_names(relationship_types), limit=scope, first=first,
                exclude_relationship_types=type_names(exclude_relationship_types),
                case_a=a[0] if group_a_case_id is not None else None,
                case_b=b[0] if group_b_case_id is not None else None)
        return await ctx.shown.ready(Brokers.from_record(found, ctx.shown))


def _side(name: str, ids: list[str] | None, case_id: str | None) -> list[str]:
    """A group's ids as given (canonical), or its case's id; BAD_USER_INPUT for both or neither."""
    if (ids is None) == (case_id is None):
        raise InvalidArgument(f"give either {name} or {name}CaseId")
    return check_ids(name, ids) if case_id is None else [check_id(f"{name}CaseId", case_id)]
