"""Calendar dates with their precision kept: "1987-12-16", "2009-04" or "2022".

Source: ISO 8601-1 calendar dates (YYYY-MM-DD) and reduced precision (YYYY-MM, YYYY). Accepted
input: ISO forms (a time part is dropped), "16 Dec 1987" / "16 December 1987" / "Dec 16, 1987",
"Apr 2009", numeric "16/12/1987", "16.12.1987", "16-12-1987" (day first unless the hint
``dayfirst=False``; the other order only when the preferred one is impossible), "1987/12/16",
"circa 1970" (kept as the year), ``datetime.date`` objects.
Impossible dates ("29 Feb 2023") are rejected. Canonical strings compare lexicographically.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from graphapi.ontology.types.base import ValueType, text_of

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[a-z]+)\.?"
_PATTERNS = [
    re.compile(p)
    for p in (
        r"(?P<year>\d{4})(-(?P<month>\d{1,2})(-(?P<day>\d{1,2})([t ]\d{1,2}:.*)?)?)?",
        r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})",
        r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})",
        rf"(?P<day>\d{{1,2}})(st|nd|rd|th)?[ -]{_MONTH}[ ,-]+(?P<year>\d{{4}})",
        rf"{_MONTH} (?P<day>\d{{1,2}})(st|nd|rd|th)?,? (?P<year>\d{{4}})",
        rf"{_MONTH},? (?P<year>\d{{4}})",
        r"(?P<month>\d{1,2})[/.-](?P<year>\d{4})",
    )
]
_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<year>\d{4})")
_CIRCA = re.compile(r"^(circa|ca\.?|c\.|about|approx\.?|approximately)\s+")
_RANGE = re.compile(r"\s+(?:to|until|-|–|—)\s+", re.IGNORECASE)


def _compose(year: str, month: str | int | None, day: str | int | None) -> str | None:
    """Return the ISO string of the parts, or ``None`` if the calendar rejects them."""
    try:
        if month is None:
            return dt.date(int(year), 1, 1).strftime("%Y") if int(year) else None
        if isinstance(month, str) and not month.isdigit():
            month = _MONTHS.get(month)
            if month is None:
                return None
        date = dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return date.isoformat() if day is not None else date.isoformat()[:7]


def clean_date(value: Any, dayfirst: bool = True) -> str | None:
    """Return ``value`` as "YYYY-MM-DD", "YYYY-MM" or "YYYY", or ``None`` if not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = text_of(value)
    if text is None:
        return None
    text = _CIRCA.sub("", re.sub(r"\s+", " ", text.lower()))
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        first, second = (numeric["a"], numeric["b"]) if dayfirst else (numeric["b"], numeric["a"])
        # the other order only when the preferred one is impossible ("12/31/2020" day-first)
        return _compose(numeric["year"], second, first) or _compose(
            numeric["year"], first, second
        )
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            return _compose(parts["year"], parts.get("month"), parts.get("day"))
    return None


def parse_range(value: Any, dayfirst: bool = True) -> tuple[str, str] | None:
    """Split a date range ("01 Jan 1964 to 17 Feb 1964") into cleaned ``(start, end)``.

    Separators: "to", "until", or a dash between spaces. Returns ``None`` unless both ends are
    dates and the start is not after the end (compared at the shorter precision).
    """
    text = text_of(value)
    parts = _RANGE.split(text) if text else []
    if len(parts) != 2:
        return None
    start, end = (clean_date(part, dayfirst) for part in parts)
    if start is None or end is None:
        return None
    size = min(len(start), len(end))
    return (start, end) if start[:size] <= end[:size] else None


def precision(canonical: str) -> str:
    """Return "year", "month" or "day" for a canonical date string."""
    return {4: "year", 7: "month"}.get(len(canonical), "day")


class DateType(ValueType):
    """A partial ISO 8601 date; the ``dayfirst`` hint (default True) reads "03/04/2020"."""

    name = "date"

    def clean(self, value: Any, dayfirst: bool = True, **hints: Any) -> str | None:
        return clean_date(value, dayfirst)
