"""Turn backend values into the plain values every store returns.

Maps become ``dict``, temporal values ISO 8601 strings, driver node / relationship objects the
``{id, labels, properties}`` / ``{id, type, start, end, properties}`` maps of ``records.py``.
Whole floats are kept as floats: callers that need integers convert (FalkorDB may return
integer sums as floats).

Both clients already decode strings, numbers, booleans, lists and maps to Python values; those
are taken as they are (an exact-type check, no call), so each value is decoded once and only
temporal values and graph objects are converted here. This walk ran over every value a read
returned and was a quarter of a neighbourhood's time before.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

#: Types both clients return that are already plain (exact types: ``bool`` is listed itself).
_SCALARS = frozenset({str, int, float, bool, type(None)})
#: Map types the clients return (the falkordb client builds ``OrderedDict``).
_MAPS = frozenset({dict, OrderedDict})


def plain(value: Any) -> Any:
    """Recursively convert a backend value into plain Python values (see module doc)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind in _MAPS:
        return {k: v if type(v) in _SCALARS else plain(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    return _other(value)


def plain_row(columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """One result row as ``{column: plain value}``."""
    return {c: v if type(v) in _SCALARS else plain(v) for c, v in zip(columns, values, strict=True)}


def _other(value: Any) -> Any:
    if isinstance(value, str | bool | int | float):  # subclasses, e.g. an IntEnum
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
