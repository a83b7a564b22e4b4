"""``entity(id)`` and ``entities(ids)``: look entities up by Lintas id."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.args import check_id, check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.entity import Entity

#: Ids per ``entities`` call at most.
MAX_IDS = 1000


@strawberry.type
class EntityQuery:
    @strawberry.field(
        description=("The entity with this Lintas id (or its Relay id, `Entity.id`). Error NOT_FOUND if no "
                     "visible entity has it.")
    )
    async def entity(self, info: Info[Context, None], id: str) -> Entity | None:
        id = check_id("id", id)
        ctx = info.context
        node = (await ctx.given_entities([id]))[0]
        if node is None:
            raise NotFound.no_entity(id)
        return await ctx.shown.ready(ctx.shown.entity(node))

    @strawberry.field(
        description=(
            f"Entities by Lintas id (at most {MAX_IDS}), in the order asked; null where no visible "
            "entity has the id."
        )
    )
    async def entities(self, info: Info[Context, None], ids: list[str]) -> list[Entity | None] | None:
        if len(ids) > MAX_IDS:
            raise InvalidArgument(f"ids may hold at most {MAX_IDS} ids, got {len(ids)}")
        ctx = info.context
        nodes = await ctx.given_entities(check_ids("ids", ids))
        return await ctx.shown.ready([ctx.shown.entity(n) if n is not None else None for n in nodes])
