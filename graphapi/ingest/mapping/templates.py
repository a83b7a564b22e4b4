"""Template value specs (``{template: "{country}-{id}"}``): a row's text, or why a field gives none."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.memo import _clean, _table
from graphapi.ingest.readers.nulls import is_null_token, no_value
from graphapi.ontology import OntologyError
from graphapi.ontology.types import get_type


def _template_fields(template: str) -> list[tuple[str, str, str | None]]:
    """The ``(literal before, column, type or None)`` of each field of ``template``, in order
    (``{from_country:country}``: column ``from_country``, type ``country``). Raises MappingError
    for a field that names no value type or no column."""
    out = []
    try:
        for literal, column, type_name, _ in string.Formatter().parse(template):
            if column is None:
                continue
            if not column:
                raise MappingError(f"template {template!r}: a field names no column")
            if type_name:
                try:
                    get_type(type_name)
                except OntologyError:
                    raise MappingError(f"template {template!r}: {column}:{type_name} names no value type") from None
            out.append((literal, column, type_name or None))
    except ValueError as exc:  # unbalanced braces
        raise MappingError(f"template {template!r}: {exc}") from None
    return out


def _template_tail(template: str) -> str:
    """The literal text after the last field of ``template``."""
    pieces = list(string.Formatter().parse(template))
    return pieces[-1][0] if pieces and pieces[-1][1] is None else ""


def _no_template_value(text: str, type_name: str | None = None) -> bool:
    """True if a template field's (stripped) text gives no value: empty, a null token that is no
    value of the field's type (any, for an untyped field: an id), or only zeros (``0``,
    ``000000``: a placeholder id, on the exclusion list, that would merge unrelated rows into one id)."""
    return no_value(text, type_name) or not text.strip("0")


def _field(row: dict[str, Any], column: str, type_name: str | None, memo: dict[Any, Any] | None
           ) -> tuple[str | None, str]:
    """A template field's text on ``row`` (stripped; a typed field's cleaned by its type without
    hints, remembered in ``memo``) and "", or None and why it has none (``column 'person_id' is
    empty``). The one rule behind both a template's text and the reason it gives none."""
    v = row.get(column)
    text = v.strip() if isinstance(v, str) else ""
    if not text:
        return None, f"column {column!r} is empty"
    if _no_template_value(text, type_name):
        return None, f"column {column!r} is {text!r}"
    if type_name is None:
        return text, ""
    cleaned = _clean(type_name, text, (), memo)
    if cleaned is None or cleaned == "":
        return None, f"column {column!r}: {text!r} is no {type_name}"
    return cleaned, ""


def _compile_template(template: str) -> Callable[[dict[str, Any]], str | None]:
    """``template`` as a function of a row: its text, or None when a field's column is empty, a
    null token, missing from the row, or (a typed field) does not clean. A column's text is used
    as it stands (as ``str.format`` would); a typed field's, cleaned by its type without hints."""
    fields = []
    for literal, column, type_name in _template_fields(template):
        memo = _table(type_name, ()) if type_name else None
        fields.append((literal, column, type_name, memo))
    tail = _template_tail(template)

    def formatted(row: dict[str, Any]) -> str | None:
        out = []
        for literal, column, type_name, memo in fields:
            text, _ = _field(row, column, type_name, memo)
            if text is None:
                return None
            out.append(literal)
            out.append(text)
        out.append(tail)
        return "".join(out)

    if len(fields) == 1 and not fields[0][0] and fields[0][2] is None and not tail:
        column = fields[0][1]

        def single(row: dict[str, Any]) -> str | None:  # "{record_id}": the column's text itself
            # _field's rule, inline (an event's key is read on every row): a null token or zeros give none
            v = row.get(column)
            if not isinstance(v, str) or not (text := v.strip()) or is_null_token(text) or not text.strip("0"):
                return None
            return text

        return single
    return formatted


def _template_gap(templates: tuple[str, ...], row: dict[str, Any]) -> str:
    """Why ``templates`` give no text on ``row``: the first field whose column is empty, a null
    token or (a typed field) does not clean, e.g. ``column 'person_id' is empty``; "" if none."""
    for template in templates:
        for _, column, type_name in _template_fields(template):
            try:
                text, why = _field(row, column, type_name, _table(type_name, ()) if type_name else None)
            except ValueError:  # a value its type refuses outright
                text, why = None, f"column {column!r}: {str(row.get(column)).strip()!r} is no {type_name}"
            if text is None:
                return why
    return ""
