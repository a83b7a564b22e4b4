"""``shortestPaths``: every shortest visible path between two entities."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import paths
from graphapi.investigate.args import check_id
from graphapi.schema.context import Context
from graphapi.schema.types.enums import RelationshipType
from graphapi.schema.types.path import Path
from graphapi.security.victim_lookup import lookup_ids


@strawberry.type
class PathsQuery:
    @strawberry.field(
        description=(
            "All shortest paths (ignoring direction) between the entities `fromId` and `toId` through visible "
            "entities and relationships only, of at most `maxHops` (1..8) hops; at most `limit` (1..100) paths. "
            "Empty when none exists. Errors NOT_FOUND, BAD_USER_INPUT."
        )
    )
    async def shortest_paths(
        self,
        info: Info[Context, None],
        from_id: str,
        to_id: str,
        max_hops: int = 8,
        relationship_types: list[RelationshipType] | None = None,
        limit: int = 10,
    ) -> list[Path]:
        ctx = info.context
        given = [check_id("fromId", from_id), check_id("toId", to_id)]
        ids = await lookup_ids(ctx.store, ctx.principal, loader=ctx.loaders.protected, given=given)
        real = ids.lookup
        with ids.naming():
            found = await paths.shortest_paths(
                ctx.store, ctx.principal, real[0], real[1], max_hops=max_hops,
                relationship_types=[t.value for t in relationship_types] if relationship_types is not None else None,
                limit=limit,
            )
        return [Path.from_record(p) for p in found]
