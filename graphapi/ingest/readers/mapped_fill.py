"""What a mapped CSV row's columns give its entities and relationships: the cleaned properties
of a plan, the text kept for an entity that could not be made, and the columns an entity's memo
is keyed by (:mod:`graphapi.ingest.readers.mapped_csv` reads the rows)."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.mapping.model import ROW_IDENTITY, MappingError, _read_columns
from graphapi.ingest.mapping.plan import _EntityPlan, _PropertyPlan
from graphapi.ingest.mapping.values import LEFT_OUT, Getter, Hints, _BadValue, _unclean
from graphapi.ontology.model import Label
from graphapi.ontology.types import get_type


def memo_columns(spec: dict[str, Any]) -> tuple[str, ...] | None:
    """The columns a mapped entity reads, in a fixed order, or None if its result cannot be
    remembered by them (it reads the row's identity, new on every row)."""
    columns = _read_columns(spec)
    return None if columns & ROW_IDENTITY else tuple(sorted(columns))


#: A property plan as :func:`fill` walks it: ``(name, column, getter, the plan)``.
Step = tuple[str, str | None, Getter, _PropertyPlan]


def steps(plan: tuple[_PropertyPlan, ...]) -> tuple[Step, ...]:
    """``plan`` as :func:`fill` walks it (compiled once per reader: fill runs for every row)."""
    return tuple((p.name, p.column, p.value, p) for p in plan)


def fill(row: dict[str, Any], hints: Hints, plan: tuple[Step, ...], used: set[str], failed: dict[str, str]
         ) -> dict[str, Any]:
    """The cleaned properties ``plan`` (its :func:`steps`) maps from ``row``. A plain column whose
    value filled a property goes into ``used``; one whose value did not clean (and is no null
    token) into ``failed``, with the reason, unless it is a key. Raises :class:`_BadValue` for a
    spec that cannot be evaluated (a bad template, a value its type refuses outright)."""
    props: dict[str, Any] = {}
    for name, column, value_of, p in plan:
        try:
            value = value_of(row, hints)
        except (MappingError, KeyError, ValueError) as exc:
            raise _BadValue(f"{p.owner}.{name}: {exc}") from None
        if value is LEFT_OUT:
            if column is not None:
                used.add(column)
            continue
        if not value and (value is None or value == []):  # a value that is true is neither (most: one test)
            if column is not None and column not in failed and (raw := _unclean(row, column)) is not None:
                failed[column] = _refused(p, row, raw)
            continue
        props[name] = value
        if column is not None:
            used.add(column)
    return props


def _refused(p: _PropertyPlan, row: dict[str, Any], raw: str) -> str:
    """Why ``raw``, the value of ``p``'s column on ``row``, did not clean: a negative amount, a
    year the column's calendar cannot have, ..."""
    calendar = p.calendar
    if callable(calendar):  # read from the row: its value there, and where it is
        calendar = str(calendar(row) or "") or None  # as the hint is read: not trimmed
    reason = get_type(p.type).refusal(raw, calendar=calendar, calendar_from=p.calendar_from)
    return f"{p.owner}.{p.name}: {reason}"


def keep_as_text(row: dict[str, Any], ent: _EntityPlan, unusable: dict[str, str]) -> None:
    """Note ``Label:raw`` for an entity that could not be made, from its first column with text."""
    for column in ent.text_columns:
        raw = (row.get(column) or "").strip()
        if raw:
            unusable[ent.name] = f"{ent.label}:{raw}"
            return


def key_columns(spec: dict[str, Any], label: Label) -> tuple[tuple[str, str], ...]:
    """``(column, type)`` of each ``{column}`` spec of a mapped entity's key properties."""
    return tuple((sub["column"], str(sub.get("type") or label.properties[name].type))
                 for name in label.key if name in label.properties
                 for pspec in [(spec.get("properties") or {}).get(name)]
                 for sub in (pspec if isinstance(pspec, list) else [pspec])
                 if isinstance(sub, dict) and isinstance(sub.get("column"), str))


def unusable_key(row: dict[str, Any], columns: tuple[tuple[str, str], ...]) -> str:
    """What of ``row`` gave an entity no key, for its rejection: the first of its key ``columns``
    (``(column, type)``) that is empty or whose value is no value of its type, "" if none is."""
    for column, type_name in columns:
        text = (row.get(column) or "").strip()
        if not text:
            return f"column {column!r} is empty"
        return f"column {column!r} value {text!r} is no {type_name}"
    return ""
