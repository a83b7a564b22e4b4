"""Per-value provenance on every entity: ``values(property:)`` and ``conflicts`` (issue 12).

``values`` lists each value of one property with the sources that asserted it, as the reader may
see them (``graphapi.investigate.values``; visibility per statement, in the Cypher). ``conflicts``
shows the values a later source disagreed on in their typed shape, not as the JSON text the
loader stores them in (``graphapi.ingest.merge.conflict_entry``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import strawberry

from graphapi.investigate.values import PropertyValue

log = logging.getLogger(__name__)


@strawberry.type(name="ValueSource", description="One source's assertion of a value.")
class ValueSourceType:
    source: str = strawberry.field(description="Dataset / partner id that asserted the value.")
    record_id: str = strawberry.field(description="The record that first asserted it: file:line, or a source id.")
    first_seen: str = strawberry.field(description="First time this source asserted it, ISO 8601 UTC.")
    last_seen: str = strawberry.field(description="Last time this source asserted it, ISO 8601 UTC.")
    owner: str = strawberry.field(description="Agency id the assertion was loaded for.")
    tlp: str = strawberry.field(description="TLP 2.0 level of the assertion (CLEAR, GREEN, AMBER, AMBER+STRICT, RED).")


@strawberry.type(name="PropertyValue", description="One value of a property and the sources that asserted it.")
class PropertyValueType:
    value: str = strawberry.field(
        description="The value as stored: text; numbers and booleans as JSON (13.75, true).")
    sources: list[ValueSourceType] = strawberry.field(
        description="The sources you may see that asserted it, first seen first.")

    @classmethod
    def from_value(cls, pv: PropertyValue) -> PropertyValueType:
        return cls(value=pv.value, sources=[
            ValueSourceType(source=s.source, record_id=s.record_id, first_seen=s.first_seen, last_seen=s.last_seen,
                            owner=s.owner, tlp=s.tlp) for s in pv.sources])


@strawberry.type(name="Conflict", description="A value a later source disagreed on; the first value stays.")
class ConflictType:
    property: str = strawberry.field(description="The property, e.g. gender, or owner / tlp.")
    value: str = strawberry.field(description="The disagreeing value (numbers and booleans as JSON).")
    sources: list[str] = strawberry.field(description="The sources that gave it.")


def conflicts_of(stored: Any) -> list[ConflictType]:
    """The stored ``conflicts`` entries (JSON text) as typed conflicts; an unreadable entry is
    logged and left out."""
    out = []
    for entry in stored if isinstance(stored, list | tuple) else ([stored] if stored else []):
        try:
            data = json.loads(entry)
            value = data["value"]
            out.append(ConflictType(property=str(data["property"]),
                                    value=value if isinstance(value, str) else json.dumps(value),
                                    sources=[str(s) for s in data.get("sources") or []]))
        except (TypeError, ValueError, KeyError):
            log.warning("unreadable conflict entry %r", entry)
    return out
