"""Instants as the security modules write them: ISO 8601 UTC, ``Z`` suffix."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now(precision: str = "seconds") -> str:
    """Now as ISO 8601 UTC with a ``Z`` suffix; ``precision`` as for ``datetime.isoformat(timespec=)``."""
    return datetime.now(UTC).isoformat(timespec=precision).replace("+00:00", "Z")
