"""Per-column rules (``columns:`` in a mapping): a column's text refined once per row, before any
spec, template, condition or hint reads it (``docs/mappings.md``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.ingest.mapping.memo import _refined_table, _remember
from graphapi.ingest.mapping.steps import UnmappedValue, compile_refine
from graphapi.ingest.mapping.values import _is_null

Rule = tuple[str, Callable[[str], "str | None"], dict[str, Any]]


def column_rules(rules: dict[str, Any]) -> list[Rule]:
    """The ``columns:`` rules of a mapping, compiled: ``(column, refine, memo of refined texts)``."""
    return [(column, refine, _refined_table(rule)) for column, rule in rules.items()
            if (refine := compile_refine(rule, f"columns.{column}", _is_null)) is not None]


def apply_rules(rules: list[Rule], row: dict[str, Any]) -> str:
    """Refine each ruled column of ``row`` in place (no value: empty text); "" or why the row is
    rejected (a value its map does not know)."""
    for column, refine, memo in rules:
        raw = row.get(column)
        if raw is None:
            continue
        try:
            row[column] = memo[raw]
            continue
        except KeyError:
            pass
        try:
            text = refine(raw.strip()) or ""
        except UnmappedValue as exc:
            return f"column {column!r}: {exc}"
        _remember(memo, raw, text)
        row[column] = text
    return ""
