"""The compiler of value specs: what a ``{column}``, ``{value}``, ``{template}`` (and coalesce)
spec reads from a row and how it is cleaned by the ontology's value type, remembered in the memo
shared by every reader (:mod:`graphapi.ingest.mapping.memo`; see ``docs/mappings.md``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.memo import _UNSEEN, Hints, _clean, _refined_table, _remember, _table
from graphapi.ingest.mapping.steps import compile_refine
from graphapi.ingest.mapping.templates import _compile_template
from graphapi.ingest.readers.nulls import ANY_TEXT, NULL_TOKENS, is_null_token, no_value, null_text  # noqa: F401 (re-exported)
from graphapi.ontology import OntologyError
from graphapi.ontology.types import get_type

#: A compiled value spec: ``(row, the row's mapping hints) -> cleaned value or None``. Raises
#: MappingError, KeyError or ValueError when the spec cannot be evaluated on that row.
Getter = Callable[[dict[str, Any], Hints], Any]


class _LeftOut:
    """What a getter gives for a value it leaves out on purpose: no value, yet its column was read
    and is no invalid value (:func:`graphapi.ingest.readers.mapped_fill.fill`)."""

    def __repr__(self) -> str:
        return "LEFT_OUT"


#: A property its getter leaves out on purpose: an account abroad at a known bank whose office
#: there has no listed BIC gets no ``bic``, and its row is not refused for it (round 33, 4b).
LEFT_OUT = _LeftOut()


class _BadValue(ValueError):
    """A row value that cannot be evaluated; the row is rejected with this reason."""


def _is_null(text: str) -> bool:
    """True if ``text`` (stripped) is a null token: no value, not an invalid one."""
    return is_null_token(text)


def _null_of(type_name: str | None, hints: dict[str, Any] | None = None) -> Callable[[str], bool]:
    """The null-token test of a text that becomes a value of ``type_name`` (cleaned with
    ``hints``): :func:`~graphapi.ingest.readers.nulls.no_value`, so after a spec's steps, map or
    default ``NA`` is still Namibia in a country and ``Na`` a name (round a-56, F5 and F13); the
    bare rule for no type or an unknown one (each row then says so)."""
    if type_name is None:
        return _is_null
    try:
        get_type(type_name)
    except OntologyError:
        return _is_null
    fixed = dict(hints or ())

    def is_null(text: str) -> bool:
        try:
            return no_value(text, type_name, **fixed)
        except (TypeError, ValueError):  # a hint the type does not take: the bare rule
            return is_null_token(text)
    return is_null


def _compile_raw(spec: dict[str, Any], type_name: str | None = None) -> Callable[[dict[str, Any]], Any]:
    """What a ``{column}``, ``{value}``, ``{template}`` or ``{concat}`` spec reads from a row: a
    column's text stripped (None if the row lacks it), the literal, the template's text (None
    when only separators are left) or the non-empty texts of the ``concat`` columns joined by
    ``sep``, a part that is a null token left out unless it is a word of a name in a value of
    type ``type_name`` ``"name"`` (the family name Na: :data:`~graphapi.ingest.readers.nulls.NAME_WORDS`).
    A spec with none of them raises MappingError on every row, so each row is rejected naming it."""
    if "column" in spec:
        column = spec["column"]

        def raw_column(row: dict[str, Any]) -> Any:
            v = row.get(column)
            return v.strip() if isinstance(v, str) else v

        return raw_column
    if "value" in spec:
        value = spec["value"]
        return lambda row: value
    if "template" in spec:
        formatted = _compile_template(str(spec["template"]))

        def raw_template(row: dict[str, Any]) -> Any:
            text = formatted(row)
            if text is None:
                return None
            text = text.strip()
            return text if text.strip(":|- ") else None

        return raw_template

    if "concat" in spec:
        columns = [str(c) for c in spec["concat"]]
        sep = str(spec.get("sep", " "))

        def raw_concat(row: dict[str, Any]) -> Any:
            # the columns' texts that hold a value, joined; an empty column is left out
            texts = [t for t in ((row.get(c) or "").strip() for c in columns) if t and not null_text(t, type_name)]
            return sep.join(texts) or None

        return raw_concat

    def raw_missing(row: dict[str, Any]) -> Any:
        raise MappingError(f"value spec needs column, value or template: {spec}")

    return raw_missing


def _compile_source(spec: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    """What ``spec`` reads from a row (:func:`_compile_raw`) after its steps, default and map."""
    read = _compile_raw(spec)
    refine = compile_refine(spec, "value spec", _is_null)
    if refine is None:
        return read

    def refined(row: dict[str, Any]) -> Any:
        raw = read(row)
        return refine("" if raw is None else str(raw))

    return refined


def _compile_hints(specs: dict[str, Any], extra: dict[str, Any]) -> Hints | Callable[[dict[str, Any]], Hints]:
    """The hints ``specs`` give: a ``{column}``/``{template}`` hint is read from the row, any other
    is a constant; empty ones are dropped and ``extra`` (an enum's values) is added. Hints that
    read no column are worked out here, once, and returned as such; others as a function of a row."""
    readers = [(k, _compile_source(v) if isinstance(v, dict) else None, v) for k, v in specs.items()]

    def hints_of(row: dict[str, Any]) -> Hints:
        values = {k: v if raw is None else raw(row) for k, raw, v in readers}
        return tuple(sorted({**{k: v for k, v in values.items() if v not in (None, "")}, **extra}.items()))

    return hints_of({}) if all(raw is None for _, raw, _ in readers) else hints_of


def _compile_value(spec: Any, type_name: str, multiple: bool, extra: dict[str, Any],
                   hint_specs: dict[str, Any], row_hints: Hints | None) -> Getter:
    """Compile a value spec (see the module docstring) for a property of type ``type_name``:
    a list is a coalesce (first spec that gives a value), a bare literal a ``{value}``.
    ``hint_specs``: the mapping's hints, re-read only when the spec has its own hints or the type
    needs ``extra`` ones; ``row_hints``: the mapping's hints when they read no column, else None."""
    if isinstance(spec, list):
        subs = [_compile_value(sub, type_name, multiple, extra, hint_specs, row_hints) for sub in spec]

        def first_value(row: dict[str, Any], hints: Hints) -> Any:
            for sub in subs:
                v = sub(row, hints)
                if v not in (None, []):
                    return v
            return None

        return first_value
    if not isinstance(spec, dict):
        spec = {"value": spec}
    tname = spec.get("type", type_name)
    read = _compile_raw(spec, tname)
    # The hints this spec cleans with: its own (the mapping's and the spec's, with ``extra``) or
    # the row's; ``fixed`` when known here, so the memo table is looked up once, not per value.
    own = _compile_hints({**hint_specs, **(spec.get("hints") or {})}, extra) if "hints" in spec or extra else None
    fixed = row_hints if own is None else own if isinstance(own, tuple) else None
    own_of = None if own is None or isinstance(own, tuple) else own
    table = _table(tname, fixed) if fixed is not None else None
    split = spec.get("split")
    null_hints = {**dict(fixed or ()), **extra}
    refine = compile_refine(spec, "value spec", _null_of(tname, null_hints))
    refined = _refined_table(spec, tname, sorted(null_hints.items())) if refine is not None and not multiple else None

    def value(row: dict[str, Any], hints: Hints) -> Any:
        raw = read(row)
        if refine is not None and not multiple:
            text = refine("" if raw is None else str(raw))  # UnmappedValue: the row is rejected
            if refined is not None and isinstance(raw, str):
                _remember(refined, raw, text)
            raw = text
        if raw in (None, ""):
            return None
        if fixed is not None:
            hints, memo = fixed, table
        else:
            if own_of is not None:
                hints = own_of(row)
            memo = _table(tname, hints)
        if not multiple:
            return _clean(tname, raw, hints, memo)
        parts = str(raw).split(split) if split else [raw]
        if refine is not None:  # each value of a list is refined on its own (a map of nationalities)
            parts = [t for t in (refine(p.strip()) for p in parts) if t is not None]
        vals = [_clean(tname, p, hints, memo) for p in parts]
        return list(dict.fromkeys(v for v in vals if v not in (None, ""))) or None

    if "column" not in spec or multiple or table is None:
        return value
    column = spec["column"]
    if refined is not None:

        def refined_value(row: dict[str, Any], hints: Hints) -> Any:
            # a column with steps or a map: its refined text, then its cleaned value, remembered
            raw = row.get(column)
            if isinstance(raw, str):
                raw = raw.strip()
            try:
                return table[refined[raw]]
            except (KeyError, TypeError):  # first sight, no value, or an unknown one (raises)
                return value(row, hints)

        return refined_value

    try:
        clean, fixed_hints = get_type(tname).clean, dict(fixed or ())
        free_text = tname in ANY_TEXT  # free text: a null token is no value (a name's Na is one)
    except OntologyError:  # an unknown type: each row says so, through value()
        return value

    table_get = table.get

    def column_value(row: dict[str, Any], hints: Hints) -> Any:
        # the common case, a single value from a column with fixed hints: one memo look-up
        raw = row.get(column)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            return None
        # get, not [] and KeyError: most of an event's values are first seen (a timestamp, an
        # amount), and a raised KeyError cost four times the look-up
        try:
            cleaned = table_get(raw, _UNSEEN)
        except TypeError:  # unhashable: cleaned by value(), not remembered
            return value(row, hints)
        if cleaned is not _UNSEEN:
            return cleaned
        cleaned = None if free_text and null_text(raw, tname) else clean(raw, **fixed_hints)
        _remember(table, raw, cleaned)
        return cleaned

    return column_value


def _unclean(row: dict[str, Any], column: str) -> str | None:
    """The raw text of ``column`` if it holds a value (not empty, not a null token), else None;
    called only when the value did not clean, so a result means an invalid value."""
    raw = row.get(column)
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return None if no_value(raw) else raw
