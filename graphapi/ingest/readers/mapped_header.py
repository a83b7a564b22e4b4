"""A mapped CSV file's header and rows as the mapped-CSV reader sees them: the header checked
against the columns a mapping reads (and renamed to them), a row's cells under its names."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from graphapi.ingest.mapping.header import HEADERLESS_FIX, first_row_is_data
from graphapi.ingest.mapping.model import MappingError
from graphapi.ingest.readers.base import unsafe_text


def as_row(fields: list[str], cells: list[str]) -> dict[str, Any]:
    """The row ``cells`` under ``fields``, as csv.DictReader makes it: cells past the header are a
    list under ``None``, columns past the cells are None; of repeated names the last one wins."""
    row = dict(zip(fields, cells, strict=False))
    if len(cells) > len(fields):
        row[None] = cells[len(fields):]
    elif len(cells) < len(fields):
        for name in fields[len(cells):]:
            row[name] = None
    return row


def _encoding_hint(header: list[str]) -> str:
    """What the mapping likely should say of a header that did not decode: UTF-16 (a byte-order
    mark or NULs between the letters, as Excel's "Unicode text" writes), else a single-byte code page."""
    text = ",".join(h for h in header if isinstance(h, str))
    if text.startswith(("\udcff\udcfe", "\udcfe\udcff")) or "\x00" in text:
        return " (UTF-16? say csv: {encoding: utf-16} in the mapping)"
    return " (a code page such as Windows-1252 or Thai cp874? say csv: {encoding: cp1252} or {encoding: cp874})"


def check_header(path: Path, header: list[str] | None, columns: set[str], numbered: bool = False) -> list[str]:
    """The column names of a file with ``header`` (None: the file is empty): the header, with
    each name that matches a mapped column without case or surrounding blanks renamed to it.
    Raises :class:`MappingError` naming any mapped column the file lacks or has more than once
    (a file with no header passes; one whose first row looks like data is told to say
    ``csv: {header: false}``), ``UnicodeDecodeError`` if the header itself is not text.
    ``columns``: the columns the mapping reads. ``numbered``: ``header`` is
    :func:`~graphapi.ingest.mapping.header.numbered_columns` (``csv: {header: false}``)."""
    if not header:
        return header or []
    if numbered:
        missing = sorted((c for c in columns if c not in header), key=int)
        if missing:
            raise MappingError(f"{path.name}: the mapping reads column(s) {missing[:5]}, the first row has "
                               f"{len(header)} (csv: {{header: false}} numbers them from \"1\")")
        return header
    if unsafe_text(header):  # not a text file at all: the same error as an undecodable file
        raise UnicodeDecodeError("utf-8", b"", 0, 1, f"{path.name}: the header is not UTF-8 text"
                                                     f"{_encoding_hint(header)}")
    by_key = {h.strip().lower(): h for h in header if isinstance(h, str)}
    seen = Counter(h.strip().lower() for h in header if isinstance(h, str))
    twice = sorted(c for c in columns if seen[c.strip().lower()] > 1)
    if twice:  # which of the two would a row mean?
        headerless = f"; its first row looks like data: {HEADERLESS_FIX}" if first_row_is_data(header) else ""
        raise MappingError(f"{path.name}: the header has the mapped column(s) {twice} more than once; "
                           f"it has {list(header)}{headerless}")
    renamed = list(header)
    missing = []
    for column in sorted(columns):
        if column in header:
            continue
        found = by_key.get(column.strip().lower())
        if found is None:
            missing.append(column)
        else:
            renamed[renamed.index(found)] = column
    if missing:
        headerless = f"; its first row looks like data: {HEADERLESS_FIX}" if first_row_is_data(header) else ""
        raise MappingError(f"{path.name}: the header lacks the mapped column(s) {missing}; it has "
                           f"{list(header)}{headerless}")
    return renamed
