"""Opaque Relay cursors: ``base64url("<kind>:<value>")``, so a cursor of one connection is never
taken for another's."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from graphapi.errors import InvalidArgument

#: A number in a cursor: ASCII digits (str.isdigit() takes '²' and '١٢', which int() refuses or
#: reads; int() of 4,300 digits raises: attack round 25, F2).
_DIGITS = re.compile(r"[0-9]+")


def encode(kind: str, value: str) -> str:
    """The cursor for ``value`` in a connection of ``kind`` (e.g. ``search``, ``rel``)."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode(kind: str, cursor: str) -> str | None:
    """The value in ``cursor`` if it is a non-empty cursor of ``kind``, else None."""
    try:
        found, value = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return value if found == kind and value else None


def decode_fields(kind: str, cursor: str, count: int) -> list[Any] | None:
    """The ``count`` fields of a cursor of ``kind`` holding a JSON list, or None for anything
    else: another kind, not JSON, another length, or nesting too deep to parse (attack round 11,
    X3: 100,000 brackets raised RecursionError, an INTERNAL error and a traceback)."""
    value = decode(kind, cursor)
    if value is None:
        return None
    try:
        fields = json.loads(value)
    except (ValueError, RecursionError):
        return None
    return fields if isinstance(fields, list) and len(fields) == count else None


def decode_number(kind: str, cursor: str, max_digits: int = 18) -> int | None:
    """The whole number in a cursor of ``kind`` (ASCII digits, at most ``max_digits``), or None for
    anything else."""
    value = decode(kind, cursor)
    ok = value is not None and len(value) <= max_digits and _DIGITS.fullmatch(value)
    return int(value) if ok else None


def decode_offset(kind: str, cursor: str | None, deepest: int, field: str) -> int:
    """The offset in an offset cursor of ``kind`` (0 for None), at most ``deepest``;
    InvalidArgument, naming ``field``'s cursor, for any other."""
    if cursor is None:
        return 0
    value = decode_number(kind, cursor)
    if value is None or value > deepest:
        raise InvalidArgument(f"after is not a valid {field} cursor (at most {deepest:,} deep)")
    return value
