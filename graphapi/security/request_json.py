"""Decode a request's JSON within bounds: :func:`decode_request_json`.

Python's ``json.loads`` on a request body is unsafe three ways, each measured as an HTTP 500 in
plain text before this module: a number of 4,300+ digits fails converting to ``int`` (Python's
``sys.get_int_max_str_digits``), ~1,000 nested arrays exhaust the recursion limit, and bytes in
UTF-16 or UTF-32 (or with a byte-order mark) are silently accepted (``json.loads`` detects the
encoding), which also slipped past the gate's batch check. So a request body is:

- UTF-8 without a byte-order mark (RFC 8259 section 8.1), else refused;
- nested at most :data:`MAX_DEPTH` arrays / objects deep;
- free of number literals longer than :data:`MAX_NUMBER_CHARS` characters (no 64-bit integer or
  double needs more than 25), and of ``NaN`` / ``Infinity`` (not JSON);
- free of lone UTF-16 surrogates (``"\\ud800"`` is a valid JSON escape, but no UTF-8 response,
  log line or store parameter can hold it).

GraphQL variables (``ingest(records)`` included) are inside the body, so they are bounded too.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Deepest nesting of arrays and objects in a request body (an ``ingest`` record needs ~6).
MAX_DEPTH = 64
#: Longest number literal, in characters (in JSON bodies and in GraphQL documents).
MAX_NUMBER_CHARS = 100

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_LONE = re.compile("[\ud800-\udfff]")


class RequestJsonError(ValueError):
    """The body is not acceptable JSON; ``str(error)`` says why, for the client. (Text that is
    not JSON at all raises ``json.JSONDecodeError`` instead, as ``json.loads`` does.)"""


class LoneSurrogate(RequestJsonError):
    """The JSON holds a lone UTF-16 surrogate."""


def _number(text: str) -> str:
    if len(text) > MAX_NUMBER_CHARS:
        raise RequestJsonError(f"a number of {len(text)} characters; at most {MAX_NUMBER_CHARS} are accepted")
    return text


def _int(text: str) -> int:
    return int(_number(text))


def _float(text: str) -> float:
    return float(_number(text))


def _constant(name: str) -> Any:
    raise RequestJsonError(f"{name} is not JSON")


def _check_tree(value: Any) -> None:
    """Depth and lone surrogates, iteratively (no recursion however deep)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _LONE.search(item):
                raise LoneSurrogate("the request holds a lone UTF-16 surrogate (\\ud800-\\udfff)")
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise RequestJsonError(f"JSON nested deeper than {MAX_DEPTH} levels")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def decode_request_json(data: bytes | str) -> Any:
    """The JSON value of a request body or parameter. Raises :class:`RequestJsonError` (why, for
    the client) on anything the module docstring refuses, ``json.JSONDecodeError`` on text that
    is not JSON."""
    if isinstance(data, bytes):
        if data.startswith(_BOMS) or data[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
            raise RequestJsonError("the body is not UTF-8 JSON (it starts with a byte-order mark)")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestJsonError("it is not UTF-8") from None
    if data.startswith("\ufeff"):
        raise RequestJsonError("the body is not UTF-8 JSON (it starts with a byte-order mark)")
    try:
        value = json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise RequestJsonError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    _check_tree(value)
    return value
