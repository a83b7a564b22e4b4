"""Conditions (``when``) on a row: which entities and relationships a row makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _compile_when(cond: dict[str, Any] | None) -> Callable[[dict[str, Any]], bool] | None:
    """A relationship's ``when`` condition as a test of a row (None: always made): the column's
    stripped text is one of ``in``, equals ``equals``, or (neither given) is not empty."""
    if not cond:
        return None
    column = cond["column"]
    if "in" in cond:
        allowed = frozenset(str(v) for v in cond["in"])
        return lambda row: (row.get(column) or "").strip() in allowed
    if "equals" in cond:
        target = str(cond["equals"])
        return lambda row: (row.get(column) or "").strip() == target
    return lambda row: bool((row.get(column) or "").strip())
