"""The compiler of value specs: what a ``{column}``, ``{value}``, ``{template}`` (and coalesce)
spec reads from a row and how it is cleaned by the ontology's value type, remembered in a memo
shared by every reader (see ``docs/mappings.md``)."""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from typing import Any

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.steps import REFINE_KEYS, compile_refine
from graphapi.ingest.readers.nulls import ANY_TEXT, NULL_TOKENS, is_null_token, no_value  # noqa: F401 (re-exported)
from graphapi.ontology import OntologyError
from graphapi.ontology.types import get_type

_CACHE_MAX = 500_000
#: ``(type, hints) -> {raw: cleaned value}``: value types are pure functions, so one memo serves
#: every reader (a call-record feed names the numbers the subscriber feed loaded just before).
#: A getter whose hints are fixed holds its table, so a repeated value costs one look-up.
_CLEANED: dict[tuple[str, Any], dict[Any, Any]] = {}
_remembered = 0  # values in all tables; at _CACHE_MAX the largest table is emptied
#: What a memo table's ``get`` gives for a value not cleaned before (None is a cleaned value).
_UNSEEN = object()



#: Hints as ``_clean`` takes them: ``(name, value)`` pairs sorted by name (hashable, for the memo).
Hints = tuple[tuple[str, Any], ...]
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


def _table(type_name: str, hints: Hints) -> dict[Any, Any] | None:
    """The memo table of ``type_name`` values cleaned with ``hints``; None if a hint is unhashable."""
    try:
        table = _CLEANED.get((type_name, hints))
    except TypeError:
        return None
    if table is None:
        table = _CLEANED[type_name, hints] = {}
    return table


def _clean(type_name: str, raw: Any, hints: Hints, table: dict[Any, Any] | None) -> Any:
    """``get_type(type_name).clean(raw, **hints)``, remembered in ``table`` (the :func:`_table` of
    the same type and hints): feeds repeat the same numbers, accounts and timestamps, and phone
    parsing dominates the cost (about 200 µs a number)."""
    if table is not None:
        try:
            value = table.get(raw, _UNSEEN)  # get: a first sight raises no KeyError
        except TypeError:  # an unhashable value (a list literal): not remembered
            table = None
        else:
            if value is not _UNSEEN:
                return value
    value = _typed(type_name, raw, dict(hints))
    if table is not None:
        _remember(table, raw, value)
    return value


def _typed(type_name: str, raw: Any, hints: dict[str, Any]) -> Any:
    """``raw`` cleaned by ``type_name``, None for a null token the type takes no value from:
    ``n/a`` in free text or an id is no value (as in FtM and ingest(records)), ``NA`` a country."""
    if isinstance(raw, str) and type_name in ANY_TEXT and is_null_token(raw):
        return None
    return get_type(type_name).clean(raw, **hints)


def _remember(table: dict[Any, Any], raw: Any, value: Any) -> None:
    """``table[raw] = value``, counted against :data:`_CACHE_MAX` (a table of :data:`_CLEANED`).

    At the limit only the largest table is emptied: that is the one of values that rarely repeat
    (event timestamps, amounts), while the phones and accounts a feed names again and again, each
    costly to clean (a phone ~140 µs), stay remembered. Emptying every table made a big load parse
    each phone again every few hundred thousand rows."""
    global _remembered
    if _remembered >= _CACHE_MAX:
        largest = max(_CLEANED.values(), key=len)
        _remembered -= len(largest)
        largest.clear()  # emptied in place: getters hold their tables
    table[raw] = value
    _remembered += 1


def _is_null(text: str) -> bool:
    """True if ``text`` (stripped) is a null token: no value, not an invalid one."""
    return is_null_token(text)


def _refined_table(spec: dict[str, Any]) -> dict[Any, Any]:
    """A memo of refined texts (raw text -> text after steps, default and map) shared by the
    specs with the same steps, default and map (a pure function of them), emptied with the
    cleaned-value tables."""
    what = json.dumps({k: spec[k] for k in sorted(REFINE_KEYS & spec.keys())}, sort_keys=True, default=str)
    return _CLEANED.setdefault(("refine", what), {})


def _compile_raw(spec: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    """What a ``{column}``, ``{value}``, ``{template}`` or ``{concat}`` spec reads from a row: a
    column's text stripped (None if the row lacks it), the literal, the template's text (None
    when only separators are left) or the non-empty texts of the ``concat`` columns joined by
    ``sep``. A spec with none of them raises MappingError on every row, so each row is rejected
    naming it."""
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
            texts = [t for t in ((row.get(c) or "").strip() for c in columns) if t and not _is_null(t)]
            return sep.join(texts) or None

        return raw_concat

    def raw_missing(row: dict[str, Any]) -> Any:
        raise MappingError(f"value spec needs column, value or template: {spec}")

    return raw_missing


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
    read = _compile_raw(spec)
    tname = spec.get("type", type_name)
    # The hints this spec cleans with: its own (the mapping's and the spec's, with ``extra``) or
    # the row's; ``fixed`` when known here, so the memo table is looked up once, not per value.
    own = _compile_hints({**hint_specs, **(spec.get("hints") or {})}, extra) if "hints" in spec or extra else None
    fixed = row_hints if own is None else own if isinstance(own, tuple) else None
    own_of = None if own is None or isinstance(own, tuple) else own
    table = _table(tname, fixed) if fixed is not None else None
    split = spec.get("split")
    refine = compile_refine(spec, "value spec", _is_null)
    refined = _refined_table(spec) if refine is not None and not multiple else None

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
        null_text = tname in ANY_TEXT  # free text: a null token is no value
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
        cleaned = None if null_text and is_null_token(raw) else clean(raw, **fixed_hints)
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


