"""One GraphQL object type per concrete ontology label, generated from the ontology model.

Each type is named after its label, implements ``Node`` and ``Entity``, carries the label's
description, and has one typed field per ontology property (own and inherited) except the
ones ``Entity`` already shows (``id`` -> ``lintasId``, ``caption``, ``conflicts``) and ``internal`` ones
(``searchText``), which are never exposed.
"""

from __future__ import annotations

import strawberry

from graphapi.ontology import Label, load_model
from graphapi.schema.types.entity import Entity, register
from graphapi.schema.types.fields import property_field

#: Ontology properties shown by ``Entity`` itself rather than as label fields.
_ON_ENTITY = frozenset({"id", "caption", "conflicts"})
#: GraphQL field names of ``Entity``; a property with one of these names would be ambiguous.
_RESERVED = frozenset({"id", "lintasId", "label", "labels", "caption", "relationships", "values", "conflicts"})


def _owner(label: Label, prop_name: str) -> str:
    """The label (``label`` or an ancestor) that declares ``prop_name``: names its enum once."""
    model = load_model()
    for name in (label.name, *label.ancestors):
        if prop_name in model.labels[name].own_properties:
            return name
    return label.name


def build_label_type(label: Label) -> type[Entity]:
    """The strawberry type of ``label``. Raises ``ValueError`` if a property clashes with Entity's fields."""
    namespace: dict[str, object] = {"__module__": __name__}
    for prop in label.properties.values():
        if prop.internal or prop.name in _ON_ENTITY:
            continue
        if prop.name in _RESERVED or prop.name in load_model().provenance:
            raise ValueError(f"{label.name}.{prop.name} clashes with a field of Entity")
        namespace[f"property_{prop.name}"] = property_field(_owner(label, prop.name), prop)
    cls = type(label.name, (Entity,), namespace)
    return strawberry.type(cls, name=label.name, description=label.description or None)


LABEL_TYPES: dict[str, type[Entity]] = {}
for _label in load_model().concrete_labels:
    LABEL_TYPES[_label.name] = build_label_type(_label)
    register(_label.name, LABEL_TYPES[_label.name])
