"""Whether a CSV file's first row is a header or already data (``lintas mapping init``, and the
refusal of a file that lacks a mapped column): a column name is seldom a number, a date or time,
a phone number, an IBAN or an IMEI, while a row of call records or transfers is mostly such.

A file without a header is read with ``csv: {header: false}``: its columns are then named by
position, ``"1"`` for the first (docs/mappings.md#files-and-rows).
"""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.ontology.types import get_type

#: The value types a data cell is recognised by; a country (``TH``, ``ID``) or a plain word could
#: be a column name as well as a value, so it decides nothing.
DATA_TYPES = ("float", "datetime", "date", "phone", "iban", "imei")
#: Of those, the types no column name ever is: a date or time, an IBAN, an IMEI.
STRONG_TYPES = ("datetime", "date", "iban", "imei")
#: Share of the first row's non-empty cells that must look like data for it to be taken as a row.
DATA_SHARE = 0.5


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


def first_row_is_data(cells: Sequence[str]) -> bool:
    """True if the file most likely has no header row: at least half of ``cells``' non-empty
    cells look like data, or two do and one of them is a date, time, IBAN or IMEI (a row of
    transfers is half bank names and words: new-user report, 5 of 13 cells)."""
    filled = [c for c in cells if isinstance(c, str) and c.strip()]
    found = [t for t in map(_data_type, filled) if t is not None]
    strong = any(t in STRONG_TYPES for t in found)
    return bool(found) and (len(found) >= DATA_SHARE * len(filled) or (strong and len(found) >= 2))


def numbered_columns(width: int) -> list[str]:
    """The column names of a file without a header: ``["1", "2", ...]``, ``width`` of them."""
    return [str(i) for i in range(1, width + 1)]


#: The fix said wherever a headerless file is met.
HEADERLESS_FIX = ('if the file has no header, say csv: {header: false} in the mapping and name columns by '
                  'position ({column: "1"} is the first)')
