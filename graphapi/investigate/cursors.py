"""Opaque Relay cursors: ``base64url("<kind>:<value>")``, so a cursor of one connection is never
taken for another's."""

from __future__ import annotations

import base64
import binascii


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
