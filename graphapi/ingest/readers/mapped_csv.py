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
            - {template: "{from_country}:{from_bank}:{from_account}"}
    relationships:
      - type: CALLED
        from: caller
        to: callee
        key: "{record_id}"            # discriminator: each row is its own event
        when: {column: role, in: [victim]}       # optional condition
        properties:
          at: {column: start_time}

A value spec is ``{column}``, ``{value}`` (a literal) or ``{template}`` (``str.format`` over the
row), with optional ``type`` (defaults to the property's ontology type), ``split`` (for
multi-valued properties) and ``hints``. An entity whose key does not clean is kept as text on the
entity it would have linked to (or rejects the row if ``required``); any other value that does
not clean rejects the row, unless it is empty or a null token (``n/a``, ``null``, ``-``, ...:
:data:`NULL_TOKENS`). A relationship is made only if both ends exist. Every mapped column must
be in the file's header (matched without case or surrounding blanks), else the file is refused
with :class:`MappingError` before any row. Rows read = rows loaded + rows rejected.
"""

from __future__ import annotations

import csv
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graphapi.ingest.readers.base import Item, ReadStats, csv_field_limit, unsafe_text
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ontology import Model, OntologyError, load_model
from graphapi.ontology.types import get_type

_CACHE_MAX = 500_000
#: ``(type, raw, hints) -> cleaned value``: value types are pure functions, so one memo serves
#: every reader (a call-record feed names the numbers the subscriber feed loaded just before).
_CLEANED: dict[tuple[Any, ...], Any] = {}
MAPPINGS = Path(__file__).resolve().parents[3] / "seed" / "mappings"


#: Cell values that say "no value" (compared without case); anything else that does not clean
#: is an invalid value and rejects its row (a key property that does not clean is kept as text).
NULL_TOKENS = frozenset({"n/a", "na", "#n/a", "null", "none", "nil", "-", "--", "-0-", "unknown", "?"})


class _BadValue(ValueError):
    """A row value that cannot be evaluated; the row is rejected with this reason."""


@dataclass(frozen=True)
class _PropertyPlan:
    """One mapped property, its ontology facts decided once per mapping: ``owner`` (entity name or
    relationship type, for reasons), ``column`` (a plain column whose raw value can be shown when
    it does not clean; ``None`` for key properties and other specs)."""

    owner: str
    name: str
    spec: Any
    type: str
    multiple: bool
    extra: dict[str, Any]
    column: str | None


def _plan(properties: dict[str, Any], spec: dict[str, Any], owner: str, keys: tuple[str, ...] = ()
          ) -> list[_PropertyPlan]:
    """The property plans of one mapped entity or relationship ``spec`` over the ontology's
    ``properties`` (``keys``: its key properties, never reported as invalid: kept as text)."""
    out = []
    for name, pspec in (spec.get("properties") or {}).items():
        prop = properties[name]
        extra = {"values": prop.values} if prop.type == "enum" else {}
        out.append(_PropertyPlan(owner, name, pspec, prop.type, prop.multiple, extra,
                                 None if name in keys else _column_of(pspec)))
    return out


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


def _unclean(row: dict[str, Any], column: str) -> str | None:
    """The raw text of ``column`` if it holds a value (not empty, not a null token), else None;
    called only when the value did not clean, so a result means an invalid value."""
    raw = row.get(column)
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return raw if raw and raw.lower() not in NULL_TOKENS else None


class MappingError(ValueError):
    """A mapping file is malformed or names something the ontology does not have."""


class _Row(dict):
    def __missing__(self, key: str) -> str:
        return ""


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

    def __init__(self, mapping: Mapping, paths: list[Path], *, source: str | None = None) -> None:
        self.mapping = mapping
        self.paths = [Path(p) for p in paths]
        self.source = source or mapping.source
        self.stats = ReadStats()
        self.model = load_model()
        self._cache = _CLEANED  # shared by every reader of the process: feeds repeat each other's numbers
        self._row_hints: tuple[tuple[str, Any], ...] = ()
        # Per-row work decided once: the mapping's hints (constant unless read from a column),
        # and per entity / relationship the ontology facts of each mapped property.
        hint_specs = mapping.doc.get("hints") or {}
        self._hints_vary = any(isinstance(v, dict) for v in hint_specs.values())
        self._const_hints = () if self._hints_vary else tuple(sorted(self._hints(_Row(), None).items()))
        self._entity_plans = []
        for ename, spec in mapping.entities.items():
            lb = self.model.label(spec["label"])
            required = [p.name for p in lb.properties.values() if p.required and p.name != "id"]
            self._entity_plans.append((ename, spec, lb, _plan(lb.properties, spec, ename, keys=lb.key), required))
        self._columns = _columns_in(mapping.doc)
        self._relationship_plans = []
        for rel in mapping.relationships:
            rt = self.model.relationship(rel["type"])
            self._relationship_plans.append((rel, rt, _plan(rt.properties, rel, rt.name)))

    # -- values --------------------------------------------------------------------------------
    def _hints(self, row: _Row, spec: dict[str, Any] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in {**(self.mapping.doc.get("hints") or {}), **(spec or {})}.items():
            out[k] = self._raw(row, v) if isinstance(v, dict) else v
        return {k: v for k, v in out.items() if v not in (None, "")}

    @staticmethod
    def _raw(row: _Row, spec: dict[str, Any]) -> Any:
        if "column" in spec:
            v = row.get(spec["column"])
            return v.strip() if isinstance(v, str) else v
        if "value" in spec:
            return spec["value"]
        if "template" in spec:
            text = str(spec["template"]).format_map(row).strip()
            return text if text.strip(":|- ") else None
        raise MappingError(f"value spec needs column, value or template: {spec}")

    def _value(self, row: _Row, spec: Any, type_name: str, multiple: bool, extra: dict[str, Any]) -> Any:
        if not multiple and not extra and type(spec) is dict and len(spec) == 1 and "column" in spec:
            raw = row.get(spec["column"])  # the common case, {column: X}, without the general path
            if isinstance(raw, str):
                raw = raw.strip()
            return None if raw is None or raw == "" else self._clean(type_name, raw, self._row_hints)
        if isinstance(spec, list):
            for sub in spec:
                v = self._value(row, sub, type_name, multiple, extra)
                if v not in (None, []):
                    return v
            return None
        if not isinstance(spec, dict):
            spec = {"value": spec}
        raw = self._raw(row, spec)
        if raw in (None, ""):
            return None
        tname = spec.get("type", type_name)
        if "hints" in spec or extra:
            hints = tuple(sorted({**self._hints(row, spec.get("hints")), **extra}.items()))
        else:
            hints = self._row_hints  # the mapping's hints, evaluated once per row
        if multiple:
            parts = str(raw).split(spec["split"]) if spec.get("split") else [raw]
            vals = [self._clean(tname, p, hints) for p in parts]
            return list(dict.fromkeys(v for v in vals if v not in (None, ""))) or None
        return self._clean(tname, raw, hints)

    def _clean(self, type_name: str, raw: Any, hints: tuple[tuple[str, Any], ...]) -> Any:
        """``get_type(type_name).clean(raw, **hints)``, memoised: feeds repeat the same numbers,
        accounts and timestamps, and phone parsing dominates the cost (about 200 µs a number)."""
        key = (type_name, raw, hints)
        try:
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # unhashable hint
            return get_type(type_name).clean(raw, **dict(hints))
        value = get_type(type_name).clean(raw, **dict(hints))
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
        self._cache[key] = value
        return value

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
            with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
                reader = csv.DictReader(fh, delimiter=opts.get("delimiter", ","))
                self._check_header(path, reader)
                while True:
                    try:
                        raw = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:  # e.g. a field over csv.field_size_limit(): this row only
                        self.stats.rows += 1
                        self.stats.rejected += 1
                        # line_num has not yet counted the line the bad record starts on
                        yield Rejection(path.name, reader.line_num + 1, f"unreadable CSV row: {exc}", None)
                        continue
                    self.stats.rows += 1
                    unsafe = unsafe_text(raw.values())
                    if unsafe:
                        self.stats.rejected += 1
                        yield Rejection(path.name, reader.line_num, unsafe, {k: v for k, v in raw.items() if k})
                        continue
                    origin = Origin(self.source, path.name, reader.line_num)
                    items = self._row(_Row(raw), origin)
                    if items and isinstance(items[0], Rejection):
                        self.stats.rejected += 1
                        yield items[0]
                        continue
                    yield from items

    def _check_header(self, path: Path, reader: csv.DictReader) -> None:
        """Match the header to the mapping's columns (without case or surrounding blanks) and
        raise :class:`MappingError` naming any mapped column the file lacks (an empty file passes),
        ``UnicodeDecodeError`` if the header itself is not text."""
        header = reader.fieldnames
        if not header:
            return
        if unsafe_text(header):  # not a text file at all: the same error as an undecodable file
            raise UnicodeDecodeError("utf-8", b"", 0, 1, f"{path.name}: the header is not UTF-8 text")
        by_key = {h.strip().lower(): h for h in header if isinstance(h, str)}
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
        reader.fieldnames = renamed

    def _keep_as_text(self, row: _Row, ename: str, spec: dict[str, Any], label: str,
                      unusable: dict[str, str]) -> None:
        raws = []
        for pspec in (spec.get("properties") or {}).values():
            for sub in pspec if isinstance(pspec, list) else [pspec]:
                if isinstance(sub, dict) and "column" in sub:
                    v = (row.get(sub["column"]) or "").strip()
                    if v and v not in raws:
                        raws.append(v)
        if raws:
            unusable[ename] = f"{label}:{raws[0]}"

    def _fill(self, row: _Row, plan: list[_PropertyPlan], used: set[str], failed: dict[str, str]) -> dict[str, Any]:
        """The cleaned properties ``plan`` maps from ``row``. A plain column whose value filled a
        property goes into ``used``; one whose value did not clean (and is no null token) into
        ``failed``, with the reason, unless it is a key. Raises :class:`_BadValue` for a spec that
        cannot be evaluated (a bad template, a value its type refuses outright)."""
        props: dict[str, Any] = {}
        for p in plan:
            try:
                value = self._value(row, p.spec, p.type, p.multiple, p.extra)
            except (MappingError, KeyError, ValueError) as exc:
                raise _BadValue(f"{p.owner}.{p.name}: {exc}") from None
            if value is not None and value != []:
                props[p.name] = value
                if p.column is not None:
                    used.add(p.column)
            elif p.column is not None and p.column not in failed and (raw := _unclean(row, p.column)) is not None:
                failed[p.column] = f"{p.owner}.{p.name}: invalid {p.type} value {raw!r}"
        return props

    def _row(self, row: _Row, o: Origin) -> list[Item]:
        self._row_hints = tuple(sorted(self._hints(row, None).items())) if self._hints_vary else self._const_hints
        nodes: dict[str, NodeRecord] = {}
        unusable: dict[str, str] = {}  # entity name -> "Label:raw value" that did not clean
        # A column whose value fills no property it is mapped to is an invalid value (a column
        # may feed several on purpose, e.g. an account number that may or may not be an IBAN).
        used: set[str | None] = set()
        failed: dict[str, str] = {}
        for ename, spec, lb, plan, required in self._entity_plans:
            try:
                props = self._fill(row, plan, used, failed)
            except _BadValue as exc:
                return [Rejection(o.file, o.line, str(exc), dict(row))]
            try:
                if "id" in spec:
                    node_id = self._value(row, spec["id"], "string", False, {})
                    if not node_id:
                        raise OntologyError("empty id")
                else:
                    node_id = self.model.node_id(lb.name, props)
            except OntologyError as exc:
                if spec.get("required"):
                    return [Rejection(o.file, o.line, f"{ename} ({lb.name}): {exc}", dict(row))]
                self._keep_as_text(row, ename, spec, lb.name, unusable)
                continue
            missing = [name for name in required if name not in props]
            if missing:
                if spec.get("required"):
                    return [Rejection(o.file, o.line, f"{ename} ({lb.name}) lacks {missing}", dict(row))]
                self._keep_as_text(row, ename, spec, lb.name, unusable)
                continue
            nodes[ename] = NodeRecord(lb.name, node_id, props, o)
        if unusable:
            for rel in self.mapping.relationships:
                # an identifier that did not clean ("N/A", "0", a cut number) is kept as text on the
                # entity it would have linked to, never as a node
                a, b = nodes.get(rel["from"]), nodes.get(rel["to"])
                for present, absent in ((a, rel["to"]), (b, rel["from"])):
                    if present is not None and absent in unusable and self._when(row, rel.get("when")):
                        present.properties.setdefault("identifiers", []).append(unusable[absent])
        out: list[Item] = list(nodes.values())
        for rel, rt, plan in self._relationship_plans:
            a, b = nodes.get(rel["from"]), nodes.get(rel["to"])
            if a is None or b is None or not self._when(row, rel.get("when")):
                continue
            try:
                props = self._fill(row, plan, used, failed)
            except _BadValue as exc:
                return [Rejection(o.file, o.line, str(exc), dict(row))]
            key = str(rel["key"]).format_map(row) if rel.get("key") else ""
            rid = self.model.relationship_id(rt.name, a.id, b.id, key)
            out.append(EdgeRecord(rt.name, rid, a.id, b.id, props, o))
        for column, what in failed.items():
            if column not in used:
                return [Rejection(o.file, o.line, f"{what} in column {column!r}", dict(row))]
        return out

    def _when(self, row: _Row, cond: dict[str, Any] | None) -> bool:
        if not cond:
            return True
        value = (row.get(cond["column"]) or "").strip()
        if "in" in cond:
            return value in [str(v) for v in cond["in"]]
        if "equals" in cond:
            return value == str(cond["equals"])
        return bool(value)
