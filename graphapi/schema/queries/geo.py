"""``nearby`` and ``within``: the visible positioned entities near a point or inside a box. Thin:
unwrap enums, call ``graphapi.investigate.geo``, shape the answer (``graphapi.schema.types.geo``)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import geo
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Label
from graphapi.schema.types.geo import GeoHits


def _labels(labels: list[Label] | None) -> list[str] | None:
    return [lb.value for lb in labels] if labels is not None else None


@strawberry.type
class GeoQuery:
    @strawberry.field(
        description=(
            "Visible entities with a position (lat/lon: compounds, checkpoints, addresses) within `radiusKm` "
            f"(0 < r <= {geo.MAX_RADIUS_KM:g}, default 10) great-circle km of (`lat` -90..90, `lon` -180..180, WGS 84 "
            "degrees), nearest first, then by id. `labels` limits the labels (positioned ones only); `limit` "
            f"1..{geo.MAX_LIMIT}. Error BAD_USER_INPUT."
        )
    )
    async def nearby(
        self,
        info: Info[Context, None],
        lat: float,
        lon: float,
        radius_km: float = 10,
        labels: list[Label] | None = None,
        limit: int = 100,
    ) -> GeoHits | None:
        ctx = info.context
        found = await geo.nearby(ctx.store, ctx.principal, lat, lon, radius_km=radius_km, labels=_labels(labels),
                                 limit=limit)
        return await ctx.shown.ready(GeoHits.from_record(found, ctx.shown))

    @strawberry.field(
        description=(
            "Visible entities with a position inside `bbox` = [west, south, east, north] (WGS 84 degrees, the "
            "RFC 7946 order; west > east crosses the antimeridian), by id. `labels` limits the labels (positioned "
            f"ones only); `limit` 1..{geo.MAX_LIMIT}. Error BAD_USER_INPUT."
        )
    )
    async def within(
        self,
        info: Info[Context, None],
        bbox: list[float],
        labels: list[Label] | None = None,
        limit: int = 100,
    ) -> GeoHits | None:
        ctx = info.context
        found = await geo.within(ctx.store, ctx.principal, bbox, labels=_labels(labels), limit=limit)
        return await ctx.shown.ready(GeoHits.from_record(found, ctx.shown))
