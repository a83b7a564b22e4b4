"""The ``CYPHER name=value ...`` parameter header of a FalkorDB query, rendered fast.

FalkorDB takes query parameters as Cypher literals in a header before the statement. The
``falkordb`` client renders them with a Python walk over every value (about 19 µs for a bulk
loader's relationship row, a fifth of the loader's time). Cypher literals of strings, numbers,
booleans, null and lists are written as JSON writes them, so :func:`params_header` lets the C
``json`` encoder write the header and only rewrites map keys (JSON's ``"key":`` is Cypher's
`` `key`: ``).

Where JSON and FalkorDB's Cypher differ it declines (returns ``None``) and the client's own
renderer is used: a map key that is not a plain identifier, a value JSON cannot write (bytes,
dates, NaN), and any string JSON writes with a ``\\uXXXX`` escape (control characters), which
FalkorDB's lexer keeps literally. The escapes JSON does use (``\\" \\\\ \\n \\r \\t \\b \\f``)
are read by FalkorDB as JSON means them (checked against the server in the tests).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A ``\uXXXX`` escape: a backslash not itself escaped (an even run of backslashes before it).
_UNICODE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u")
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _map_keys(value: Any, keys: set[str]) -> None:
    """Add the keys of every map inside ``value`` to ``keys``."""
    if type(value) is dict:
        keys.update(value)
        for v in value.values():
            if type(v) is dict or type(v) is list:
                _map_keys(v, keys)
    elif type(value) is list:
        for v in value:
            if type(v) is dict or type(v) is list:
                _map_keys(v, keys)


def params_header(params: Mapping[str, Any]) -> str | None:
    """``"CYPHER a=1 rows=[{`id`:\\"x\\"}] "`` for ``params``, or ``None`` where the JSON form
    would not mean the same to FalkorDB (then render with the client's renderer)."""
    keys: set[str] = set(params)
    for value in params.values():
        _map_keys(value, keys)
    if not all(_IDENTIFIER.fullmatch(k) for k in keys if isinstance(k, str)) or not all(
        isinstance(k, str) for k in keys
    ):
        return None
    try:
        parts = [f"{name}={_encode(value)}" for name, value in params.items()]
    except (TypeError, ValueError):  # bytes, dates, NaN / Infinity: not JSON
        return None
    text = " ".join(parts)
    if "\\u" in text and _UNICODE_ESCAPE.search(text):
        return None  # a control character JSON writes as \uXXXX, which FalkorDB reads literally
    for key in keys:
        # Every '"' inside a JSON string is escaped, so an unescaped '"key":' is a map key.
        text = text.replace(f'"{key}":', f"`{key}`:")
    return f"CYPHER {text} "
