"""``node(id: ID!)``: the Relay refetch field, by global id."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_id
from graphapi.schema.context import Context
from graphapi.schema.types.entity import registered_types


def decode_global_id(value: str) -> tuple[str, str]:
    """``(label, lintas id)`` from a global id; InvalidArgument if it is not one of ours."""
    try:
        gid = relay.GlobalID.from_id(value)
    except Exception:  # strawberry raises its own GlobalIDValueError for bad base64 / no colon
        raise InvalidArgument(f"{value!r} is not a valid global id") from None
    if gid.type_name not in registered_types():
        raise InvalidArgument(f"{value!r} is not a valid global id")
    return gid.type_name, check_id("id", gid.node_id)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description=(
            "Refetch any entity by its Relay global id (`Entity.id`). Null if no visible entity has it "
            "(hidden and missing look the same)."
        )
    )
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> relay.Node | None:
        label, node_id = decode_global_id(id)
        ctx = info.context
        node = (await ctx.given_entities([node_id]))[0]
        if node is None or node.label != label:
            return None
        return await ctx.shown.ready(ctx.shown.entity(node))
