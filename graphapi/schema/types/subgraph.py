"""A subgraph shaped for link-chart front ends: nodes and edges in one response."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from graphapi.investigate.expand import Expansion
from graphapi.investigate.expand import Subgraph as SubgraphRecord
from graphapi.investigate.expand import TruncatedNode as TruncatedNodeRecord
from graphapi.investigate.geo import position
from graphapi.investigate.geojson import feature_collection
from graphapi.schema.types.entity import Entity, entity_from_node
from graphapi.schema.types.relationship import Relationship, relationship_from_record
from graphapi.security.redaction import NODE_FIELDS, protected_ids
from graphapi.store import Node


@strawberry.type(
    description=(
        "A node of a subgraph that showed only its most relevant neighbours: `shown` of its `total` visible "
        "neighbours (after the field's filters). `id` and `lintasId` are the entity's own (a victim's read as "
        "its `vid:` token)."
    )
)
class TruncatedNode:
    # Private node record: the victim redaction reads it, so `id` and `lintasId` are tokenised like an entity's.
    _node: strawberry.Private[Node]
    shown: int = strawberry.field(description="Neighbours of this node in the subgraph.")
    total: int = strawberry.field(description="Its visible neighbours passing the filters.")

    @strawberry.field(description="Relay global id of the entity, as its `id` reads.")
    def id(self) -> relay.GlobalID:
        return relay.GlobalID(type_name=type(self.entity()).__strawberry_definition__.name, node_id=self._node.id)

    @strawberry.field(description="Lintas id of the entity, as its `lintasId` reads.")
    def lintas_id(self) -> str:
        return self._node.id

    @strawberry.field(description="The entity itself.")
    def entity(self) -> Entity:
        return entity_from_node(self._node)

    @classmethod
    def from_record(cls, record: TruncatedNodeRecord) -> TruncatedNode:
        """Build from the service's ``TruncatedNode``."""
        return cls(_node=record.node, shown=record.shown, total=record.total)


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
            "`targetId`). Empty `features` when nothing has a position."
        )
    )
    async def geojson(self, info: Info) -> JSON:
        nodes = [n._node for n in self.nodes]
        # a victim's address is not drawn for a reader without victim-data (one round trip, only
        # if a positioned node could be protected)
        maybe = [n.id for n in nodes if position(n) is not None and any(label in NODE_FIELDS for label in n.labels)]
        hidden = await protected_ids(info.context.store, info.context.principal, maybe) if maybe else set()
        collection: dict[str, Any] = feature_collection(nodes, [r._rel for r in self.edges], hidden)
        return collection

    @classmethod
    def from_record(cls, sub: SubgraphRecord) -> Subgraph:
        """Build from the service's ``Subgraph``."""
        return cls(
            nodes=[entity_from_node(n) for n in sub.nodes],
            edges=[relationship_from_record(r) for r in sub.edges],
            truncated=sub.truncated,
        )

    @classmethod
    def from_expansion(cls, found: Expansion) -> Subgraph:
        """Build from ``expand``'s answer, with its truncated nodes."""
        sub = cls.from_record(found.subgraph)
        sub.truncated_nodes = [TruncatedNode.from_record(t) for t in found.truncated_nodes]
        return sub
