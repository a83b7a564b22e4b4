"""Decode FalkorDB's compact result set straight into the store's plain values, in one pass.

The ``falkordb`` client decodes every cell through an awaited coroutine per value, into
``OrderedDict`` and ``datetime`` objects that :func:`graphapi.store.values.plain` then walks a
second time; on the bench graph that was the largest share of a neighbourhood or path after the
server itself. Statements here return scalars, lists and maps only (``records.py``), so those
are decoded directly, with temporal values as ISO 8601 text like ``plain`` renders them. A cell
holding a graph object (node, edge, path: their names need the client's schema cache) or a
duration raises :class:`NotPlain`; the caller then lets the client parse that response.

Wire format (``GRAPH.QUERY ... --compact``, FalkorDB docs "Result structure"): ``[header, rows,
statistics]`` (just ``[statistics]`` without a RETURN); a cell is ``[type, value]``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from redis.exceptions import ResponseError

_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6
_MAP, _POINT, _VECTOR, _DATETIME, _DATE, _TIME = 10, 11, 12, 13, 14, 15
_RUN_TIME = "Query internal execution time"


class NotPlain(Exception):
    """A cell the decoder leaves to the client (node, edge, path, duration, unknown type)."""


def _utc(seconds: int) -> dt.datetime:
    # Instants are stored in UTC; rendered without an offset, as the loaders store them.
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).replace(tzinfo=None)


def decode(cell: list[Any]) -> Any:
    """One ``[type, value]`` cell as a plain Python value."""
    kind, value = cell
    if kind == _STRING:
        return value if type(value) is str else _text(value)
    if kind == _INTEGER:
        return int(value)
    if kind == _NULL:
        return None
    if kind == _MAP:
        return _map(value)
    if kind == _ARRAY:
        return [v if k == _STRING and type(v) is str else decode((k, v)) for k, v in value]
    if kind == _BOOLEAN:
        return _text(value) == "true"
    if kind == _DOUBLE:
        return float(value)
    if kind == _DATETIME:
        return _utc(value).isoformat()
    if kind == _DATE:
        return _utc(value).date().isoformat()
    if kind == _TIME:
        return _utc(value).time().isoformat()
    if kind == _POINT:
        return {"latitude": float(value[0]), "longitude": float(value[1])}
    if kind == _VECTOR:
        return [float(v) for v in value]
    raise NotPlain(kind)


def _map(value: list[Any]) -> dict[str, Any]:
    # [key, cell, key, cell, ...]; strings and integers (most property values) without a call:
    # a node's or relationship's properties were a third of a neighbourhood's decoding
    pairs = iter(value)
    out = {}
    for key, (kind, v) in zip(pairs, pairs, strict=True):
        if type(key) is not str:
            key = _text(key)
        if kind == _STRING and type(v) is str:
            out[key] = v
        elif kind == _INTEGER:
            out[key] = int(v)
        else:
            out[key] = decode((kind, v))
    return out


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def check_errors(response: list[Any]) -> None:
    """Raise the server's error carried in a reply (as the client does)."""
    if response and isinstance(response[0], ResponseError):
        raise response[0]
    if response and isinstance(response[-1], ResponseError):
        raise response[-1]


def run_time_ms(response: list[Any]) -> float:
    """The server's own execution time of the query, from the reply's statistics."""
    for stat in response[-1] if response else ():
        text = _text(stat)
        if text.startswith(_RUN_TIME):
            return float(text.split(": ")[1].split(" ")[0])
    return 0.0


def decode_rows(response: list[Any]) -> list[dict[str, Any]]:
    """The reply's rows as ``{column: plain value}``. Raises NotPlain (see module doc)."""
    if len(response) < 3:
        return []
    columns = [_text(h[1]) if isinstance(h, list | tuple) else _text(h) for h in response[0]]
    return [{c: decode(v) for c, v in zip(columns, row, strict=True)} for row in response[1]]
