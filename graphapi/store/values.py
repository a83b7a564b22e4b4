"""Turn backend values into the plain values every store returns.

Maps become ``dict``, temporal values ISO 8601 strings, driver node / relationship objects the
``{id, labels, properties}`` / ``{id, type, start, end, properties}`` maps of ``records.py``.
Whole floats are kept as floats: callers that need integers convert (FalkorDB may return
integer sums as floats).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def plain(value: Any) -> Any:
    """Recursively convert a backend value into plain Python values (see module doc)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime):
        # Instants are stored in UTC; render without an offset, as the loaders store them.
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    iso = getattr(value, "iso_format", None)  # neo4j.time types
    if callable(iso):
        return iso()
    return _graph_object(value)


def _graph_object(value: Any) -> Any:
    labels = getattr(value, "labels", None)
    props = getattr(value, "properties", None)
    if props is None and hasattr(value, "items"):
        props = dict(value.items())
    if labels is not None:
        props = plain(dict(props or {}))
        return {"id": props.get("id"), "labels": sorted(labels), "properties": props}
    rel_type = getattr(value, "relation", None) or getattr(value, "type", None)
    if rel_type is not None:
        props = plain(dict(props or {}))
        start = getattr(value, "start_node", None)
        end = getattr(value, "end_node", None)
        return {
            "id": props.get("id"),
            "type": rel_type,
            "start": start.get("id") if start is not None else None,
            "end": end.get("id") if end is not None else None,
            "properties": props,
        }
    return str(value)
