"""Reader for partner CSV feeds described by a declarative YAML mapping (``seed/mappings/``).

In the spirit of FollowTheMoney mappings: a mapping names the entities each row makes and the
relationships between them; every value is cleaned by the ontology's value type of the property
it fills (``graphapi.ontology.types``), with hints such as the row's country for phone numbers.

Mapping shape::

    name: telecom-cdr                 # also the default source id
    description: ...
    csv: {delimiter: ",", encoding: utf-8}
    hints: {country: {column: country}, tz: Asia/Bangkok}    # passed to every clean()
    entities:
      caller:                         # a name used by relationships
        label: Phone
        required: true                # a row whose caller does not clean is rejected
        properties:
          number: {column: caller}
      person:
        label: Person
        id: {template: "imm-{person_id}"}        # for labels keyed by id
        properties:
          name: {column: full_name}
          nationality: {column: nationality, split: ";"}
      account:
        label: BankAccount
        properties:
          accountKey:                 # a list: the first spec that cleans wins (coalesce)
            - {column: from_account, type: iban}
            - {template: "{from_country:country}:{from_bank}:{from_account}"}
    relationships:
      - type: CALLED
        from: caller
        to: callee
        key: "{record_id}"            # discriminator: each row is its own event
        when: {column: role, in: [victim]}       # optional condition
        required: true                # the row asserts it: one that makes no CALLED is rejected
        properties:
          at: {column: start_time}

A value spec is ``{column}``, ``{value}`` (a literal) or ``{template}`` (``str.format`` over the
row), with optional ``type`` (defaults to the property's ontology type), ``split`` (for
multi-valued properties) and ``hints``. An entity whose key does not clean is kept as text on the
entity it would have linked to (or rejects the row if ``required``); any other value that does
not clean rejects the row, unless it is empty or a null token (``n/a``, ``null``, ``-``, ...:
:mod:`graphapi.ingest.readers.nulls`), which is no value in free text and ids, and in a typed
column unless its type takes it (``NA`` is Namibia's country code). A relationship is made only if both ends exist.

Templates (``id``, ``{template}`` values and relationship keys) are all or nothing: a
template with a field whose column is empty, a null token (a typed field's: one its type does
not take) or only zeros (``0``, ``000000``: the
exclusion list's placeholder ids) gives no value (fields are stripped of surrounding blanks), so an id never
becomes ``TH-DSI-`` or ``imm-N/A`` (a ``required`` entity rejects the row naming the column, any
other is not made, as for a missing key), and a ``key`` that gives no value rejects the row
naming the column (distinct events would share one relationship id). A field may name a value
type to clean its column with before formatting, without hints: ``{from_country:country}`` puts
``MM`` in the text for ``Myanmar``, ``Burma`` or ``mm``; a value that does not clean gives no value.

A relationship with properties read from the row is an *event* (a call, a transfer): when one of
its ends has a value that cannot be used (it does not clean, or it is a placeholder identifier on
the exclusion list, ``seed/exclusions``, that the identifier guard would not write), the event is
not made and its row is rejected with the reason, unless the row makes the same relationship type
to another end (a transfer to a wallet instead of an account). A relationship with no properties
of its own, or only literal ones (a plain link: ``USES_PHONE``), is not made and the value is kept
as text on the other entity, as above. A relationship marked ``required: true`` is what each row
asserts: a row that makes no relationship of that type (whose ``when`` holds), for want of an end
(a transfer with neither a to-account nor a wallet), is rejected naming the missing ends.

Files: every mapped column must be in the file's header (matched without case or surrounding
blanks) exactly once, else the file is refused with :class:`MappingError` before any row. A row
with more fields than the header is rejected (``10 fields, header has 8``); so is a row with
fewer, unless the fields it lacks are all trailing columns the mapping does not read (a dropped
trailing comment column). An empty file (no header) reads no rows and logs a warning. A mapping
with no entities is refused. Rows read = rows loaded + rows rejected.
"""

