"""Calendar dates with their precision kept: "1987-12-16", "2009-04" or "2022".

Source: ISO 8601-1 calendar dates (YYYY-MM-DD) and reduced precision (YYYY-MM, YYYY). Accepted
input: ISO forms (a time part is dropped), "16 Dec 1987" / "16 December 1987" / "Dec 16, 1987",
"Apr 2009", numeric "16/12/1987", "16.12.1987", "16-12-1987" (day first unless the hint
``dayfirst=False``; the other order only when the preferred one is impossible), "1987/12/16",
"circa 1970" (kept as the year), ``datetime.date`` objects.
Impossible dates ("29 Feb 2023") are rejected. Canonical strings compare lexicographically.

Thai documents write years in the Buddhist era (2569 BE = 2026 CE, 543 years ahead). With the
hint ``calendar="buddhist"`` a year is read as one (``01/02/2533`` -> ``1990-02-01``); without it,
a year of 2400-2699 (1857-2156 CE written in the Buddhist era) is no date, never stored silently
as that far future: :func:`buddhist_year_refusal` says why, and what to declare. The other way
round, in a Buddhist-era column a year outside 2400-2699 (``2024``: a Common-Era year) is no
date either, never moved 543 years back to 1481.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text

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


#: Buddhist era (Thailand's official calendar) minus the Common Era, in years
BUDDHIST_OFFSET = 543
#: Years that are Buddhist-era years written where a Common-Era one belongs (1857-2156 CE), never
#: a real date: refused unless the value says ``calendar: buddhist``. 9999 (a "no end" sentinel) is not one.
BUDDHIST_YEARS = range(2400, 2700)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def buddhist_year_refusal(value: Any, calendar: str | None = None, calendar_from: str | None = None) -> str:
    """Why ``value`` (a date or time that did not clean) is refused if its year looks like a
    Buddhist-era one written where none belongs, or (``calendar="buddhist"``) like no
    Buddhist-era year, else "". ``calendar_from``: where the row gives its calendar when a
    mapping reads it from the row (``column 'era'``), so the advice says to write it there."""
    text = code_text(value)
    if calendar == "buddhist":
        year = next((int(y) for y in _YEAR.findall(text or "") if int(y) not in BUDDHIST_YEARS), None)
        if year is None:
            return ""
        said = f"the row's calendar ({calendar_from}) says buddhist" if calendar_from else \
            "the column says calendar: buddhist"
        return (f"year {year} in {text!r} is no Buddhist-era year ({said}, whose years are "
                f"{BUDDHIST_YEARS.start}-{BUDDHIST_YEARS.stop - 1}); a Common-Era year is never moved "
                f"{BUDDHIST_OFFSET} years back")
    year = next((int(y) for y in _YEAR.findall(text or "") if int(y) in BUDDHIST_YEARS), None)
    if year is None:
        return ""
    looks = f"year {year} in {text!r} looks like a Buddhist-era year ({year} BE = {year - BUDDHIST_OFFSET} CE); "
    if calendar_from:
        says = f"says {calendar!r}" if calendar else "gives none"
        return looks + f"the row's calendar ({calendar_from}) {says}: if the row writes them, that column says buddhist"
    return looks + "if the column writes them, say hints: {calendar: buddhist} (its spec's, or the mapping's)"


def _compose(year: str | int, month: str | int | None, day: str | int | None, shift: int = 0) -> str | None:
    """Return the ISO string of the parts (the year less ``shift``: a Buddhist-era year's 543), or
    ``None`` if the calendar rejects them or the year is a Buddhist-era one written as if it were not."""
    if (int(year) in BUDDHIST_YEARS) != bool(shift):
        return None  # a Buddhist-era year written as if it were not, or a Common-Era one as if it were
    year = int(year) - shift
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


def clean_date(value: Any, dayfirst: bool = True, calendar: str | None = None) -> str | None:
    """Return ``value`` as "YYYY-MM-DD", "YYYY-MM" or "YYYY", or ``None`` if not a date.
    ``calendar="buddhist"``: its year is a Buddhist-era one (see the module docstring)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = code_text(value)
    if text is None:
        return None
    text = _CIRCA.sub("", re.sub(r"\s+", " ", text.lower()))
    shift = BUDDHIST_OFFSET if calendar == "buddhist" else 0
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        first, second = (numeric["a"], numeric["b"]) if dayfirst else (numeric["b"], numeric["a"])
        # the other order only when the preferred one is impossible ("12/31/2020" day-first)
        return _compose(numeric["year"], second, first, shift) or _compose(
            numeric["year"], first, second, shift
        )
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            return _compose(parts["year"], parts.get("month"), parts.get("day"), shift)
    return None


def parse_range(value: Any, dayfirst: bool = True) -> tuple[str, str] | None:
    """Split a date range ("01 Jan 1964 to 17 Feb 1964") into cleaned ``(start, end)``.

    Separators: "to", "until", or a dash between spaces. Returns ``None`` unless both ends are
    dates and the start is not after the end (compared at the shorter precision).
    """
    text = code_text(value)
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

    def clean(self, value: Any, dayfirst: bool = True, calendar: str | None = None, **hints: Any) -> str | None:
        return clean_date(value, dayfirst, calendar)

    def refusal(self, value: Any, calendar: str | None = None, calendar_from: str | None = None,
                **hints: Any) -> str:
        return buddhist_year_refusal(value, calendar, calendar_from) or super().refusal(value)
