"""Where things are: the visible positioned entities near a point (``nearby``) or inside a box
(``within``).

Positioned labels are those the ontology gives ``lat`` and ``lon`` (WGS 84 degrees: Compound,
BorderCheckpoint, Address). The stores' own point functions are not used: FalkorDB's
``distance()`` and Neo4j's ``point.distance()`` are spelled differently and measure on spheres
of different radii, so a place at the edge of a radius would be in one answer and not the other.
Instead a statement per label (``geo/near_box``, ``geo/in_box``; visibility inside) reads the
nodes in a latitude/longitude box, and the great-circle (haversine) distance is measured here on
the IUGG mean Earth radius: the same answer on both backends. A box that crosses the antimeridian
is read as two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_range
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node
from graphapi.store.records import node_from_map

#: IUGG mean Earth radius, km (Moritz 2000, Geodetic Reference System 1980).
EARTH_RADIUS_KM = 6371.0088
#: One degree of latitude, km, on that sphere.
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
MAX_RADIUS_KM = 1_000.0
MAX_LIMIT = 1_000
#: Nodes read per label and box at most in ``nearby`` (nearest first): beyond, ``truncated``.
ROW_CAP = 10_000


def positioned_labels() -> list[str]:
    """The concrete labels the ontology gives both ``lat`` and ``lon``, sorted."""
    return [lb.name for lb in load_model().concrete_labels if {"lat", "lon"} <= set(lb.properties)]


@dataclass(frozen=True)
class GeoHit:
    """A positioned entity; ``distance_km`` from the centre (``nearby``) or None (``within``)."""

    node: Node
    lat: float
    lon: float
    distance_km: float | None = None


@dataclass(frozen=True)
class GeoHits:
    """The hits, and whether a limit or budget left any out."""

    hits: list[GeoHit]
    truncated: bool


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS 84 positions (degrees), on the mean sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def position(node: Node) -> tuple[float, float] | None:
    """``(lat, lon)`` of a node with a valid stored position, else None."""
    lat, lon = node.properties.get("lat"), node.properties.get("lon")
    if isinstance(lat, bool) or isinstance(lon, bool) or not isinstance(lat, int | float) \
            or not isinstance(lon, int | float):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lat), float(lon)


def _check_lat(name: str, value: float) -> float:
    if not (isinstance(value, int | float) and math.isfinite(value) and -90 <= value <= 90):
        raise InvalidArgument(f"{name} must be a latitude between -90 and 90 degrees, got {value}")
    return float(value)


def _check_lon(name: str, value: float) -> float:
    if not (isinstance(value, int | float) and math.isfinite(value) and -180 <= value <= 180):
        raise InvalidArgument(f"{name} must be a longitude between -180 and 180 degrees, got {value}")
    return float(value)


def _check_labels(labels: Sequence[str] | None) -> list[str]:
    known = positioned_labels()
    if labels is None:
        return known
    unknown = sorted(set(labels) - set(known))
    if unknown or not labels:
        raise InvalidArgument(f"labels must be some of the positioned labels {known}, got {sorted(labels)}")
    return sorted(set(labels))


def _boxes(south: float, north: float, west: float, east: float) -> list[tuple[float, float, float, float]]:
    """The box as one or two boxes that do not cross the antimeridian (west > east crosses it)."""
    if west <= east:
        return [(south, north, west, east)]
    return [(south, north, west, 180.0), (south, north, -180.0, east)]


async def nearby(
    store: GraphStore,
    principal: Principal,
    lat: float,
    lon: float,
    radius_km: float = 10,
    labels: Sequence[str] | None = None,
    limit: int = 100,
) -> GeoHits:
    """Visible positioned entities within ``radius_km`` (0 < r <= 1000) of (``lat``, ``lon``),
    nearest first, then by id; ``labels`` some positioned labels (None = all); ``limit`` 1..1000.
    Raises InvalidArgument."""
    lat, lon = _check_lat("lat", lat), _check_lon("lon", lon)
    if not (isinstance(radius_km, int | float) and math.isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        raise InvalidArgument(f"radiusKm must be more than 0 and at most {MAX_RADIUS_KM:g} km, got {radius_km}")
    check_range("limit", limit, 1, MAX_LIMIT)
    wanted = _check_labels(labels)
    dlat = radius_km / KM_PER_DEGREE
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    scale = math.cos(math.radians(lat))
    # The widest longitude span of a spherical cap of angular radius d at latitude phi is
    # asin(sin d / cos phi) either side (wider than d / cos phi: a great circle bulges poleward);
    # a cap that reaches a pole holds every longitude.
    ratio = math.sin(radius_km / EARTH_RADIUS_KM) / scale if scale > 1e-12 else 2.0
    reach = 180.0 if north >= 90 or south <= -90 or ratio >= 1 else math.degrees(math.asin(ratio))
    west, east = (-180.0, 180.0) if reach >= 180 else ((lon - reach + 540) % 360 - 180, (lon + reach + 540) % 360 - 180)
    truncated = False
    found: dict[str, GeoHit] = {}
    for label in wanted:
        for s, n, w, e in _boxes(south, north, west, east):
            rows = await store.read("geo/near_box", {
                "south": s, "north": n, "west": w, "east": e, "lat": lat, "lon": lon, "lonScale": scale,
                "limit": ROW_CAP + 1, "victimData": may_see_victims(principal),
                **principal.cypher_params()}, label=label)
            truncated = truncated or len(rows) > ROW_CAP
            for row in rows[:ROW_CAP]:
                node = node_from_map(row["node"])
                at = position(node)
                if at is None:
                    continue
                km = haversine_km(lat, lon, *at)
                if km <= radius_km:
                    found[node.id] = GeoHit(node, at[0], at[1], km)
    hits = sorted(found.values(), key=lambda h: (h.distance_km, h.node.id))
    return GeoHits(hits[:limit], truncated or len(hits) > limit)


async def within(
    store: GraphStore,
    principal: Principal,
    bbox: Sequence[float],
    labels: Sequence[str] | None = None,
    limit: int = 100,
) -> GeoHits:
    """Visible positioned entities inside ``bbox`` = [west, south, east, north] (degrees, RFC 7946
    order; west > east crosses the antimeridian), by id; ``labels`` some positioned labels (None =
    all); ``limit`` 1..1000. Raises InvalidArgument."""
    if len(bbox) != 4:
        raise InvalidArgument(f"bbox must be [west, south, east, north], 4 numbers, got {len(bbox)}")
    west, south, east, north = (_check_lon("bbox west", bbox[0]), _check_lat("bbox south", bbox[1]),
                                _check_lon("bbox east", bbox[2]), _check_lat("bbox north", bbox[3]))
    if south > north:
        raise InvalidArgument(f"bbox south ({south}) is north of its north ({north})")
    check_range("limit", limit, 1, MAX_LIMIT)
    found: dict[str, GeoHit] = {}
    for label in _check_labels(labels):
        for s, n, w, e in _boxes(south, north, west, east):
            rows = await store.read("geo/in_box", {"south": s, "north": n, "west": w, "east": e,
                                                   "limit": limit + 1, "victimData": may_see_victims(principal),
                                                   **principal.cypher_params()}, label=label)
            for row in rows:
                node = node_from_map(row["node"])
                at = position(node)
                if at is not None:
                    found[node.id] = GeoHit(node, at[0], at[1])
    hits = sorted(found.values(), key=lambda h: h.node.id)
    return GeoHits(hits[:limit], len(hits) > limit)