from __future__ import annotations

import csv
import logging
import string
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from graphapi.ingest.guard import Exclusions, IdentifierGuard, load_exclusions
from graphapi.ingest.readers.base import Item, ReadStats, csv_field_limit, unsafe_text
from graphapi.ingest.readers.nulls import NULL_TOKENS, no_value  # noqa: F401 (NULL_TOKENS: re-exported)
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ontology import Label, Model, OntologyError, RelationshipType, load_model
from graphapi.ontology.ids import canonical_id
from graphapi.ontology.types import get_type

log = logging.getLogger("graphapi.ingest")
_CACHE_MAX = 500_000
#: exclusion lists (:func:`_fingerprint`) -> (a guard over them, {node id: True if it would not
#: write that node}): like the value memo, one table serves every reader with the same lists.
_PLACEHOLDERS: dict[Any, tuple[IdentifierGuard, dict[str, bool]]] = {}
#: ``(type, hints) -> {raw: cleaned value}``: value types are pure functions, so one memo serves
#: every reader (a call-record feed names the numbers the subscriber feed loaded just before).
#: A getter whose hints are fixed holds its table, so a repeated value costs one look-up.
_CLEANED: dict[tuple[str, Any], dict[Any, Any]] = {}
_remembered = 0  # values in all tables; at _CACHE_MAX every table is emptied
MAPPINGS = Path(__file__).resolve().parents[3] / "seed" / "mappings"



#: Hints as ``_clean`` takes them: ``(name, value)`` pairs sorted by name (hashable, for the memo).
Hints = tuple[tuple[str, Any], ...]
#: A compiled value spec: ``(row, the row's mapping hints) -> cleaned value or None``. Raises
#: MappingError, KeyError or ValueError when the spec cannot be evaluated on that row.
Getter = Callable[[dict[str, Any], Hints], Any]


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
    global _remembered
    if table is not None:
        try:
            return table[raw]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (a list literal): not remembered
            table = None
    value = get_type(type_name).clean(raw, **dict(hints))
    if table is not None:
        if _remembered >= _CACHE_MAX:
            for other in _CLEANED.values():
                other.clear()  # emptied in place: getters hold their tables
            _remembered = 0
        table[raw] = value
        _remembered += 1
    return value


