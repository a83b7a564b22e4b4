"""GraphQL enums generated from the ontology: labels, relationship types, TLP, enum properties.

Enum values are GraphQL names; each maps to the exact string stored in the graph
(``AMBER_STRICT`` -> ``"AMBER+STRICT"``, ``ACTIVE`` -> ``"active"``). Labels keep their
PascalCase spelling (one spelling across YAML, Cypher and GraphQL).
"""

from __future__ import annotations

import enum
import re
from typing import Any

import strawberry

from graphapi.ontology import ENTITY, TLP_LEVELS, Property, load_model

_MODEL = load_model()


def enum_member(value: str) -> str:
    """The GraphQL enum value name for a stored string: upper case, non-alphanumerics as ``_``."""
    return re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper()


def pascal(name: str) -> str:
    """``WORKED_AT`` -> ``WorkedAt``; ``status`` -> ``Status``; ``birthDate`` -> ``BirthDate``."""
    if "_" in name or name.isupper():
        return "".join(part.capitalize() for part in name.lower().split("_"))
    return name[0].upper() + name[1:]


def _make_enum(name: str, members: dict[str, str], description: str) -> type[enum.Enum]:
    py_enum = enum.Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(py_enum, name=name, description=description)


Label = _make_enum(
    "Label",
    {lb: lb for lb in sorted(_MODEL.labels) if lb != ENTITY},
    "An ontology node label; a label matches its sub-labels too (Organization matches Company).",
)

RelationshipType = _make_enum(
    "RelationshipType",
    {rt: rt for rt in _MODEL.relationships},
    "An ontology relationship type (UPPER_SNAKE verb).",
)


def type_names(types: list[Any] | None) -> list[str] | None:
    """The stored names of ``RelationshipType`` values as a service takes them (None stays None)."""
    return [t.value for t in types] if types is not None else None


TLP = _make_enum(
    "TLP",
    {enum_member(v): v for v in TLP_LEVELS},
    "Traffic Light Protocol 2.0 (FIRST) sharing level, least to most restricted.",
)


@strawberry.enum(description="Direction of a relationship seen from the entity it hangs off.")
class Direction(enum.Enum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


_PROPERTY_ENUMS: dict[str, type[enum.Enum]] = {}


def property_enum(owner: str, prop: Property) -> type[enum.Enum]:
    """The enum for an ``enum`` property, named ``<Owner><Property>`` (``CompoundStatus``).

    ``owner`` is the label or relationship type that declares the property; ``tlp`` is always
    :data:`TLP`. Created once per name.
    """
    if prop.name == "tlp":
        return TLP
    name = f"{pascal(owner)}{pascal(prop.name)}"
    if name not in _PROPERTY_ENUMS:
        _PROPERTY_ENUMS[name] = _make_enum(
            name, {enum_member(v): v for v in prop.values}, prop.description or f"Values of {owner}.{prop.name}."
        )
    return _PROPERTY_ENUMS[name]


def enum_value(py_enum: type[enum.Enum], value: Any) -> enum.Enum | None:
    """The member of ``py_enum`` whose stored value is ``value``; ``None`` for absent or unknown."""
    if value is None:
        return None
    try:
        return py_enum(value)
    except ValueError:
        return None
