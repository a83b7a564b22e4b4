"""Instants as the security modules write them: ISO 8601 UTC, ``Z`` suffix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utc_now(precision: str = "seconds", *, plus_s: float = 0.0) -> str:
    """Now (or ``plus_s`` seconds from now) as ISO 8601 UTC with a ``Z`` suffix; ``precision`` as
    for ``datetime.isoformat(timespec=)``."""
    return (datetime.now(UTC) + timedelta(seconds=plus_s)).isoformat(timespec=precision).replace("+00:00", "Z")
