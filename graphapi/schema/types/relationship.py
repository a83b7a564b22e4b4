"""The ``Relationship`` interface and one generated object type per ontology relationship type.

``TRANSFERRED_TO`` becomes ``TransferredToRelationship`` with typed ``at``, ``amount``,
``currency``, ``txId``; the properties every type has (``from``, ``to``, ``recordId``) and the
provenance ones sit on the interface. ``sourceId``/``targetId`` are the endpoints' Lintas ids
(start and end as stored), so a front end can join them to ``Entity.lintasId``.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graphapi.ontology import RelationshipType as OntologyRelationshipType
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.enums import RelationshipType, pascal
from graphapi.schema.types.fields import property_field
from graphapi.schema.types.provenance import ConflictType, PropertyValueType, conflicts_of
from graphapi.store.records import Relationship as RelationshipRecord

_MODEL = load_model()
#: Property names a relationship type may show: its ontology properties and the provenance ones.
_SHOWN = {
    name: frozenset(p for p, prop in rt.properties.items() if not prop.internal) | frozenset(_MODEL.provenance)
    for name, rt in _MODEL.relationships.items()
}
#: Properties every relationship type declares (the ``common`` block of relationships.yaml).
COMMON = frozenset.intersection(*(frozenset(rt.properties) for rt in _MODEL.relationships.values()))


class Relationship:
    """Any relationship: id, type, endpoints, validity dates, provenance."""

    _rel: strawberry.Private[RelationshipRecord]
    #: what the reader is shown of it (graphapi.schema.redaction_views), as Entity's
    _view: strawberry.Private[Any]

    @strawberry.field(description="Lintas relationship id (stable across reloads).")
    def id(self) -> str:
        return self._view.shown_id

    @strawberry.field(description="The ontology relationship type.")
    def type(self) -> RelationshipType:
        return RelationshipType(self._rel.type)

    @strawberry.field(description="Lintas id of the start node.")
    def source_id(self) -> str:
        return self._view.source_id

    @strawberry.field(description="Lintas id of the end node.")
    def target_id(self) -> str:
        return self._view.target_id

    @strawberry.field(
        description=(
            "The relationship type's ontology properties and provenance as one map "
            "(`{\"role\": \"trafficked\", \"from\": \"2024-10\", ...}`), for generic link-chart front ends; "
            "the typed fields say the same. Internal bookkeeping properties are left out."
        )
    )
    def properties(self) -> JSON:
        return self._view.properties(_SHOWN.get(self._rel.type, frozenset()))

    @strawberry.field(
        description=(
            "Every value of one property of this relationship (e.g. a transfer's amount, an INVOLVED_IN role) "
            "with the sources that asserted it: record id, first and last seen, owner and TLP, as `Entity.values`. "
            "A value or source you may not see (another agency's AMBER assertion) is not shown; a relationship "
            "loaded before relationships kept per-value provenance answers [] until its source is reloaded. "
            "`property` is a relationship property name."
        )
    )
    async def values(self, info: Info[Context, None], property: str) -> list[PropertyValueType]:
        rel = self._rel
        found = await info.context.loaders.relationship_values.load((rel.id, rel.start, rel.end, property))
        return await self._view.values(property, [PropertyValueType.from_value(v) for v in found])

    @strawberry.field(
        description="Values a later source disagreed on (property, value, sources); the first value stays."
    )
    def conflicts(self) -> list[ConflictType]:
        return self._view.values(None, conflicts_of(self._rel.properties.get("conflicts")), field="conflicts")

    @strawberry.field(description="The start node (null if it is not visible to you).")
    async def source(
        self, info: Info[Context, None]
    ) -> Entity | None:
        return await _load_entity(info, self._rel.start)

    @strawberry.field(description="The end node (null if it is not visible to you).")
    async def target(
        self, info: Info[Context, None]
    ) -> Entity | None:
        return await _load_entity(info, self._rel.end)


async def _load_entity(info: Info[Context, None], node_id: str) -> Entity | None:
    node = await info.context.loaders.nodes.load(node_id)
    shown = info.context.shown
    return await shown.ready(shown.entity(node)) if node is not None else None


_common = next(iter(_MODEL.relationships.values())).properties
for _name in sorted(COMMON - {"id"}, key=list(_common).index):
    if _common[_name].internal:  # bookkeeping (heldApart), as an entity's internal ones
        continue
    setattr(Relationship, f"property_{_name}", property_field("Relationship", _common[_name]))
for _name, _prop in _MODEL.provenance.items():
    setattr(Relationship, f"provenance_{_name}", property_field("Relationship", _prop))

Relationship = strawberry.interface(  # type: ignore[misc]
    Relationship,
    description=(
        "A relationship between two entities. Typed properties per relationship type are on the "
        "implementing types (`... on TransferredToRelationship { amount currency }`)."
    ),
)


def relationship_type_name(rel_type: str) -> str:
    """GraphQL type name of an ontology relationship type: ``TRANSFERRED_TO`` -> ``TransferredToRelationship``."""
    return f"{pascal(rel_type)}Relationship"


def build_relationship_type(rt: OntologyRelationshipType) -> type[Relationship]:
    """The strawberry type of relationship type ``rt``, with its own typed properties."""
    namespace: dict[str, object] = {"__module__": __name__}
    for prop in rt.properties.values():
        if prop.name not in COMMON:
            namespace[f"property_{prop.name}"] = property_field(rt.name, prop)
    description = f"{rt.name}: {rt.description} ({', '.join(rt.sources)} -> {', '.join(rt.targets)})"
    cls = type(relationship_type_name(rt.name), (Relationship,), namespace)
    return strawberry.type(cls, name=relationship_type_name(rt.name), description=description)


RELATIONSHIP_TYPES: dict[str, type[Relationship]] = {
    name: build_relationship_type(rt) for name, rt in _MODEL.relationships.items()
}


def relationship_from_record(rel: RelationshipRecord) -> Relationship:
    """The GraphQL object for a store ``Relationship``, without its view (as ``entity_from_node``).
    Raises ``LookupError`` for an unknown type."""
    try:
        return RELATIONSHIP_TYPES[rel.type](_rel=rel, _view=None)
    except KeyError:
        raise LookupError(f"relationship {rel.id!r} has unknown type {rel.type!r}") from None
