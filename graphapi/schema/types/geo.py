"""GraphQL types of the geo fields (``nearby``, ``within``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from graphapi.investigate import geo
from graphapi.investigate.expand import Subgraph as SubgraphRecord
from graphapi.schema.types.analytics import shown_subgraph
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.subgraph import Subgraph

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


@strawberry.type(description="A positioned entity (WGS 84 degrees) and, for `nearby`, how far it is.")
class GeoHit:
    entity: Entity
    lat: float = strawberry.field(description="Latitude, degrees.")
    lon: float = strawberry.field(description="Longitude, degrees.")
    distance_km: float | None = strawberry.field(
        description="`nearby`: great-circle distance from the centre, km (mean Earth radius); `within`: null.")


@strawberry.type(description="Positioned entities, and the same as a subgraph (its `geojson` draws them on a map).")
class GeoHits:
    hits: list[GeoHit] = strawberry.field(description="`nearby`: nearest first, then by id; `within`: by id.")
    subgraph: Subgraph = strawberry.field(description="The hits' entities (no edges), for `geojson`.")
    truncated: bool = strawberry.field(description="True if `limit` or the read budget left some out.")

    @classmethod
    def from_record(cls, found: geo.GeoHits, shown: Shown) -> GeoHits:
        """Build from the service's ``GeoHits``."""
        return cls(
            hits=[GeoHit(entity=shown.entity(h.node), lat=h.lat, lon=h.lon, distance_km=h.distance_km)
                  for h in found.hits],
            subgraph=shown_subgraph(SubgraphRecord(nodes=[h.node for h in found.hits], edges=[],
                                                   truncated=found.truncated), shown),
            truncated=found.truncated,
        )
