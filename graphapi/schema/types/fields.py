"""Typed GraphQL fields generated from ontology properties.

Ontology value type -> GraphQL type: ``integer`` and ``duration`` -> Int, ``float`` and ``amount``
-> Float, ``boolean`` ->
Boolean, ``enum`` -> a generated enum (see :mod:`.enums`), everything else (names, identifiers,
E.164 phones, ISO dates with partial precision, ISO 8601 UTC datetimes, country codes) ->
String. ``multiple`` properties are non-null lists (``[]`` when absent). Values are coerced on
the way out, so a backend that returns ``3.0`` for an integer still answers ``3``.
"""

from __future__ import annotations

import enum
import logging
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from graphapi.ontology import Property
from graphapi.schema.types.enums import enum_value, property_enum

log = logging.getLogger(__name__)

_SCALARS: dict[str, type] = {"integer": int, "float": float, "boolean": bool, "duration": int, "amount": float}


def _coerce(py_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(py_type, type) and issubclass(py_type, enum.Enum):
        return enum_value(py_type, value)
    try:
        if py_type is bool:
            return bool(value)
        return py_type(value)
    except (TypeError, ValueError):
        log.warning("cannot show stored value %r as %s", value, py_type.__name__)
        return None


def property_field(owner: str, prop: Property) -> StrawberryField:
    """A resolver field named ``prop.name`` reading it from the properties the reader is shown
    (``root._view``: graphapi.schema.redaction_views), typed and described; a field the view
    watches (blanked, or free text to scrub) is answered by it.

    ``owner`` is the label or relationship type declaring the property (names generated enums).
    """
    py_type: Any = property_enum(owner, prop) if prop.type == "enum" else _SCALARS.get(prop.type, str)
    name = prop.name

    if prop.multiple:

        def resolve(root: Any) -> Any:
            view = root._view
            raw = view.props.get(name)
            if raw is None:
                value: Any = []
            else:
                value = [v for v in (_coerce(py_type, x) for x in (raw if isinstance(raw, list | tuple) else [raw]))
                         if v is not None]
            return view.answer(name, value) if name in view.watched else value

        resolve.__annotations__ = {"return": list[py_type]}
    else:

        def resolve(root: Any) -> Any:
            view = root._view
            raw = view.props.get(name)
            if isinstance(raw, list | tuple):  # a single-valued property stored as a list
                raw = raw[0] if raw else None
            value = _coerce(py_type, raw)
            return view.answer(name, value) if name in view.watched else value

        resolve.__annotations__ = {"return": py_type | None}
    resolve.__name__ = f"resolve_{name}"
    return strawberry.field(resolver=resolve, name=name, description=prop.description or None)
