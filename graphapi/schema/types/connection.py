"""Relay connection of an entity's relationships: ``edges { cursor direction relationship node }``.

``node`` is the entity at the other end; ``direction`` is ``OUT`` when the entity the field
hangs off is the relationship's start, ``IN`` when it is the end. Cursors are the service's
keyset cursors: stable while data is added.
"""

from __future__ import annotations

import strawberry
from strawberry import relay

from graphapi.schema.types.entity import Entity
from graphapi.schema.types.enums import Direction
from graphapi.schema.types.paging import page_info
from graphapi.schema.types.relationship import Relationship


@strawberry.type(description="One relationship of an entity, with the entity at its other end.")
class RelationshipEdge:
    cursor: str = strawberry.field(description="Opaque keyset cursor; pass as `after` (or `before`) for the next "
                                   "(or previous) page.")
    direction: Direction = strawberry.field(description="OUT if the entity is the start, IN if the end.")
    relationship: Relationship = strawberry.field(description="The relationship itself.")
    node: Entity = strawberry.field(
        description="The entity at the other end."
    )


@strawberry.type(description="A page of an entity's relationships (Relay connection).")
class RelationshipConnection:
    edges: list[RelationshipEdge]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(description="Visible relationships matching the filters, all pages.")

    @classmethod
    def from_page(cls, page, shown) -> RelationshipConnection:  # investigate.relationship_pages.RelationshipPage, Shown
        """Build the connection from a service ``RelationshipPage`` (records made types by ``shown``)."""
        edges = [
            RelationshipEdge(
                cursor=e.cursor,
                direction=Direction(e.direction),
                relationship=shown.relationship(e.relationship),
                node=shown.entity(e.other),
            )
            for e in page.edges
        ]
        return cls(edges=edges, page_info=page_info(edges, page.has_next, page.has_previous), total_count=page.total)
