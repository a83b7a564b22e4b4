"""``entity(id)`` and ``entities(ids)``: look entities up by Lintas id."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.args import check_id, check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.entity import Entity, entity_from_node

#: Ids per ``entities`` call at most.
MAX_IDS = 1000


@strawberry.type
class EntityQuery:
    @strawberry.field(
        description="The entity with this Lintas id. Error NOT_FOUND if no visible entity has it."
    )
    async def entity(self, info: Info[Context, None], id: str) -> Entity | None:
        id = check_id("id", id)
        ctx = info.context
        given = await ctx.lookup_ids([id])
        node = await ctx.loaders.nodes.load(given.lookup[0])
        if node is None:
            raise NotFound.no_entity(id)
        return entity_from_node(node)

    @strawberry.field(
        description=(
            f"Entities by Lintas id (at most {MAX_IDS}), in the order asked; null where no visible "
            "entity has the id."
        )
    )
    async def entities(self, info: Info[Context, None], ids: list[str]) -> list[Entity | None]:
        if len(ids) > MAX_IDS:
            raise InvalidArgument(f"ids may hold at most {MAX_IDS} ids, got {len(ids)}")
        ctx = info.context
        given = await ctx.lookup_ids(check_ids("ids", ids))
        nodes = await ctx.loaders.nodes.load_many(given.lookup)
        return [entity_from_node(n) if n is not None else None for n in nodes]
