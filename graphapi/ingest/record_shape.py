"""The shape of an input record (``ingest(records)``, ``graphapi.ingest.service.build_records``):
why a record cannot be read or would be misread, before its values are cleaned."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.readers.base import MAX_FIELD_CHARS, too_many_values
from graphapi.ontology import Model
from graphapi.ontology.ids import id_problem
from graphapi.ontology.types.datetime import check_zone


def json_type(value: Any) -> str:
    """``value``'s JSON type with an article, for reasons: ``an object``, ``a list``, ``a string``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


#: Hints a record may give (``hints``), each with a check of its value: the ones the ontology's
#: types read (``graphapi.ontology.types``: a phone's region, a naive time's zone, day-first dates).
HINTS = {
    "country": ("a country code or a list of them",
                lambda v: isinstance(v, str) or (isinstance(v, list) and all(isinstance(c, str) for c in v))),
    "tz": ("an IANA time zone such as Asia/Bangkok", lambda v: isinstance(v, str) and _is_zone(v)),
    "dayfirst": ("true or false", lambda v: isinstance(v, bool)),
}
#: Top-level fields that name a node, a node record or a relationship: ids (``graphapi.ontology.ids``).
REFERENCES = ("id", "key", "from", "to")
#: Top-level text fields the service reads.
FIELDS = ("kind", "label", "type", *REFERENCES, "discriminator")
#: Every top-level field a record may have: any other is refused, so that a field the service
#: does not read (a per-record ``op``, ``sharedWith``) is never silently dropped.
KNOWN = (*FIELDS, "properties", "hints")


def _is_zone(name: str) -> bool:
    try:
        check_zone(name)
    except ValueError:
        return False
    return True


def record_problem(record: dict[str, Any], model: Model) -> str | None:
    """Why the input ``record`` (one item of ``ingest(records)``) cannot be read, or ``None``.

    Checks the shape: no field but those of :data:`KNOWN`; ``properties`` and ``hints`` are JSON
    objects (or absent); ``id``, ``key``, ``from``, ``to`` are ids (or absent): strings with a
    canonical form (``graphapi.ontology.ids``: not blank, no control or format character, at most
    ``MAX_ID_BYTES``; surrounding blanks are trimmed by the service), and ``discriminator`` a
    string (or absent); hints are those of :data:`HINTS`; a property of the record's label or type
    takes a list only if it is ``multiple`` in the ontology, never an object, and no string value (property or
    :data:`FIELDS`) is over ``graphapi.ingest.readers.base.MAX_FIELD_CHARS`` characters, the file
    loaders' limit, nor more than ``MAX_VALUES_PER_RECORD`` values in all (theirs too). Values
    are cleaned, and labels, types and property names checked, by the service (its rejections).
    """
    unknown = [name for name in record if name not in KNOWN]
    if unknown:
        return (f"unknown field {str(unknown[0])[:100]!r}: a record has only {', '.join(KNOWN)} "
                f"(sharing is the call's; a deletion goes through a FollowTheMoney delta file)")
    for name in FIELDS:
        value = record.get(name)
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return f"{name}: a value over {MAX_FIELD_CHARS:,} characters"
    for name in ("properties", "hints"):
        value = record.get(name)
        if value is not None and not isinstance(value, dict):
            return f"{name} must be a JSON object, got {json_type(value)}"
    for name in REFERENCES:
        value = record.get(name)
        if value is None:
            continue
        if not (isinstance(value, str) and value.strip()):
            got = "a blank string" if isinstance(value, str) else json_type(value)
            return f"{name} must be a non-blank string, got {got}"
        if (problem := id_problem(value)) is not None:
            return f"{name} {problem}"
    discriminator = record.get("discriminator")
    if discriminator is not None and not isinstance(discriminator, str):
        return f"discriminator must be a string, got {json_type(discriminator)}"
    for name, value in (record.get("hints") or {}).items():
        if name not in HINTS:
            return f"unknown hint {name[:100]!r}; hints: {', '.join(HINTS)}"
        expected, valid = HINTS[name]
        if not valid(value):
            got = repr(value[:100]) if isinstance(value, str) else json_type(value)
            return f"hints.{name} must be {expected}, got {got}"
    if (problem := too_many_values(record.get("properties") or {})) is not None:
        return problem
    kind = record.get("kind") or ("relationship" if "type" in record else "node")
    label_or_type = record.get("label" if kind == "node" else "type")
    specs = model.labels if kind == "node" else model.relationships if kind == "relationship" else {}
    spec = specs.get(label_or_type) if isinstance(label_or_type, str) else None
    if spec is None:
        return None  # an unknown kind, label or type: the service says which
    for name, value in (record.get("properties") or {}).items():
        prop = spec.properties.get(name)
        if prop is None or prop.internal:
            continue  # the service refuses it: "<label> has no property <name>"
        if isinstance(value, list) and not prop.multiple:
            return f"{spec.name}.{name} takes one value, got a list"
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, dict | list):
                return f"{spec.name}.{name}: a value must be a string, number or boolean, got {json_type(item)}"
            if isinstance(item, str) and len(item) > MAX_FIELD_CHARS:
                return f"{spec.name}.{name}: a value over {MAX_FIELD_CHARS:,} characters"
    return None
