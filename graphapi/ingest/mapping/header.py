"""Whether a CSV file's first row is a header or already data (``lintas mapping init``, and the
refusal of a file that lacks a mapped column): a column name is seldom a number, a date or time,
a phone number, an IBAN or an IMEI, while a row of call records or transfers is mostly such.
A header also names each column once, and its cells are not typed like the values below them:
OFAC's header-less sdn.csv begins ``53778, KAREN NATIONAL ARMY, -0- , ...`` (OFAC's null marker
eight times, an entry number over a column of numbers) and was drafted as a header (u-user52, 1).

A file without a header is read with ``csv: {header: false}``: its columns are then named by
position, ``"1"`` for the first (docs/mappings.md#files-and-rows).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from itertools import islice
from pathlib import Path

from graphapi.ontology.types import get_type

#: The value types a data cell is recognised by; a country (``TH``, ``ID``) or a plain word could
#: be a column name as well as a value, so it decides nothing.
DATA_TYPES = ("float", "datetime", "date", "phone", "iban", "imei")
#: Of those, the types no column name ever is: a date or time, an IBAN, an IMEI.
STRONG_TYPES = ("datetime", "date", "iban", "imei")
#: Share of the first row's non-empty cells that must look like data for it to be taken as a row.
DATA_SHARE = 0.5
#: A non-empty value this many times in the first row: no header (one names each column once).
REPEATS = 3
#: Share of the rows below whose cell must clean as a type for the column to be of that type,
#: and share of such typed columns whose first cell must clean as their type for it to be data.
TYPED_SHARE = 0.75


def _data_type(cell: str) -> str | None:
    """The first of :data:`DATA_TYPES` ``cell`` cleans as (``12.5``, ``2024-03-01``,
    ``081 234 5678``), else None."""
    text = cell.strip()
    for name in DATA_TYPES:
        try:
            if get_type(name).clean(text) not in (None, ""):
                return name
        except (ValueError, TypeError):
            continue
    return None


def looks_like_data(cell: str) -> bool:
    """True if ``cell`` cleans as one of :data:`DATA_TYPES`."""
    return _data_type(cell) is not None


def first_row_is_data(cells: Sequence[str], below: Sequence[Sequence[str]] = ()) -> bool:
    """True if the file most likely has no header row: at least half of ``cells``' non-empty
    cells look like data, or two do and one of them is a date, time, IBAN or IMEI (a row of
    transfers is half bank names and words: new-user report, 5 of 13 cells); or a non-empty value
    is in it :data:`REPEATS` times or more (``-0-``, OFAC's null marker); or, given ``below`` (the
    rows that follow it), the columns whose values below are of one of :data:`DATA_TYPES` mostly
    have a first cell of that type too (an entry number over a column of numbers, where a header
    has a name). Where columns below are typed, that comparison decides before the repeated
    value: a header may name a column three times (``alias,alias,alias``) over typed ones."""
    filled = [c for c in cells if isinstance(c, str) and c.strip()]
    found = [t for t in map(_data_type, filled) if t is not None]
    strong = any(t in STRONG_TYPES for t in found)
    if found and (len(found) >= DATA_SHARE * len(filled) or (strong and len(found) >= 2)):
        return True
    typed = _typed_like_below(cells, below)
    if typed is not None:  # the columns below are typed: their first cells decide, not a repeated
        return typed       # name (alias, alias, alias over phones and countries: attack round a-60, 4)
    return any(n >= REPEATS for n in Counter(c.strip() for c in filled).values())


def _column_type(values: Sequence[str]) -> str | None:
    """The type of :data:`DATA_TYPES` at least :data:`TYPED_SHARE` of the non-empty ``values`` clean as."""
    kinds = Counter(_data_type(v) for v in values if v.strip())
    if not kinds:
        return None
    kind, n = kinds.most_common(1)[0]
    return kind if kind is not None and n >= TYPED_SHARE * sum(kinds.values()) else None


def _typed_like_below(cells: Sequence[str], below: Sequence[Sequence[str]]) -> bool | None:
    """True if, of the columns typed below whose first cell is not empty, at least
    :data:`TYPED_SHARE` (and one) have a first cell of the column's type; None if no such column."""
    typed = matched = 0
    for i, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        kind = _column_type([row[i] for row in below if i < len(row) and isinstance(row[i], str)])
        if kind is None:
            continue
        typed += 1
        matched += _data_type(cell) == kind
    if not typed:
        return None
    return matched > 0 and matched >= TYPED_SHARE * typed


def starts_with_data(path: Path, rows: int = 50, delimiter: str = ",") -> bool:
    """True if the CSV file ``path`` most likely has no header row: :func:`first_row_is_data` of
    its first row and the ``rows`` rows after it."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        first = [c.strip() for c in next(reader, [])]
        below = [row for row in islice(reader, rows) if row]
    return first_row_is_data(first, below)


def numbered_columns(width: int) -> list[str]:
    """The column names of a file without a header: ``["1", "2", ...]``, ``width`` of them."""
    return [str(i) for i in range(1, width + 1)]


#: The fix said wherever a headerless file is met.
HEADERLESS_FIX = ('if the file has no header, say csv: {header: false} in the mapping and name columns by '
                  'position ({column: "1"} is the first)')
