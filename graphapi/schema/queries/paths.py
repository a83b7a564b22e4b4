"""``shortestPaths``: every shortest visible path between two entities; ``paths``: shortest, all
shortest or k shortest, with direction, avoided entities, dates and border conditions."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import path_modes, paths
from graphapi.investigate.args import check_id, check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Direction, RelationshipType, type_names
from graphapi.schema.types.path import Path, PathMode, PathSearch


@strawberry.type
class PathsQuery:
    @strawberry.field(
        description=(
            "All shortest paths (ignoring direction) between the entities `fromId` and `toId` through visible "
            "entities and relationships only, of at most `maxHops` (1..8) hops; at most `limit` (1..100) paths. "
            "`relationshipTypes` limits the types stepped along, `excludeRelationshipTypes` leaves types out (a type "
            "in both is BAD_USER_INPUT). Empty when none exists. Errors NOT_FOUND, BAD_USER_INPUT."
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
        exclude_relationship_types: list[RelationshipType] | None = None,
    ) -> list[Path] | None:
        ctx = info.context
        given = [check_id("fromId", from_id), check_id("toId", to_id)]
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await paths.shortest_paths(
                ctx.store, ctx.principal, real[0], real[1], max_hops=max_hops,
                relationship_types=type_names(relationship_types), limit=limit,
                exclude_relationship_types=type_names(exclude_relationship_types),
            )
        return await ctx.shown.ready([Path.from_record(p, ctx.shown) for p in found])

    @strawberry.field(
        description=(
            "Visible paths from `fromId` to `toId` of at most `maxHops` (1..8) hops, shortest first, each with the "
            "borders it crosses. `mode`: SHORTEST (one), ALL_SHORTEST (every shortest, at most `limit` 1..100) or "
            f"K_SHORTEST (the `k` 1..{path_modes.MAX_K} shortest loopless paths). `direction`: OUT follows "
            "relationships from `fromId` on, IN goes against them, BOTH either way. `relationshipTypes` limits the "
            "types stepped along; `excludeRelationshipTypes` leaves types out (a type in both is BAD_USER_INPUT; "
            "[SANCTIONED] keeps paths off the sanctions programme nodes, which join every entity listed under "
            "them). `avoidIds` (at most "
            f"{path_modes.MAX_AVOID}): entities no path passes through. `since`/`until` (ISO 8601, inclusive) bound "
            "every relationship's date (undated ones pass). `crossBorder`: only paths that cross a border; "
            "`viaCountries`: only paths with an entity between the ends in one of these ISO 3166-1 alpha-2 "
            "countries. Errors NOT_FOUND, BAD_USER_INPUT (also when more than "
            f"{path_modes.REGION_CAP} relationships lie within reach: name relationshipTypes or lower maxHops)."
        )
    )
    async def paths(
        self,
        info: Info[Context, None],
        from_id: str,
        to_id: str,
        mode: PathMode = PathMode.SHORTEST,
        k: int = 3,
        max_hops: int = 6,
        relationship_types: list[RelationshipType] | None = None,
        direction: Direction = Direction.BOTH,
        avoid_ids: list[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        cross_border: bool = False,
        via_countries: list[str] | None = None,
        limit: int = 10,
        exclude_relationship_types: list[RelationshipType] | None = None,
    ) -> PathSearch | None:
        ctx = info.context
        given = [check_id("fromId", from_id), check_id("toId", to_id), *check_ids("avoidIds", avoid_ids or [])]
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await path_modes.paths(
                ctx.store, ctx.principal, real[0], real[1], mode=mode.value, k=k, max_hops=max_hops,
                relationship_types=type_names(relationship_types), direction=direction.value, avoid_ids=real[2:],
                since=since, until=until, cross_border=cross_border, via_countries=via_countries, limit=limit,
                exclude_relationship_types=type_names(exclude_relationship_types),
            )
        return await ctx.shown.ready(PathSearch.from_record(found, ctx.shown))
