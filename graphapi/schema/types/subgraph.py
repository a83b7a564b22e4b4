"""A subgraph shaped for link-chart front ends: nodes and edges in one response."""

from __future__ import annotations

import strawberry

from graphapi.investigate.expand import Subgraph as SubgraphRecord
from graphapi.schema.types.entity import Entity, entity_from_node
from graphapi.schema.types.relationship import Relationship, relationship_from_record


@strawberry.type(
    description=(
        "Nodes and the relationships among them. Edges name their ends by `sourceId`/`targetId`, "
        "which equal the nodes' `lintasId`; `label` and `caption` give each node's type and display name."
    )
)
class Subgraph:
    nodes: list[Entity]
    edges: list[Relationship]
    truncated: bool = strawberry.field(description="True if the node or edge limit left something within reach out.")

    @classmethod
    def from_record(cls, sub: SubgraphRecord) -> Subgraph:
        """Build from the service's ``Subgraph``."""
        return cls(
            nodes=[entity_from_node(n) for n in sub.nodes],
            edges=[relationship_from_record(r) for r in sub.edges],
            truncated=sub.truncated,
        )
