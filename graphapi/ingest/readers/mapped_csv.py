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
(a transfer with neither a to-account nor a wallet), is rejected naming the missing ends. A row
rejected once its relationships are made names them in its rejection (``Rejection.links``, no
value of theirs): nothing of them is loaded, but the load's agency's echo of each is no wider
(attack round 51, 1).

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
import dataclasses
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from graphapi.ingest.guard import Exclusions, load_exclusions
from graphapi.ingest.identity.banks import BankLinks
from graphapi.ingest.mapping.account_rules import AccountRules
from graphapi.ingest.mapping.column_rules import apply_rules, column_rules
from graphapi.ingest.mapping.float_exports import FloatExports, Reading, number_columns
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
from graphapi.ingest.mapping.values import NULL_TOKENS
from graphapi.ingest.readers.base import Item, ReadStats, csv_field_limit, unsafe_cells, unsafe_text
from graphapi.ingest.readers.csv_lines import BrokenRecord, FramedReader
from graphapi.ingest.readers.csv_spans import SpannedRecords
from graphapi.ingest.readers.mapped_header import as_row, check_header
from graphapi.ingest.readers.mapped_rows import RowMaker
from graphapi.ingest.readers.row_identity import file_sha256, keyed_by_name
from graphapi.ingest.records import LoadWarning, Rejection, origin
from graphapi.ontology import load_model
from graphapi.ontology.model import Model

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
    if header is not None and cells[0].removeprefix("\ufeff") == header[0] and cells[1:] == header[1:]:
        return "header row repeated"
    return "end-of-file byte 0x1A" if cells == _EOF_ROW else ""


