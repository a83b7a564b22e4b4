"""GeoJSON (RFC 7946) of a subgraph's positioned part, for map front ends.

A node with a valid position (``lat``/``lon``, :func:`graphapi.investigate.geo.position`) is a
``Point`` Feature; a relationship between two positioned nodes is a ``LineString`` Feature from
its start to its end. Coordinates are ``[longitude, latitude]`` (RFC 7946 section 3.1.1). Nothing
else of the subgraph is drawn. A node the victim redaction protects for the reader (a victim's home
address: its position is blanked, and its id reads as a token elsewhere in the answer) is never
drawn: the caller names them (``hidden``, from ``security/protected_ids``).

Two foreign members (RFC 7946 section 6.1) say what was left off, so that an empty map says why
(new-user trial 7: ids with no coordinates drew an empty collection and nothing else):
``nodesNotDrawn``, the distinct nodes without a position the reader may see (none recorded, an
invalid one, or a victim's blanked one: counted alike, so the count tells no more than the blank
does), and ``relationshipsNotDrawn``, the relationships with an end not drawn.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from graphapi.investigate.geo import position
from graphapi.store import Node, Relationship


def feature_collection(nodes: Iterable[Node], edges: Iterable[Relationship],
                       hidden: Collection[str] = ()) -> dict[str, Any]:
    """A FeatureCollection: Points for positioned ``nodes`` not in ``hidden``, then LineStrings for
    ``edges`` whose two ends are drawn nodes, each in the order given; and how many of each were
    not drawn (``nodesNotDrawn``, ``relationshipsNotDrawn``)."""
    at: dict[str, tuple[float, float]] = {}
    features: list[dict[str, Any]] = []
    unplaced: set[str] = set()
    for node in nodes:
        pos = None if node.id in hidden else position(node)
        if pos is None:
            unplaced.add(node.id)
            continue
        if node.id in at:
            continue
        at[node.id] = pos
        features.append({
            "type": "Feature", "id": node.id,
            "geometry": {"type": "Point", "coordinates": [pos[1], pos[0]]},
            "properties": {"lintasId": node.id, "label": node.label, "caption": node.caption},
        })
    undrawn = 0
    for rel in edges:
        if rel.start not in at or rel.end not in at:
            undrawn += 1
            continue
        (lat1, lon1), (lat2, lon2) = at[rel.start], at[rel.end]
        features.append({
            "type": "Feature", "id": rel.id,
            "geometry": {"type": "LineString", "coordinates": [[lon1, lat1], [lon2, lat2]]},
            "properties": {"type": rel.type, "sourceId": rel.start, "targetId": rel.end},
        })
    return {"type": "FeatureCollection", "features": features,
            "nodesNotDrawn": len(unplaced), "relationshipsNotDrawn": undrawn}
