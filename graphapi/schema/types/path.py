"""A path between two entities: nodes in order and the relationships between them."""

from __future__ import annotations

import strawberry

from graphapi.schema.types.entity import Entity, entity_from_node
from graphapi.schema.types.relationship import Relationship, relationship_from_record
from graphapi.store import Path as PathRecord


@strawberry.type(description="A path: `nodes` from start to end and the `relationships` joining them, in order.")
class Path:
    nodes: list[Entity]
    relationships: list[Relationship]
    length: int = strawberry.field(description="Number of hops (= number of relationships).")

    @classmethod
    def from_record(cls, path: PathRecord) -> Path:
        """Build from a store ``Path``."""
        return cls(
            nodes=[entity_from_node(n) for n in path.nodes],
            relationships=[relationship_from_record(r) for r in path.relationships],
            length=path.length,
        )
