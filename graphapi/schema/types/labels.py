"""One GraphQL object type per concrete ontology label, generated from the ontology model, and
one interface per label other labels extend, so that the GraphQL types follow the ontology's
(and FollowTheMoney's) inheritance: ``Company``, ``Bank``, ``ArmedGroup`` and
``CriminalOrganization`` implement ``Organization`` (FtM: Company extends Organization), and a
fragment ``... on Organization`` matches them all.

Each type is named after its label, implements ``Node``, ``Entity`` and the interface of each
ancestor label, carries the label's description, and has one typed field per ontology property
(own and inherited) except the ones ``Entity`` already shows (``id`` -> ``lintasId``,
``caption``, ``conflicts``) and ``internal`` ones (``searchText``), which are never exposed. A label
that others extend names its interface; the nodes of that label itself (an organization of no
more specific kind) are shown by the object type ``Generic<Label>`` (``GenericOrganization``),
whose ``label`` and Relay id still name the label.
"""

from __future__ import annotations

import strawberry

from graphapi.ontology import Label, Model, load_model
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


def _label_fields(label: Label) -> dict[str, object]:
    """The namespace of ``label``'s GraphQL class: one field per property it shows. Raises
    ``ValueError`` if a property clashes with Entity's fields."""
    namespace: dict[str, object] = {"__module__": __name__}
    for prop in label.properties.values():
        if prop.internal or prop.name in _ON_ENTITY:
            continue
        if prop.name in _RESERVED or prop.name in load_model().provenance:
            raise ValueError(f"{label.name}.{prop.name} clashes with a field of Entity")
        namespace[f"property_{prop.name}"] = property_field(_owner(label, prop.name), prop)
    return namespace


def build_label_interface(label: Label, base: type[Entity]) -> type[Entity]:
    """The strawberry interface of ``label``, a label others extend (``base``: its parent's)."""
    cls = type(label.name, (base,), _label_fields(label))
    return strawberry.interface(cls, name=label.name, description=(
        f"Every {label.name}, of whatever more specific kind. {label.description or ''}").strip())


def build_label_type(label: Label, base: type[Entity] = Entity, name: str | None = None) -> type[Entity]:
    """The strawberry type of ``label`` (``base``: the interface of its parent label, else
    Entity; ``name``: the type's, if not the label's). Raises ``ValueError`` if a property
    clashes with Entity's fields."""
    description = label.description or None
    if name is not None:
        description = (f"{_a(label.name)} of no more specific kind: its `label` is {label.name}, and fragments on "
                       f"the interface {label.name} match it. {label.description or ''}").strip()
    name = name or label.name
    cls = type(name, (base,), _label_fields(label))
    return strawberry.type(cls, name=name, description=description)


def _a(name: str) -> str:
    """``name`` with its article: ``An Organization``."""
    return f"{'An' if name[:1] in 'AEIOU' else 'A'} {name}"


def _extended(model: Model) -> frozenset[str]:
    """The labels other labels extend (Entity aside: it is the interface every type implements)."""
    return frozenset(a for lb in model.labels.values() for a in lb.ancestors) - {"Entity"}


#: label other labels extend -> its GraphQL interface
LABEL_INTERFACES: dict[str, type[Entity]] = {}
#: concrete label -> the GraphQL object type that shows its nodes
LABEL_TYPES: dict[str, type[Entity]] = {}
_model = load_model()
for _label in sorted(_model.labels.values(), key=lambda lb: (len(lb.ancestors), lb.name)):  # parents first
    _base = next((LABEL_INTERFACES[a] for a in _label.ancestors if a in LABEL_INTERFACES), Entity)
    if _label.name in _extended(_model):
        _base = LABEL_INTERFACES[_label.name] = build_label_interface(_label, _base)
    if _label.abstract:
        continue
    _name = f"Generic{_label.name}" if _label.name in LABEL_INTERFACES else None
    LABEL_TYPES[_label.name] = build_label_type(_label, _base, _name)
    register(_label.name, LABEL_TYPES[_label.name])