def _compile_raw(spec: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    """What a ``{column}``, ``{value}`` or ``{template}`` spec reads from a row: a column's text
    stripped (None if the row lacks it), the literal, or the template's text (None when only
    separators are left). A spec with none of the three raises MappingError on every row, so
    each row is rejected naming it."""
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
            return _field(row, column, None, None)[0]

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


def _fingerprint(ex: Exclusions) -> Any:
    """A hashable summary of exclusion lists: readers with equal lists share one placeholder memo."""
    return (frozenset(ex.any), tuple(p.pattern for p in ex.patterns),
            frozenset((k, frozenset(v)) for k, v in ex.values.items()),
            frozenset((k, tuple(v)) for k, v in ex.contains.items()), frozenset(ex.identifier_labels))


def _compile_hints(specs: dict[str, Any], extra: dict[str, Any]) -> Hints | Callable[[dict[str, Any]], Hints]:
    """The hints ``specs`` give: a ``{column}``/``{template}`` hint is read from the row, any other
    is a constant; empty ones are dropped and ``extra`` (an enum's values) is added. Hints that
    read no column are worked out here, once, and returned as such; others as a function of a row."""
    readers = [(k, _compile_raw(v) if isinstance(v, dict) else None, v) for k, v in specs.items()]

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

    def value(row: dict[str, Any], hints: Hints) -> Any:
        raw = read(row)
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
        vals = [_clean(tname, p, hints, memo) for p in parts]
        return list(dict.fromkeys(v for v in vals if v not in (None, ""))) or None

    if "column" not in spec or multiple or table is None:
        return value
    column = spec["column"]

    def column_value(row: dict[str, Any], hints: Hints) -> Any:
        # the common case, a single value from a column with fixed hints: one memo look-up
        raw = row.get(column)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            return None
        try:
            return table[raw]
        except (KeyError, TypeError):  # first sight (or unhashable): cleaned and remembered by value()
            return value(row, hints)

    return column_value


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


class _PropertyPlan(NamedTuple):
    """One mapped property, compiled once per mapping: ``owner`` (entity name or relationship
    type, for reasons), its ontology ``type``, ``column`` (a plain column whose raw value can be
    shown when it does not clean; ``None`` for key properties and other specs) and ``value``."""

    owner: str
    name: str
    type: str
    column: str | None
    value: Getter


@dataclass(frozen=True, slots=True)
class _EntityPlan:
    """One mapped entity, compiled: its ``id`` getter (labels keyed by id), the properties its
    label requires besides the id (``needs``: a dict for its ordered set of keys), the
    ``text_columns`` whose first raw text is kept on a linked entity when this one cannot be made
    and the ``key_templates`` its id or key properties are built from (to say why they are not)."""

    name: str
    label: str
    required: bool
    id: Getter | None
    properties: tuple[_PropertyPlan, ...]
    needs: dict[str, None]
    text_columns: tuple[str, ...]
    key_templates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _RelationshipPlan:
    """One mapped relationship, compiled: ``start``/``end`` entity names, ``when`` test (None:
    always), ``key`` template and its getter (None: no discriminator), and whether it is an
    ``event``: a relationship with properties read from the row (a call, a transfer)."""

    type: str
    start: str
    end: str
    when: Callable[[dict[str, Any]], bool] | None
    key: str | None
    key_of: Callable[[dict[str, Any]], str | None] | None
    properties: tuple[_PropertyPlan, ...]
    event: bool
    required: bool = False


def _plan(properties: dict[str, Any], spec: dict[str, Any], owner: str, hint_specs: dict[str, Any],
          row_hints: Hints | None, keys: tuple[str, ...] = ()) -> tuple[_PropertyPlan, ...]:
    """The property plans of one mapped entity or relationship ``spec`` over the ontology's
    ``properties`` (``keys``: its key properties, never reported as invalid: kept as text)."""
    out = []
    for name, pspec in (spec.get("properties") or {}).items():
        prop = properties[name]
        extra = {"values": prop.values} if prop.type == "enum" else {}
        value = _compile_value(pspec, prop.type, prop.multiple, extra, hint_specs, row_hints)
        out.append(_PropertyPlan(owner, name, prop.type, None if name in keys else _column_of(pspec), value))
    return tuple(out)


def _entity_plan(name: str, spec: dict[str, Any], lb: Label, hint_specs: dict[str, Any],
                 row_hints: Hints | None) -> _EntityPlan:
    """Compile the mapped entity ``name`` (``spec``) of ontology label ``lb``; ``hint_specs`` and
    ``row_hints`` as for :func:`_compile_value`."""
    return _EntityPlan(
        name, lb.name, bool(spec.get("required")),
        _compile_value(spec["id"], "string", False, {}, hint_specs, row_hints) if "id" in spec else None,
        _plan(lb.properties, spec, name, hint_specs, row_hints, keys=lb.key),
        dict.fromkeys(p.name for p in lb.properties.values() if p.required and p.name != "id"),
        _text_columns(spec),
        tuple(_templates_in([spec.get("id")] + [(spec.get("properties") or {}).get(k) for k in lb.key])))


def _relationship_plan(rel: dict[str, Any], rt: RelationshipType, hint_specs: dict[str, Any],
                       row_hints: Hints | None) -> _RelationshipPlan:
    """Compile the mapped relationship ``rel`` of ontology type ``rt``; ``hint_specs`` and
    ``row_hints`` as for :func:`_compile_value`."""
    key = str(rel["key"]) if rel.get("key") else None
    return _RelationshipPlan(rt.name, rel["from"], rel["to"], _compile_when(rel.get("when")),
                             key, _compile_template(key) if key is not None else None,
                             _plan(rt.properties, rel, rt.name, hint_specs, row_hints),
                             bool(_columns_in(rel.get("properties"))), bool(rel.get("required")))


def _templates_in_doc(doc: Any) -> list[str]:
    """Every ``template`` and relationship ``key`` anywhere in a mapping document."""
    if isinstance(doc, dict):
        return [str(v) for k, v in doc.items() if k in ("template", "key") and isinstance(v, str)] + [
            t for k, v in doc.items() if k not in ("template", "key") for t in _templates_in_doc(v)]
    if isinstance(doc, list):
        return [t for v in doc for t in _templates_in_doc(v)]
    return []


def _templates_in(doc: Any) -> list[str]:
    """Every ``{template}`` of the value specs in ``doc``, in order."""
    if isinstance(doc, dict):
        return [str(doc["template"])] if "template" in doc else []
    if isinstance(doc, list):
        return [t for sub in doc for t in _templates_in(sub)]
    return []


def _columns_in(doc: Any) -> set[str]:
    """Every column a mapping reads: ``{column: X}`` specs and ``{X}`` fields of templates and keys."""
    found: set[str] = set()
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "column" and isinstance(v, str):
                found.add(v)
            elif k in ("template", "key") and isinstance(v, str):
                found.update(f for _, f, _, _ in string.Formatter().parse(v) if f)
            else:
                found |= _columns_in(v)
    elif isinstance(doc, list):
        for v in doc:
            found |= _columns_in(v)
    return found


def _column_of(spec: Any) -> str | None:
    """The column of a plain ``{column: X}`` value spec (whose raw value can be shown), else None."""
    return spec["column"] if isinstance(spec, dict) and set(spec) <= {"column", "type"} and "column" in spec else None


def _text_columns(spec: dict[str, Any]) -> tuple[str, ...]:
    """The columns of an entity's ``{column}`` property specs, in mapping order."""
    return tuple(sub["column"] for pspec in (spec.get("properties") or {}).values()
                 for sub in (pspec if isinstance(pspec, list) else [pspec])
                 if isinstance(sub, dict) and "column" in sub)


def _unclean(row: dict[str, Any], column: str) -> str | None:
    """The raw text of ``column`` if it holds a value (not empty, not a null token), else None;
    called only when the value did not clean, so a result means an invalid value."""
    raw = row.get(column)
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return None if no_value(raw) else raw


class MappingError(ValueError):
    """A mapping file is malformed or names something the ontology does not have."""


class _Blank(dict):
    """A row in which a field the row lacks formats as empty text."""

    def __missing__(self, key: str) -> str:
        return ""


def _format(template: str, row: dict[str, Any]) -> str:
    """``template.format_map(row)``, a field the row lacks (no such column) being empty text. The
    row is a plain dict, cheaper to build than a :class:`_Blank`; the rare miss formats again."""
    try:
        return template.format_map(row)
    except KeyError:
        return template.format_map(_Blank(row))


def _as_row(fields: list[str], cells: list[str]) -> dict[str, Any]:
    """The row ``cells`` under ``fields``, as csv.DictReader makes it: cells past the header are a
    list under ``None``, columns past the cells are None; of repeated names the last one wins."""
    row = dict(zip(fields, cells, strict=False))
    if len(cells) > len(fields):
        row[None] = cells[len(fields):]
    elif len(cells) < len(fields):
        for name in fields[len(cells):]:
            row[name] = None
    return row


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping (see the module docstring); build it with :func:`load_mapping`."""

    name: str
    path: Path
    doc: dict[str, Any]

    @property
    def entities(self) -> dict[str, dict[str, Any]]:
        return self.doc.get("entities") or {}

    @property
    def relationships(self) -> list[dict[str, Any]]:
        return self.doc.get("relationships") or []

    @property
    def source(self) -> str:
        """The dataset id of what the mapping loads: its ``source``, else its name."""
        return self.doc.get("source") or self.name


def load_mapping(path: Path | str, model: Model | None = None) -> Mapping:
    """Read and check a mapping file. ``path`` may be a bare name of a file in ``seed/mappings``.

    Raises :class:`MappingError` for unknown labels, properties, relationship types or entity
    names, and for relationships the ontology does not allow between the two labels.
    """
    model = model or load_model()
    p = Path(path)
    if not p.exists() and (MAPPINGS / f"{path}.yaml").exists():
        p = MAPPINGS / f"{path}.yaml"
    doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    name = doc.get("name") or p.stem
    ents = doc.get("entities") or {}
    if not ents:  # it would read every row and write nothing
        raise MappingError(f"{p.name}: the mapping has no entities")
    for template in _templates_in_doc(doc):
        try:
            _template_fields(template)
        except MappingError as exc:
            raise MappingError(f"{p.name}: {exc}") from None
    for ename, spec in ents.items():
        try:
            lb = model.label(spec["label"])
        except (KeyError, OntologyError) as exc:
            raise MappingError(f"{p.name}: entity {ename}: {exc}") from None
        for prop in spec.get("properties") or {}:
            if prop not in lb.properties:
                raise MappingError(f"{p.name}: entity {ename}: {lb.name} has no property {prop!r}")
        if lb.key == ("id",) and "id" not in spec:
            raise MappingError(f"{p.name}: entity {ename}: {lb.name} is keyed by id; give an id spec")
    for rel in doc.get("relationships") or []:
        try:
            rt = model.relationship(rel["type"])
        except (KeyError, OntologyError) as exc:
            raise MappingError(f"{p.name}: relationship {rel}: {exc}") from None
        for end in ("from", "to"):
            if rel.get(end) not in ents:
                raise MappingError(f"{p.name}: {rt.name}.{end} names no entity: {rel.get(end)!r}")
        if not model.allows(rt.name, ents[rel["from"]]["label"], ents[rel["to"]]["label"]):
            raise MappingError(f"{p.name}: {rt.name} not allowed from {rel['from']} to {rel['to']}")
        for prop in rel.get("properties") or {}:
            if prop not in rt.properties:
                raise MappingError(f"{p.name}: {rt.name} has no property {prop!r}")
    return Mapping(name, p, doc)


class MappedCsvReader:
    """Reads CSV files with a :class:`Mapping`; see the module docstring."""

    def __init__(self, mapping: Mapping, paths: list[Path], *, source: str | None = None,
                 exclusions: Exclusions | None = None) -> None:
        self.mapping = mapping
        self.paths = [Path(p) for p in paths]
        self.source = source or mapping.source
        self.stats = ReadStats()
        self.model = load_model()
        # placeholder identifiers (seed/exclusions and LINTAS_EXCLUSIONS unless given): an event
        # with such an end is rejected here, with its row, rather than made text by the guard
        self._exclusions = exclusions or load_exclusions()
        self._lists = _fingerprint(self._exclusions)
        if self._lists not in _PLACEHOLDERS:
            _PLACEHOLDERS[self._lists] = (IdentifierGuard(self._exclusions, model=self.model), {})
        self._guard, self._placeholders = _PLACEHOLDERS[self._lists]
        # Everything a row needs from the mapping and the ontology is compiled here, once: the
        # mapping's hints (constant unless read from a column) and per entity / relationship a
        # getter per mapped property, so no row re-reads a spec.
        hints = mapping.doc.get("hints") or {}
        self._hints = _compile_hints(hints, {})
        fixed = self._hints if isinstance(self._hints, tuple) else None
        self._entity_plans = [_entity_plan(ename, spec, self.model.label(spec["label"]), hints, fixed)
                              for ename, spec in mapping.entities.items()]
        self._relationship_plans = [_relationship_plan(rel, self.model.relationship(rel["type"]), hints, fixed)
                                    for rel in mapping.relationships]
        self._columns = _columns_in(mapping.doc)

    # -- rows ----------------------------------------------------------------------------------
    def records(self) -> Iterator[Item]:
        """Yield records and rejections for every row of every file."""
        opts = self.mapping.doc.get("csv") or {}
        csv_field_limit()
        for path in self.paths:
            # surrogateescape: a byte that is not in the encoding rejects its row, not the file
            # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first column name
            encoding = opts.get("encoding", "utf-8")
            encoding = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
            name = path.name
            with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
                reader = csv.reader(fh, delimiter=opts.get("delimiter", ","))
                header = next(reader, None)
                if header is None:
                    log.warning("%s is empty: no header, no rows; nothing loaded from it", name)
                fields = self._check_header(path, header)
                # a row must have the header's fields, or lack only trailing ones the mapping does not read
                width = len(fields)
                need = max((i + 1 for i, f in enumerate(fields) if f in self._columns), default=0)
                # ``line`` counts as csv.DictReader's line_num did: the reader's line count after
                # a record, or after the first line of a run of blank lines a bad record follows
                line = reader.line_num
                while True:
                    try:
                        cells = next(reader)
                        line = reader.line_num
                        while not cells:  # blank lines are no rows
                            cells = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:  # e.g. a field over csv.field_size_limit(): this row only
                        self.stats.rows += 1
                        self.stats.rejected += 1
                        # line has not yet counted the line the bad record starts on
                        yield Rejection(name, line + 1, f"unreadable CSV row: {exc}", None)
                        continue
                    line = reader.line_num
                    self.stats.rows += 1
                    if len(cells) != width and (len(cells) > width or len(cells) < need):
                        self.stats.rejected += 1
                        yield Rejection(name, line, f"{len(cells)} fields, header has {width}", cells)
                        continue
                    row = _as_row(fields, cells)
                    unsafe = unsafe_text(row.values())
                    if unsafe:
                        self.stats.rejected += 1
                        yield Rejection(name, line, unsafe, {k: v for k, v in row.items() if k})
                        continue
                    items = self._row(row, Origin(self.source, name, line))
                    if items and isinstance(items[0], Rejection):
                        self.stats.rejected += 1
                        yield items[0]
                        continue
                    yield from items

    def _check_header(self, path: Path, header: list[str] | None) -> list[str]:
        """The column names of a file with ``header`` (None: the file is empty): the header, with
        each name that matches a mapped column without case or surrounding blanks renamed to it.
        Raises :class:`MappingError` naming any mapped column the file lacks or has more than once
        (a file with no header passes), ``UnicodeDecodeError`` if the header itself is not text."""
        if not header:
            return header or []
        if unsafe_text(header):  # not a text file at all: the same error as an undecodable file
            raise UnicodeDecodeError("utf-8", b"", 0, 1, f"{path.name}: the header is not UTF-8 text")
        by_key = {h.strip().lower(): h for h in header if isinstance(h, str)}
        seen = Counter(h.strip().lower() for h in header if isinstance(h, str))
        twice = sorted(c for c in self._columns if seen[c.strip().lower()] > 1)
        if twice:  # which of the two would a row mean?
            raise MappingError(f"{path.name}: the header has the mapped column(s) {twice} more than once; "
                               f"it has {list(header)}")
        renamed = list(header)
        missing = []
        for column in sorted(self._columns):
            if column in header:
                continue
            found = by_key.get(column.strip().lower())
            if found is None:
                missing.append(column)
            else:
                renamed[renamed.index(found)] = column
        if missing:
            raise MappingError(f"{path.name}: the header lacks the mapped column(s) {missing}; it has {list(header)}")
        return renamed

    def _row(self, row: dict[str, Any], o: Origin) -> list[Item]:
        """The records one row makes, or ``[Rejection]``."""
        hints = self._hints if isinstance(self._hints, tuple) else self._hints(row)
        nodes: dict[str, NodeRecord] = {}
        unusable: dict[str, str] = {}  # entity name -> "Label:raw value" that did not clean
        # A column whose value fills no property it is mapped to is an invalid value (a column
        # may feed several on purpose, e.g. an account number that may or may not be an IBAN).
        used: set[str] = set()
        failed: dict[str, str] = {}
        for ent in self._entity_plans:
            try:
                props = _fill(row, hints, ent.properties, used, failed)
            except _BadValue as exc:
                return [Rejection(o.file, o.line, str(exc), dict(row))]
            try:
                if ent.id is not None:
                    node_id = ent.id(row, hints)
                    if not node_id:
                        raise OntologyError("no id")
                    node_id = canonical_id(node_id, "id")  # InvalidId: a control character, too long
                else:
                    node_id = self.model.node_id(ent.label, props)
            except OntologyError as exc:
                if ent.required:
                    gap = _template_gap(ent.key_templates, row)
                    why = f"{exc}: {gap}" if gap else str(exc)
                    return [Rejection(o.file, o.line, f"{ent.name} ({ent.label}): {why}", dict(row))]
                _keep_as_text(row, ent, unusable)
                continue
            if not ent.needs.keys() <= props.keys():
                missing = [name for name in ent.needs if name not in props]
                if ent.required:
                    return [Rejection(o.file, o.line, f"{ent.name} ({ent.label}) lacks {missing}", dict(row))]
                _keep_as_text(row, ent, unusable)
                continue
            nodes[ent.name] = NodeRecord(ent.label, node_id, props, o)
        if unusable:
            for rel in self._relationship_plans:
                # an identifier that did not clean ("N/A", "0", a cut number) is kept as text on the
                # entity it would have linked to, never as a node
                a, b = nodes.get(rel.start), nodes.get(rel.end)
                for present, absent in ((a, rel.end), (b, rel.start)):
                    if present is not None and absent in unusable and (rel.when is None or rel.when(row)):
                        present.properties.setdefault("identifiers", []).append(unusable[absent])
        out: list[Item] = list(nodes.values())
        lost: list[tuple[str, str]] = []  # (type, reason) of events not made for want of a usable end
        known = self._placeholders
        for rel in self._relationship_plans:
            a, b = nodes.get(rel.start), nodes.get(rel.end)
            if rel.when is not None and not rel.when(row):
                continue
            # an event between two ends known not to be placeholders (the common case) is made
            if rel.event and (a is None or b is None or known.get(a.id) is not False
                              or known.get(b.id) is not False):
                why = self._unusable_end(rel, a, b, unusable)
                if why:
                    lost.append((rel.type, f"{rel.type} {rel.start} -> {rel.end} not made: {why}"))
                    continue
            if a is None or b is None:
                continue
            try:
                props = _fill(row, hints, rel.properties, used, failed)
            except _BadValue as exc:
                return [Rejection(o.file, o.line, str(exc), dict(row))]
            key = ""
            if rel.key_of is not None:
                key = rel.key_of(row)
                if key is None:
                    gap = _template_gap((rel.key,), row) or "it is empty"
                    return [Rejection(o.file, o.line, f"{rel.type} {rel.start} -> {rel.end}: no key "
                                      f"{rel.key!r}: {gap}", dict(row))]
            rid = self.model.relationship_id(rel.type, a.id, b.id, key)
            out.append(EdgeRecord(rel.type, rid, a.id, b.id, props, o))
        for column, what in failed.items():
            if column not in used:
                return [Rejection(o.file, o.line, f"{what} in column {column!r}", dict(row))]
        for rel_type, why in lost:  # unless made to another end: a transfer to a wallet, not an account
            if not any(isinstance(r, EdgeRecord) and r.type == rel_type for r in out):
                return [Rejection(o.file, o.line, why, dict(row))]
        missing_rel = self._required_not_made(row, nodes, out)
        if missing_rel:
            return [Rejection(o.file, o.line, missing_rel, dict(row))]
        return out

    def _required_not_made(self, row: dict[str, Any], nodes: dict[str, NodeRecord], out: list[Item]) -> str:
        """Why the row lacks a relationship its mapping marks ``required`` (a transfer with neither
        a to-account nor a wallet), "" if every required type was made (to one of its ends)."""
        made = {r.type for r in out if isinstance(r, EdgeRecord)}
        wanted = [rel for rel in self._relationship_plans
                  if rel.required and rel.type not in made and (rel.when is None or rel.when(row))]
        if not wanted:
            return ""
        ends = sorted({name for rel in wanted for name in (rel.start, rel.end) if name not in nodes})
        return f"no {wanted[0].type} made: the row has no {' or '.join(ends)}"

    def _unusable_end(self, rel: _RelationshipPlan, a: NodeRecord | None, b: NodeRecord | None,
                      unusable: dict[str, str]) -> str:
        """Why the event ``rel`` cannot be written between ``a`` and ``b`` (either may be None: an
        entity this row did not make): an end whose value did not clean (in ``unusable``), or an
        identifier the identifier guard would not write (a placeholder: ``0``, ``N/A``, a
        hotline); "" if none, or if an end is simply absent."""
        for node, name in ((a, rel.start), (b, rel.end)):
            if node is None:
                if name in unusable:
                    return f"{name} is unusable ({unusable[name]})"
            elif self._placeholder(node):
                return f"{name} is a placeholder ({node.label}:{node.id.split(':', 1)[-1]})"
        return ""

    def _placeholder(self, node: NodeRecord) -> bool:
        """True if the identifier guard would not write ``node`` (an identifier whose key or search
        value is on the exclusion list), asked of a guard over the reader's exclusion lists and
        remembered by id (in :data:`_PLACEHOLDERS`)."""
        hit = self._placeholders.get(node.id)
        if hit is None:
            if len(self._placeholders) >= _CACHE_MAX:  # the guard remembers every node it saw
                self._placeholders.clear()
                self._guard = IdentifierGuard(self._exclusions, model=self.model)
                _PLACEHOLDERS[self._lists] = (self._guard, self._placeholders)
            hit = self._placeholders[node.id] = next(iter(self._guard.process([node])), None) is None
        return hit


def _fill(row: dict[str, Any], hints: Hints, plan: tuple[_PropertyPlan, ...], used: set[str], failed: dict[str, str]
          ) -> dict[str, Any]:
    """The cleaned properties ``plan`` maps from ``row``. A plain column whose value filled a
    property goes into ``used``; one whose value did not clean (and is no null token) into
    ``failed``, with the reason, unless it is a key. Raises :class:`_BadValue` for a spec that
    cannot be evaluated (a bad template, a value its type refuses outright)."""
    props: dict[str, Any] = {}
    for owner, name, type_name, column, value_of in plan:
        try:
            value = value_of(row, hints)
        except (MappingError, KeyError, ValueError) as exc:
            raise _BadValue(f"{owner}.{name}: {exc}") from None
        if value is not None and value != []:
            props[name] = value
            if column is not None:
                used.add(column)
        elif column is not None and column not in failed and (raw := _unclean(row, column)) is not None:
            failed[column] = f"{owner}.{name}: invalid {type_name} value {raw!r}"
    return props


def _keep_as_text(row: dict[str, Any], ent: _EntityPlan, unusable: dict[str, str]) -> None:
    """Note ``Label:raw`` for an entity that could not be made, from its first column with text."""
    for column in ent.text_columns:
        raw = (row.get(column) or "").strip()
        if raw:
            unusable[ent.name] = f"{ent.label}:{raw}"
            return
