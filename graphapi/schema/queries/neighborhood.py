"""``neighborhood``: the subgraph around an entity, for link charts."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import expand
from graphapi.investigate.args import check_id
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Label, RelationshipType
from graphapi.schema.types.subgraph import Subgraph
from graphapi.security.victim_lookup import lookup_ids


@strawberry.type
class NeighborhoodQuery:
    @strawberry.field(
        description=(
            "Visible entities within `depth` (1..3) hops of the entity `id` and the relationships among them. "
            "`relationshipTypes` limits the types followed, `labels` the entities admitted (the start always is), "
            "`limit` (1..1000) the node count; `truncated` says whether anything was cut. Errors NOT_FOUND, "
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
    ) -> Subgraph:
        ctx = info.context
        given = check_id("id", id)
        ids = await lookup_ids(ctx.store, ctx.principal, loader=ctx.loaders.protected, given=[given])
        real = ids.lookup
        with ids.naming():
            sub = await expand.neighborhood(
                ctx.store, ctx.principal, real[0], depth=depth,
                relationship_types=[t.value for t in relationship_types] if relationship_types is not None else None,
                labels=[lb.value for lb in labels] if labels is not None else None,
                limit=limit,
            )
        return Subgraph.from_record(sub)
