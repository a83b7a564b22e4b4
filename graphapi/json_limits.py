"""Bounded JSON parsing: one line of a partner's file (or one request body) that nests too deep or
holds a huge number is refused with a reason instead of raising an error nobody expects.

Python's ``json`` raises ``RecursionError`` for nesting near the interpreter's recursion limit
(~1,000) and ``ValueError`` for an integer over 4,300 digits (``sys.get_int_max_str_digits``),
neither a ``JSONDecodeError``; and a document nested a few hundred deep parses but then breaks
whatever walks or re-encodes it recursively (``json.dumps`` of a reject report line). Hence
explicit, small bounds, checked while parsing. Imports nothing of Lintas, so the ingest readers
and the HTTP/GraphQL layer can share it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

#: Deepest nesting accepted (``{}`` is 1, ``{"a": [1]}`` is 2). An FtM delta line needs 4.
MAX_DEPTH = 64
#: Longest JSON number accepted, characters (a float in full precision needs ~25).
MAX_NUMBER_CHARS = 100

__all__ = ["MAX_DEPTH", "MAX_NUMBER_CHARS", "JsonLimitError", "json_depth", "loads_bounded"]


class JsonLimitError(ValueError):
    """JSON that parses but is nested deeper or holds a longer number than allowed; the message
    is the reason to give (e.g. ``"JSON nested deeper than 64 levels"``)."""


@cache
def _number_parsers(limit: int) -> tuple[Callable[[str], int], Callable[[str], float]]:
    def check(text: str) -> str:
        if len(text) > limit:
            raise JsonLimitError(f"a JSON number of {len(text):,} characters (at most {limit:,})")
        return text

    return (lambda text: int(check(text))), (lambda text: float(check(text)))


def json_depth(doc: Any, stop_above: int | None = None) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), without recursion; stops counting
    once it passes ``stop_above``."""
    deepest, stack = 0, [(doc, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if stop_above is not None and deepest > stop_above:
                return deepest
        stack.extend((child, depth) for child in children if isinstance(child, dict | list))
    return deepest


def loads_bounded(text: str | bytes, *, max_depth: int = MAX_DEPTH,
                  max_number_chars: int = MAX_NUMBER_CHARS) -> Any:
    """``json.loads(text)`` with nesting at most ``max_depth`` and numbers of at most
    ``max_number_chars`` characters.

    Raises :class:`JsonLimitError` past a bound, ``json.JSONDecodeError`` for text that is not
    JSON (both ``ValueError``). Costs two ``str.count`` calls on top of ``json.loads`` unless the
    text has more brackets than ``max_depth`` (then the parsed value is walked once)."""
    parse_int, parse_float = _number_parsers(max_number_chars)
    opens = text.count("[") + text.count("{") if isinstance(text, str) else text.count(b"[") + text.count(b"{")
    try:
        doc = json.loads(text, parse_int=parse_int, parse_float=parse_float)
    except RecursionError:
        raise JsonLimitError(f"JSON nested deeper than {max_depth} levels") from None
    if opens > max_depth and json_depth(doc, max_depth) > max_depth:
        raise JsonLimitError(f"JSON nested deeper than {max_depth} levels")
    return doc
