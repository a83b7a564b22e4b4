"""GeoJSON (RFC 7946) of a subgraph's positioned part, for map front ends.

A node with a valid position (``lat``/``lon``, :func:`graphapi.investigate.geo.position`) is a
``Point`` Feature; a relationship between two positioned nodes is a ``LineString`` Feature from
its start to its end. Coordinates are ``[longitude, latitude]`` (RFC 7946 section 3.1.1). Nothing
else of the subgraph is drawn. A node of a label whose fields the victim redaction can blank
(``graphapi.security.redaction.NODE_FIELDS``) is never drawn: such a node could be a victim, whose
id reads as a token elsewhere in the answer (none of those labels has a position today).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphapi.investigate.geo import position
from graphapi.security.redaction import NODE_FIELDS
from graphapi.store import Node, Relationship


def _drawable(node: Node) -> tuple[float, float] | None:
    if any(label in NODE_FIELDS for label in node.labels):
        return None
    return position(node)


def feature_collection(nodes: Iterable[Node], edges: Iterable[Relationship]) -> dict[str, Any]:
    """A FeatureCollection: Points for positioned ``nodes``, then LineStrings for ``edges`` whose two
    ends are positioned nodes of ``nodes``, each in the order given."""
    at: dict[str, tuple[float, float]] = {}
    features: list[dict[str, Any]] = []
    for node in nodes:
        pos = _drawable(node)
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
