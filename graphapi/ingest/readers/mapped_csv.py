"""Reader for partner CSV feeds described by a declarative YAML mapping (``seed/mappings/``).

The mapping language, every construct with an example, is documented in ``docs/mappings.md``
and compiled by :mod:`graphapi.ingest.mapping`; below, the rules this reader applies to rows
and files.

In the spirit of FollowTheMoney mappings: a mapping names the entities each row makes and the
relationships between them; every value is cleaned by the ontology's value type of the property
it fills (``graphapi.ontology.types``), with hints such as the row's country for phone numbers.

A value spec is ``{column}``, ``{value}`` (a literal) or ``{template}`` (``str.format`` over the
row), with optional ``type`` (defaults to the property's ontology type), ``split`` (for
multi-valued properties) and ``hints``. An entity whose key does not clean is kept as text on the
entity it would have linked to (or rejects the row if ``required``); any other value that does
not clean rejects the row, unless it is empty or a null token (``n/a``, ``null``, ``-``, ...:
:mod:`graphapi.ingest.readers.nulls`), which is no value in free text and ids, and in a typed
column unless its type takes it (``NA`` is Namibia's country code). A relationship is made only
if both ends exist. A BankAccount is linked to its bank's gazetteer node (``AT_BANK``), or
flagged ``unresolvedBank`` with a warning in ``stats.warnings`` (:mod:`graphapi.ingest.identity.banks`).

Templates (``id``, ``{template}`` values and relationship keys) are all or nothing: a
template with a field whose column is empty, a null token or only zeros (``0``, ``000000``: the
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
trailing comment column). A file without a header row is read with ``csv: {header: false}``: its
columns are named by position, ``"1"`` first, and its first row is a row (its width the header's);
a file lacking a mapped column whose first row looks like data is told so. An empty file (no
header) reads no rows and logs a warning. A mapping with no entities is refused. A record is one
line unless the mapping says ``csv: {records: multi-line}`` (:mod:`.csv_lines`); then each file's
records that span lines are one warning (:mod:`.csv_spans`). Rows read = loaded + rejected.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphapi.ingest.guard import Exclusions, load_exclusions
from graphapi.ingest.identity.banks import BankLinks
from graphapi.ingest.mapping.account_rules import AccountRules
from graphapi.ingest.mapping.column_rules import apply_rules, column_rules
from graphapi.ingest.mapping.header import numbered_columns
from graphapi.ingest.mapping.model import (
    MAPPINGS,
    ROW_IDENTITY,
    Mapping,
    MappingError,
    _columns_in,
    _read_columns,
    load_mapping,
)
from graphapi.ingest.mapping.order import check_order, compile_order
from graphapi.ingest.mapping.places import place_entities, unknown_place
from graphapi.ingest.mapping.plan import _entity_plan, _relationship_plan, _RelationshipPlan
from graphapi.ingest.mapping.values import (
    NULL_TOKENS,
    _BadValue,
    _compile_hints,
    _template_gap,
)
from graphapi.ingest.readers.base import Item, ReadStats, csv_field_limit, too_many_values, unsafe_text
from graphapi.ingest.readers.csv_lines import BrokenRecord, FramedReader
from graphapi.ingest.readers.csv_spans import SpannedRecords
from graphapi.ingest.readers.entity_memo import EntityMemo
from graphapi.ingest.readers.mapped_fill import fill, keep_as_text, memo_columns
from graphapi.ingest.readers.mapped_header import as_row, check_header
from graphapi.ingest.readers.mapped_placeholders import Placeholders
from graphapi.ingest.readers.row_identity import file_sha256, keyed_by_name
from graphapi.ingest.records import EdgeRecord, LoadWarning, NodeRecord, Origin, Rejection
from graphapi.ontology import OntologyError, load_model
from graphapi.ontology.ids import canonical_id

__all__ = ["MAPPINGS", "NULL_TOKENS", "MappedCsvReader", "Mapping", "MappingError", "load_mapping"]

log = logging.getLogger("graphapi.ingest")
#: a last line holding only DOS's end-of-file byte (Ctrl-Z), as older exports end
_EOF_ROW = ["\x1a"]

#: the end of a single-line record's reason when its quote is not closed on its line
MULTI_LINE_HINT = ("; an export with line breaks inside quoted fields (notes, addresses) says "
                   "csv: {records: multi-line} in its mapping")


def _no_data(cells: list[str], header: list[str] | None) -> str:
    """Why a record is no data row ("" if it is one): the header again (a joined "CSV UTF-8"
    export's header carries its own byte-order mark), or DOS's end-of-file byte."""
    if header is not None and [cells[0].removeprefix("\ufeff"), *cells[1:]] == header:
        return "header row repeated"
    return "end-of-file byte 0x1A" if cells == _EOF_ROW else ""


class MappedCsvReader:
    """Reads CSV files with a :class:`Mapping`; see the module docstring."""

    #: every node id is made canonical in ``_row`` (``canonical_id`` / ``Model.node_id``), and an
    #: edge's ends are those nodes' ids: the pipeline need not check them again
    canonical_ids = True

    def __init__(self, mapping: Mapping, paths: list[Path], *, source: str | None = None,
                 exclusions: Exclusions | None = None) -> None:
        self.mapping = mapping
        self.paths = [Path(p) for p in paths]
        self.source = source or mapping.source
        self.stats = ReadStats()
        #: (file, line, what) of lines that are no data and no row: a repeated header, a final Ctrl-Z
        self.skipped: list[tuple[str, int, str]] = []
        self.model = load_model()
        # placeholder identifiers (seed/exclusions and LINTAS_EXCLUSIONS unless given): an event
        # with such an end is rejected here, with its row, rather than made text by the guard
        self._placeholder = Placeholders(exclusions or load_exclusions(), self.model)
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
        self._any_required = any(rel.required for rel in self._relationship_plans)
        self._columns = _columns_in(mapping.doc)
        # csv: {header: false}: the file has no header row, its columns are named "1", "2", ...
        self._header = (mapping.doc.get("csv") or {}).get("header", True) is not False
        # per-column rules (``columns:``): a cell's text refined once, before anything reads it
        self._rules = column_rules(mapping.doc.get("columns") or {})
        # account numbers written as their bank's format writes them (``account:`` rules), after those
        self._accounts = AccountRules(mapping.doc.get("columns") or {})
        # row identity (``{_file}``, ``{_line}``, ``{_sha256}``): put on the row only if the mapping reads it
        self._identity = bool(_read_columns(mapping.doc) & ROW_IDENTITY)
        self._digest = "_sha256" in _read_columns(mapping.doc)
        #: relationship types keyed by file name and line, not content: a same-named file with
        #: other content (next month's export) merges into the stored rows (see :mod:`.row_identity`)
        self.keyed_by_name = keyed_by_name(mapping.relationships)
        # entities whose id resolves a place through a gazetteer: an id it does not know is flagged
        self._places = place_entities(mapping.entities)
        self._unknown_places: set[str] = set()
        # date order rules (``order:``): a row's dates in an impossible order are rejected or flagged
        self._order = compile_order(mapping.doc, self.model)
        # accounts linked to their gazetteer bank (AT_BANK); an unknown bank flagged and warned of
        self._banks = (BankLinks(self.model, self.stats)
                       if any(spec["label"] == "BankAccount" for spec in mapping.entities.values()) else None)
        # per entity, what it made of the cells it reads (not when the mapping's hints read a column)
        self._memos = [EntityMemo(memo_columns(spec) if fixed is not None else None)
                       for spec in mapping.entities.values()]

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
            digest = file_sha256(path) if self._digest else ""
            with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
                # an open quote never swallows the next records (csv_lines: single-line by default);
                # multi-line: every record over several lines is told as a warning (csv_spans)
                single = opts.get("records", "single-line") == "single-line"
                reader = FramedReader(fh, delimiter=opts.get("delimiter", ","), single_line=single,
                                      hint=MULTI_LINE_HINT)
                spanned, warned_at = (None if single else SpannedRecords()), len(self.stats.warnings)
                header = next(reader, None)
                if header is None:
                    log.warning("%s is empty: no header, no rows; nothing loaded from it", name)
                # csv: {header: false}: the first row is a row, its width numbers the columns
                held = header if header and not self._header else None
                if held is not None:
                    header = numbered_columns(len(held))
                fields = check_header(path, header, self._columns, held is not None)
                # the header again further down (exports joined end to end) is no row
                repeated = list(header) if header and held is None and self._header else None
                # a row must have the header's fields, or lack only trailing ones the mapping does not read
                width = reader.width = len(fields)
                widest = "header has" if self._header else "first row has"
                need = reader.least = max((i + 1 for i, f in enumerate(fields) if f in self._columns), default=0)
                # ``line`` counts as csv.DictReader's line_num did: the reader's line count after
                # a record, or after the first line of a run of blank lines a bad record follows
                line = reader.line_num
                while True:
                    try:
                        if held is not None:  # a headerless file's first row, read in the header's place
                            cells, held = held, None
                        else:
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
                        if isinstance(exc, BrokenRecord):  # its own first line and text
                            yield Rejection(name, exc.line, f"unreadable CSV row: {exc}", exc.raw)
                            continue
                        yield Rejection(name, line + 1, f"unreadable CSV row: {exc}", None)
                        continue
                    line = reader.line_num
                    if spanned is not None:
                        spanned.add(reader.span)
                    skip = _no_data(cells, repeated)
                    if skip:  # no data: neither read nor rejected
                        self.skipped.append((name, line, skip))
                        log.info("%s line %d: %s, not a data row", name, line, self.skipped[-1][2])
                        continue
                    self.stats.rows += 1
                    if len(cells) != width and (len(cells) > width or len(cells) < need):
                        self.stats.rejected += 1  # one line: the reader rejects a multi-line one whole
                        yield Rejection(name, line, f"{len(cells)} fields, {widest} {width}", cells)
                        continue
                    row = as_row(fields, cells)
                    unsafe = unsafe_text(row.values())
                    if unsafe:
                        self.stats.rejected += 1
                        yield Rejection(name, line, unsafe, {k: v for k, v in row.items() if k})
                        continue
                    raw_row = row
                    told: list[str] = []  # warnings of the row's account numbers, if it loads
                    if self._rules or self._identity or self._accounts:
                        row = dict(row)  # a rejection shows the row as the file has it
                        if self._identity:
                            row["_file"], row["_line"], row["_sha256"] = name, str(line), digest
                        why = apply_rules(self._rules, row) if self._rules else ""
                        if not why and self._accounts:
                            why, told = self._accounts.apply(row)
                        if why:
                            self.stats.rejected += 1
                            yield Rejection(name, line, why, raw_row)
                            continue
                    items = self._row(row, Origin(self.source, name, line))
                    if items and isinstance(items[0], Rejection):
                        self.stats.rejected += 1
                        rej = items[0]
                        yield rej if row is raw_row else Rejection(rej.file, rej.line, rej.reason, dict(raw_row))
                        continue
                    self.stats.warnings += [LoadWarning(name, line, w, raw_row) for w in told]
                    yield from self._banks.add(items, raw_row) if self._banks is not None else items
                if spanned is not None and (warning := spanned.warning(name)):
                    self.stats.warnings.insert(warned_at, warning)  # first of the file's: the summary shows 10

    def _row(self, row: dict[str, Any], o: Origin) -> list[Item]:
        """The records one row makes, or ``[Rejection]``."""
        hints = self._hints if isinstance(self._hints, tuple) else self._hints(row)
        nodes: dict[str, NodeRecord] = {}
        unusable: dict[str, str] = {}  # entity name -> "Label:raw value" that did not clean
        # A column whose value fills no property it is mapped to is an invalid value (a column
        # may feed several on purpose, e.g. an account number that may or may not be an IBAN).
        used: set[str] = set()
        failed: dict[str, str] = {}
        for ent, memo in zip(self._entity_plans, self._memos, strict=True):
            if ent.when is not None and not ent.when(row):
                continue  # not this row's: e.g. a wallet, not an account, when the row says so
            key = memo.key(row)
            if key is not None:
                hit = memo.get(key)
                if hit is not None:  # made of the same cells before: the same node
                    node_id, props, was_used, was_failed = hit
                    used.update(was_used)
                    for column, what in was_failed:
                        failed.setdefault(column, what)
                    nodes[ent.name] = NodeRecord(ent.label, node_id, props, o)
                    continue
            ent_used: set[str] = set()  # what this entity marks on the row, remembered with it
            ent_failed: dict[str, str] = {}
            try:
                props = fill(row, hints, ent.properties, ent_used, ent_failed)
            except _BadValue as exc:
                return [Rejection(o.file, o.line, str(exc), dict(row))]
            used.update(ent_used)
            for column, what in ent_failed.items():
                failed.setdefault(column, what)
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
                keep_as_text(row, ent, unusable)
                continue
            if not ent.needs.keys() <= props.keys():
                missing = [name for name in ent.needs if name not in props]
                if ent.required:
                    return [Rejection(o.file, o.line, f"{ent.name} ({ent.label}) lacks {missing}", dict(row))]
                keep_as_text(row, ent, unusable)
                continue
            if self._places and ent.name in self._places and node_id not in self._places[ent.name]:
                props["unresolvedPlace"] = True  # a place the gazetteer does not know: for review
                if node_id not in self._unknown_places:  # said once per place
                    self._unknown_places.add(node_id)
                    self.stats.warnings.append(unknown_place(ent.label, node_id, props.get("name"), o, row))
            if key is not None:
                memo.put(key, node_id, props, ent_used, ent_failed)
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
        known = self._placeholder.known
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
                props = fill(row, hints, rel.properties, used, failed)
            except _BadValue as exc:
                return [Rejection(o.file, o.line, str(exc), dict(row))]
            if rel.needs and not props.keys() >= set(rel.needs):  # a transfer without an amount
                missing = [n for n in rel.needs if n not in props]
                refused = [f"{what} in column {c!r}" for c, what in failed.items()
                           if what.startswith(f"{rel.type}.{missing[0]}:")]  # a negative amount
                why = refused[0] if refused else f"{rel.type} {rel.start} -> {rel.end} lacks {missing}"
                return [Rejection(o.file, o.line, why, dict(row))]
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
        missing_rel = self._required_not_made(row, nodes, out) if self._any_required else ""
        if missing_rel:
            return [Rejection(o.file, o.line, missing_rel, dict(row))]
        if self._order and (why := check_order(self._order, nodes, out)):
            return [Rejection(o.file, o.line, why, dict(row))]
        for rec in out:  # a split column can make thousands of values of one cell
            if (why := too_many_values(rec.properties)) is not None:
                what = rec.label if isinstance(rec, NodeRecord) else rec.type
                return [Rejection(o.file, o.line, f"{what}: {why}", dict(row))]
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
