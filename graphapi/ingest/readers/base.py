"""What every reader shares: row accounting and the record stream type.

A reader is an object with ``stats`` (:class:`ReadStats`) and ``records()``, an iterator of
:class:`NodeRecord`, :class:`EdgeRecord` and :class:`Rejection` values (and, from the FtM
reader, :class:`DrawnLinksDeletion`). Every source row is
counted once in ``stats.rows``; a row that yields a :class:`Rejection` is counted in
``stats.rejected``; so rows loaded = ``rows - rejected`` always (DESIGN.md: bad input is never
dropped in silence).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphapi.ingest.records import DrawnLinksDeletion, EdgeRecord, LineRenewal, LoadWarning, NodeRecord, Rejection

Item = NodeRecord | EdgeRecord | DrawnLinksDeletion | LineRenewal | Rejection

#: Longest CSV field a reader accepts, in characters; a longer one rejects its row. Set by the
#: readers before each file because ``csv.field_size_limit`` is process-wide and other libraries
#: change it (importing ``followthemoney`` sets 65,000), so the limit must not depend on imports.
MAX_FIELD_CHARS = 1_048_576


#: Most values one record may give, over all its properties (a list counts each item): a node
#: said again with 10,000 aliases cost the store seconds per statement it compared, while every
#: other agency's writes waited (attack round 23, C2). FtM also caps 1,000 per property.
MAX_VALUES_PER_RECORD = 5_000
#: Types of a property value that is one value (anything else is counted item by item).
_SINGLE = {str, int, float, bool}


def too_many_values(properties: dict[str, Any]) -> str | None:
    """Why a record's ``properties`` (name -> value or list of values) give too many values
    (:data:`MAX_VALUES_PER_RECORD`), or ``None``."""
    if len(properties) <= MAX_VALUES_PER_RECORD and set(map(type, properties.values())) <= _SINGLE:
        return None  # no list: a value per property (the usual record, checked in one C pass)
    count = sum(len(v) if isinstance(v, list) else 1 for v in properties.values())
    if count > MAX_VALUES_PER_RECORD:
        return f"{count:,} values in one record (at most {MAX_VALUES_PER_RECORD:,})"
    return None


def csv_field_limit() -> None:
    """Apply :data:`MAX_FIELD_CHARS` to the ``csv`` module (process-wide)."""
    csv.field_size_limit(MAX_FIELD_CHARS)


#: A NUL (no store takes it in a string) or a byte that was not UTF-8 (files are opened with
#: ``errors="surrogateescape"``, which turns such a byte into a lone surrogate U+DC80..U+DCFF).
_UNSAFE = re.compile("[\x00\udc80-\udcff]")


def unsafe_text(values: Iterable[Any]) -> str | None:
    """Why a row's values cannot be loaded as text, or ``None`` if they can. ``values``: strings,
    or lists of strings (other values are ignored). Reasons: ``"NUL character in a value"``,
    ``"bytes that are not UTF-8 (0xe9)"``."""
    values = list(values)
    try:  # the usual row: all strings, one search over their concatenation
        if not _UNSAFE.search("".join(values)):
            return None
    except TypeError:
        pass
    for value in values:
        for v in value if isinstance(value, list) else (value,):
            if isinstance(v, str) and (m := _UNSAFE.search(v)):
                ch = m.group()
                if ch == "\x00":
                    return "NUL character in a value"
                return f"bytes that are not UTF-8 (0x{ord(ch) - 0xDC00:02x})"
    return None


def unsafe_cells(cells: list[str]) -> str | None:
    """:func:`unsafe_text` of a record's cells, all strings: for every row, one look for a NUL in
    their concatenation (a C-level scan) and, unless it is ASCII (known without a scan: no lone
    surrogate then), one search; the reason only for a row that has such a character."""
    text = "".join(cells)
    if "\x00" in text or not text.isascii() and _UNSAFE.search(text):
        return unsafe_text(cells)
    return None


@dataclass
class ReadStats:
    """Row accounting of one reader: ``rows`` read, ``rejected`` rows, ``unresolved`` references
    (ids of placeholder nodes made for references with no row of their own), ``warnings`` about
    rows loaded that need a person's eye (an account of a bank no gazetteer knows)."""

    rows: int = 0
    rejected: int = 0
    unresolved: list[str] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        """Rows read and not rejected."""
        return self.rows - self.rejected


class Reader(Protocol):
    """A source reader; ``records()`` may be iterated once. A reader that makes every node and
    endpoint id canonical itself (``graphapi.ontology.ids``) may say so with a class attribute
    ``canonical_ids = True``; the pipeline then does not check them again."""

    stats: ReadStats

    def records(self) -> Iterator[Item]:
        """Yield records and rejections, row by row."""
        ...
