"""``neighborhood`` and ``expand``: the subgraph around entities, for link charts; ``edgesAmong``:
the relationships among a chart's entities."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import expand as expansion
from graphapi.investigate.args import check_id, check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Label, RelationshipType, type_names
from graphapi.schema.types.subgraph import Subgraph


@strawberry.type
class NeighborhoodQuery:
    @strawberry.field(
        description=(
            "Visible entities within `depth` (1..3) hops of the entity `id` and the relationships among them. "
            "`relationshipTypes` limits the types followed, `excludeRelationshipTypes` leaves types out (neither "
            "followed nor drawn; a type in both is BAD_USER_INPUT), `labels` the entities admitted (the start always "
            "is), `limit` (1..1000) the node count; `truncated` says whether anything was cut. Errors NOT_FOUND, "
            "BAD_USER_INPUT."
        )
    )
    async def neighborhood(
        self,
        info: Info[Context, None],
        id: str,
        depth: int = 1,
        relationship_types: list[RelationshipType] | None = None,
        labels: list[Label] | None = None,
        limit: int = 100,
        exclude_relationship_types: list[RelationshipType] | None = None,
    ) -> Subgraph | None:
        ctx = info.context
        given = check_id("id", id)
        ids = await ctx.lookup_ids([given])
        real = ids.lookup
        with ids.naming():
            sub = await expansion.neighborhood(
                ctx.store, ctx.principal, real[0], depth=depth,
                relationship_types=[t.value for t in relationship_types] if relationship_types is not None else None,
                labels=[lb.value for lb in labels] if labels is not None else None,
                limit=limit, exclude_relationship_types=type_names(exclude_relationship_types),
            )
        return await ctx.shown.ready(Subgraph.from_record(sub, ctx.shown))

    @strawberry.field(
        description=(
            f"Visible entities within `depth` (1..{expansion.MAX_EXPAND_DEPTH}) hops of the entities `ids` "
            f"(1..{expansion.MAX_SEEDS}) and the relationships among them, supernode-aware: each entity admits at most "
            f"`limitPerNode` (1..{expansion.MAX_PER_NODE}; default the server's supernode degree) neighbours, the most "
            "recently related first, then by the relationship's weight (amount, share, duration), then by id, and "
            "one that had more is listed in `truncatedNodes` with `shown` and `total` (visible neighbours). "
            "`relationshipTypes` limits the types followed and `excludeRelationshipTypes` leaves types out (not "
            "followed, counted in `total` or drawn; a type in both is BAD_USER_INPUT); `labels` and `countries` "
            "(ISO 3166-1 alpha-2 codes an entity is tied to) the entities admitted (the seeds always are); "
            "`since`/`until` (ISO 8601, inclusive) the relationships' dates (undated ones pass); `limit` (1..1000) "
            "the node count. Errors NOT_FOUND, BAD_USER_INPUT."
        )
    )
    async def expand(
        self,
        info: Info[Context, None],
        ids: list[str],
        depth: int = 1,
        relationship_types: list[RelationshipType] | None = None,
        labels: list[Label] | None = None,
        countries: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        limit_per_node: int | None = None,
        limit: int = 100,
        exclude_relationship_types: list[RelationshipType] | None = None,
    ) -> Subgraph | None:
        ctx = info.context
        given = check_ids("ids", ids)
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await expansion.expand(
                ctx.store, ctx.principal, real, depth=depth,
                relationship_types=[t.value for t in relationship_types] if relationship_types is not None else None,
                labels=[lb.value for lb in labels] if labels is not None else None,
                countries=countries, since=since, until=until, limit_per_node=limit_per_node, limit=limit,
                exclude_relationship_types=type_names(exclude_relationship_types),
            )
        return await ctx.shown.ready(Subgraph.from_expansion(found, ctx.shown))

    @strawberry.field(
        description=(
            f"The visible entities among `ids` (1..{expansion.MAX_LIMIT}, e.g. what a chart shows) and every visible "
            "relationship among them; unknown or hidden ids are left out. Error BAD_USER_INPUT."
        )
    )
    async def edges_among(self, info: Info[Context, None], ids: list[str]) -> Subgraph | None:
        ctx = info.context
        given = check_ids("ids", ids)
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            sub = await expansion.edges_among(ctx.store, ctx.principal, real)
        return await ctx.shown.ready(Subgraph.from_record(sub, ctx.shown))