def _no_byte_order_mark(name: str, encoding: str, exc: UnicodeError) -> str:
    """Why a file cannot be read in ``encoding`` (utf-16, utf-32) for want of a byte-order mark,
    and the encoding that says its byte order (an Excel "Unicode text" export has one; a tool's
    UTF-16 may have none: attack round 38b, 6)."""
    width = "32" if "32" in encoding else "16"
    return (f"{name}: {exc} (csv encoding {encoding!r}); a UTF-{width} file without a byte-order mark is read "
            f"with its byte order in the mapping: csv: {{encoding: utf-{width}-le}} (or utf-{width}-be)")


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
        # the records each row makes, compiled once (mapped_rows); ``model`` is its ontology model
        self._rows = RowMaker(mapping, load_model(), self.stats, exclusions or load_exclusions())
        self._columns = _columns_in(mapping.doc)
        # csv: {header: false}: the file has no header row, its columns are named "1", "2", ...
        self._header = (mapping.doc.get("csv") or {}).get("header", True) is not False
        # per-column rules (``columns:``): a cell's text refined once, before anything reads it
        self._rules = column_rules(mapping.doc.get("columns") or {})
        # account numbers written as their bank's format writes them (``account:`` rules), after those
        accounts = AccountRules(mapping.doc.get("columns") or {})
        self._accounts = accounts if accounts else None
        # account and phone numbers, IMEIs a float export wrote (1073835163.0), read as the file has
        # them, before any rule
        floats = FloatExports(number_columns(mapping.doc, self.model), {c: b for c, b, _ in accounts.rules})
        self._floats = floats if floats else None
        # row identity (``{_file}``, ``{_line}``, ``{_sha256}``): put on the row only if the mapping reads it
        self._identity = bool(_read_columns(mapping.doc) & ROW_IDENTITY)
        self._digest = "_sha256" in _read_columns(mapping.doc)
        # a row is changed before its records are made (and kept as the file has it for a rejection)
        self._refined = bool(self._rules or self._identity or self._accounts or self._floats)
        #: relationship types keyed by file name and line, not content: a same-named file with
        #: other content (next month's export) merges into the stored rows (see :mod:`.row_identity`)
        self.keyed_by_name = keyed_by_name(mapping.relationships)
        # accounts linked to their gazetteer bank (AT_BANK); an unknown bank flagged and warned of
        self._banks = (BankLinks(self.model, self.stats)
                       if any(spec["label"] == "BankAccount" for spec in mapping.entities.values()) else None)

    @property
    def model(self) -> Model:
        """The ontology model the reader's records are made with."""
        return self._rows.model

    @model.setter
    def model(self, model: Model) -> None:
        self._rows.model = model

    # -- rows ----------------------------------------------------------------------------------
    def records(self) -> Iterator[Item]:
        """Yield records and rejections for every row of every file."""
        opts = self.mapping.doc.get("csv") or {}
        stats = self.stats
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
                try:
                    header = next(reader, None)
                except UnicodeDecodeError:
                    raise
                except UnicodeError as exc:  # "UTF-16 stream does not start with BOM": a traceback before
                    raise MappingError(_no_byte_order_mark(name, encoding, exc)) from None
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
                # the first name of a header repeated further down, the cheap test of each row for it
                first = repeated[0] if repeated else None
                # a row's values are its cells, unless a name is repeated (of which the last one wins)
                distinct = len(set(fields)) == len(fields)
                rows, accounts, floats = self._rows, self._accounts, self._floats
                rows.fields = fields  # a rejection names a value as the file has it (refined rows)
                while True:
                    try:
                        if held is not None:  # a headerless file's first row, read in the header's place
                            cells, held = held, None
                        else:
                            cells = next(reader)
                        if not cells:  # blank lines are no rows
                            line = reader.line_num
                            while not cells:
                                cells = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:  # e.g. a field over csv.field_size_limit(): this row only
                        stats.rows += 1
                        stats.rejected += 1
                        # line has not yet counted the line the bad record starts on
                        if isinstance(exc, BrokenRecord):  # its own first line and text
                            yield Rejection(name, exc.line, f"unreadable CSV row: {exc}", exc.raw)
                            continue
                        yield Rejection(name, line + 1, f"unreadable CSV row: {exc}", None)
                        continue
                    line = reader.line_num
                    if spanned is not None:
                        spanned.add(reader.span)
                    if cells[0].removeprefix("\ufeff") == first or cells == _EOF_ROW:
                        skip = _no_data(cells, repeated)
                        if skip:  # no data: neither read nor rejected
                            self.skipped.append((name, line, skip))
                            log.info("%s line %d: %s, not a data row", name, line, skip)
                            continue
                    stats.rows += 1
                    if len(cells) != width:
                        if len(cells) > width or len(cells) < need:
                            stats.rejected += 1  # one line: the reader rejects a multi-line one whole
                            yield Rejection(name, line, f"{len(cells)} fields, {widest} {width}", cells)
                            continue
                        row = as_row(fields, cells)
                    else:
                        row = dict(zip(fields, cells, strict=True))
                    unsafe = unsafe_cells(cells) if distinct else unsafe_text(row.values())
                    if unsafe:
                        stats.rejected += 1
                        yield Rejection(name, line, unsafe, {k: v for k, v in row.items() if k})
                        continue
                    # ``row`` may be refined below: a rejection or a warning shows the row as the file
                    # has it, as_row(fields, cells), made again only then
                    # the row's numbers a float export wrote, and warnings of its account rules, if it loads
                    readings: Sequence[Reading] = ()
                    told: Sequence[str] = ()
                    if self._refined:
                        if self._identity:
                            row["_file"], row["_line"], row["_sha256"] = name, str(line), digest
                        why = ""
                        if floats is not None:
                            why, readings = floats.apply(row)
                        if not why and self._rules:
                            why = apply_rules(self._rules, row)
                        if not why and accounts is not None:
                            why, told = accounts.apply(row)
                        if why:
                            stats.rejected += 1
                            yield Rejection(name, line, why, as_row(fields, cells))
                            continue
                    items = rows.make(row, origin(self.source, name, line), cells if self._refined else None)
                    if items.__class__ is Rejection:
                        stats.rejected += 1
                        # a refined row shows as the file has it (the links it named kept: mapped_rows._said)
                        yield items if not self._refined else dataclasses.replace(items, raw=as_row(fields, cells))
                        continue
                    if readings:  # the first few values of a column listed, the rest counted
                        told = [*floats.warnings(readings, name, line), *told]
                    if told:
                        raw = as_row(fields, cells)
                        stats.warnings += [LoadWarning(name, line, w, raw) for w in told]
                    if self._banks is not None:
                        yield from self._banks.add(items, as_row(fields, cells))
                    else:
                        yield from items
                if floats is not None:
                    stats.warnings += floats.closing()  # the file's rows of float numbers not listed
                if spanned is not None and (warning := spanned.warning(name)):
                    self.stats.warnings.insert(warned_at, warning)  # first of the file's: the summary shows 10
