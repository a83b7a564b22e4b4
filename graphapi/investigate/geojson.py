"""GeoJSON (RFC 7946) of a subgraph's positioned part, for map front ends.

A node with a valid position (``lat``/``lon``, :func:`graphapi.investigate.geo.position`) is a
``Point`` Feature; a relationship between two positioned nodes is a ``LineString`` Feature from
its start to its end. Coordinates are ``[longitude, latitude]`` (RFC 7946 section 3.1.1). Nothing
else of the subgraph is drawn. A node the victim redaction protects for the reader (a victim's home
address: its position is blanked, and its id reads as a token elsewhere in the answer) is never
drawn: the caller names them (``hidden``, from ``security/protected_ids``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from graphapi.investigate.geo import position
from graphapi.store import Node, Relationship


def feature_collection(nodes: Iterable[Node], edges: Iterable[Relationship],
                       hidden: Collection[str] = ()) -> dict[str, Any]:
    """A FeatureCollection: Points for positioned ``nodes`` not in ``hidden``, then LineStrings for
    ``edges`` whose two ends are drawn nodes, each in the order given."""
    at: dict[str, tuple[float, float]] = {}
    features: list[dict[str, Any]] = []
    for node in nodes:
        pos = None if node.id in hidden else position(node)
        if pos is None or node.id in at:
            continue
        at[node.id] = pos
        features.append({
            "type": "Feature", "id": node.id,
            "geometry": {"type": "Point", "coordinates": [pos[1], pos[0]]},
            "properties": {"lintasId": node.id, "label": node.label, "caption": node.caption},
        })
    for rel in edges:
        if rel.start in at and rel.end in at:
            (lat1, lon1), (lat2, lon2) = at[rel.start], at[rel.end]
            features.append({
                "type": "Feature", "id": rel.id,
                "geometry": {"type": "LineString", "coordinates": [[lon1, lat1], [lon2, lat2]]},
                "properties": {"type": rel.type, "sourceId": rel.start, "targetId": rel.end},
            })
    return {"type": "FeatureCollection", "features": features}
