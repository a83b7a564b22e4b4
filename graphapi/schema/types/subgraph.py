"""A subgraph shaped for link-chart front ends: nodes and edges in one response."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from graphapi.investigate.expand import Expansion
from graphapi.investigate.expand import Subgraph as SubgraphRecord
from graphapi.investigate.expand import TruncatedNode as TruncatedNodeRecord
from graphapi.investigate.geojson import feature_collection
from graphapi.schema.types.entity import Entity, label_of
from graphapi.schema.types.relationship import Relationship

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


@strawberry.type(
    description=(
        "A node of a subgraph that showed only its most relevant neighbours: `shown` of its `total` visible "
        "neighbours (after the field's filters). `id` and `lintasId` are the entity's own (a victim's read as "
        "its `vid:` token)."
    )
)
class TruncatedNode:
    # The entity as shown (its view: a victim's `id` and `lintasId` are tokens, as the entity's own read).
    _entity: strawberry.Private[Entity]
    shown: int = strawberry.field(description="Neighbours of this node in the subgraph.")
    total: int = strawberry.field(description="Its visible neighbours passing the filters.")

    @strawberry.field(description="Relay global id of the entity, as its `id` reads.")
    def id(self) -> relay.GlobalID:
        return relay.GlobalID(type_name=label_of(self._entity), node_id=self._entity._view.shown_id)

    @strawberry.field(description="Lintas id of the entity, as its `lintasId` reads.")
    def lintas_id(self) -> str:
        return self._entity._view.shown_id

    @strawberry.field(description="The entity itself.")
    def entity(self) -> Entity:
        return self._entity

    @classmethod
    def from_record(cls, record: TruncatedNodeRecord, shown: Shown) -> TruncatedNode:
        """Build from the service's ``TruncatedNode``."""
        return cls(_entity=shown.entity(record.node), shown=record.shown, total=record.total)


@strawberry.type(
    description=(
        "Nodes and the relationships among them. Edges name their ends by `sourceId`/`targetId`, "
        "which equal the nodes' `lintasId`; `label` and `caption` give each node's type and display name."
    )
)
class Subgraph:
    nodes: list[Entity]
    edges: list[Relationship]
    truncated: bool = strawberry.field(
        description="True if a limit left something within reach out (a node limit, or a node's neighbours)."
    )
    truncated_nodes: list[TruncatedNode] = strawberry.field(
        default_factory=list,
        description="`expand`: each node whose neighbours were cut to its most relevant ones, and by how much.",
    )

    @strawberry.field(
        description=(
            "The positioned part as GeoJSON (RFC 7946) for a map: a FeatureCollection of a Point per node with a "
            "lat/lon (compounds, checkpoints, addresses; `[lon, lat]`, id and properties `lintasId`, `label`, "
            "`caption`) and a LineString per edge between two such nodes (properties `type`, `sourceId`, "
            "`targetId`). Foreign members say what was left off: `nodesNotDrawn` (nodes without a position you "
            "may see) and `relationshipsNotDrawn` (an end not drawn); empty `features` when nothing has a position."
        )
    )
    def geojson(self, info: Info) -> JSON:
        # a victim's address is not drawn for a reader without victim-data (the entities' views know)
        hidden = {n._node.id for n in self.nodes if n._view.protected}
        collection: dict[str, Any] = feature_collection([n._node for n in self.nodes], [r._rel for r in self.edges],
                                                        hidden)
        return collection

    @classmethod
    def from_record(cls, sub: SubgraphRecord, shown: Shown) -> Subgraph:
        """Build from the service's ``Subgraph`` (the protected ids it asked about, if it did, given
        to ``shown``: no second round trip for them)."""
        if sub.protected is not None:
            shown.prime([n.id for n in sub.nodes], sub.protected)
        return cls(
            nodes=[shown.entity(n) for n in sub.nodes],
            edges=[shown.relationship(r) for r in sub.edges],
            truncated=sub.truncated,
        )

    @classmethod
    def from_expansion(cls, found: Expansion, shown: Shown) -> Subgraph:
        """Build from ``expand``'s answer, with its truncated nodes."""
        sub = cls.from_record(found.subgraph, shown)
        sub.truncated_nodes = [TruncatedNode.from_record(t, shown) for t in found.truncated_nodes]
        return sub
