"""The ``CYPHER name=value ...`` parameter header FalkorDB reads parameters from, rendered fast.

FalkorDB takes parameters as Cypher literals in front of the query text. The ``falkordb`` client
renders them with a recursive Python function (about 14 µs for a 9-value row, measured), which
was a third of a bulk load's time. Here the whole value is rendered by ``json.dumps`` (C speed)
and map keys are turned into backticked Cypher identifiers; the result is the same literal.

Why that is sound: in JSON text a ``"`` inside a string is always escaped as ``\\"``, and the only
string followed directly by ``:`` is an object key, so ``"key":`` (a key without quote, backslash
or backtick) occurs at key positions and nowhere else. FalkorDB's string literals understand
``\\\\``, ``\\"``, ``\\n`` and ``\\t`` the way JSON writes them (checked against the server), but not
``\\uXXXX``; so a value whose JSON needs any other escape (control characters), a key that cannot
be backticked, or a type JSON does not know, falls back to the client's renderer, which is
correct for everything. Both give the server the same values (``tests/store/test_falkordb_params.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from falkordb.helpers import stringify_param_value

#: An object key in JSON text: quoted, no quote, backslash or backtick inside, then a colon.
_KEY = re.compile(r'"([^"\\`]+)":')
#: JSON escapes FalkorDB's string literals do not read the way JSON means them.
_FOREIGN_ESCAPE = re.compile(r"\\[bfru/]")
#: Names a parameter may have (they are written bare into the header).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def render_value(value: Any) -> str:
    """One parameter value as a FalkorDB Cypher literal (str, int, float, bool, None, list, tuple,
    dict with string keys, nested). Falls back to the ``falkordb`` client's renderer whenever the
    fast path is not provably the same literal. Raises ``ValueError`` for NaN or infinity (no
    Cypher literal) and for a map key holding a backtick (FalkorDB cannot read one)."""
    try:
        text = _dumps(value)
    except TypeError:  # a type JSON does not know
        return stringify_param_value(value)
    except ValueError as exc:  # the client would send `nan`, which stalls the server's parser
        raise ValueError(f"not a Cypher value (NaN or infinity): {exc}") from None
    if "\\" in text and _FOREIGN_ESCAPE.search(text):
        return stringify_param_value(value)
    if '":' in text:
        # str.replace per distinct key: re.sub with a template cost more than the rendering
        for key in set(_KEY.findall(text)):
            text = text.replace(f'"{key}":', f"`{key}`:")
        if '":' in text:  # a key that cannot be backticked (or a value holding '":'): be safe
            return stringify_param_value(value)
    return text


def params_header(params: Mapping[str, Any] | None) -> str:
    """``"CYPHER a=... b=... "`` for ``params`` (empty string for none). Raises ``ValueError``
    for a parameter name that is not an identifier."""
    if not params:
        return ""
    parts = []
    for name, value in params.items():
        if not _NAME.fullmatch(name):
            raise ValueError(f"bad parameter name {name!r}")
        parts.append(f"{name}={render_value(value)}")
    return "CYPHER " + " ".join(parts) + " "
