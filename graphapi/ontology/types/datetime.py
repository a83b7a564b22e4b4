"""Instants in UTC, stored as "YYYY-MM-DDTHH:MM:SS" strings (no offset suffix, seconds precision).

Source: ISO 8601-1 date-time representations (extended "2024-03-01T10:15:00+07:00", basic
"20240301T101500Z", a space instead of "T"); also "01/03/2024 10:15[:30]" read day first like
:mod:`.date`, ``datetime`` objects, and Unix epoch time as a number or as digits: by its
magnitude, 9 or 10 integer digits (below 10^11) are seconds (``"1709262900"``, ``1709262900.5``),
12 or 13 (10^11 up to 10^14) milliseconds (``"1709262900000"``); other digit strings (``"20240301"``,
a date without a time) are no instant. Epoch time is UTC by definition. Input with an offset
is converted to UTC (an offset over 14 hours either way, beyond -12:00..+14:00's widest use, is
no real place's and is rejected); naive input is UTC unless the hint ``tz="Asia/Bangkok"`` (an IANA zone)
says where it was recorded. Fractions of a second are truncated. A date without a time is not an
instant and is rejected. A Buddhist-era year is read as one with the hint ``calendar="buddhist"``
and refused without it, as in :mod:`.date`. Stored as strings so that they compare lexicographically on both Neo4j
and FalkorDB (which has no zoned ``datetime()``; see DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from graphapi.ontology.types.base import ValueType, code_text
from graphapi.ontology.types.date import BUDDHIST_OFFSET, BUDDHIST_YEARS, buddhist_year_refusal

_DAY_FIRST = re.compile(
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})[ t]+"
    r"(?P<hh>\d{1,2}):(?P<mm>\d{2})(:(?P<ss>\d{2}))?"
)
_TIME = re.compile(r"\d{4}-?\d{2}-?\d{2}[t ]\d{2}")
#: Epoch time as text: unsigned digits, an optional fraction (its magnitude decides the unit).
_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?|\d{12,13}(?:\.\d+)?")
#: A time that says its zone: ends in Z or an offset (+07:00, +0700, -07).
_ZONED = re.compile(r".*\d(?:z|[+-]\d{2}(?::?\d{2})?)", re.IGNORECASE)
#: A time of day after a date ("T10", " 10:15"): only a time can carry a zone ("2024-03-01" has none).
_CLOCK = re.compile(r"\d[t ]+\d", re.IGNORECASE)
_MS_FROM = 10**11  # epoch values from here on are milliseconds (1973-03-03 as seconds ends below)
_MS_TO = 10**14


def _epoch(number: float) -> dt.datetime | None:
    """The instant of Unix epoch ``number``: seconds below 10^11, milliseconds below 10^14."""
    if abs(number) >= _MS_TO:
        return None
    seconds = number / 1000 if abs(number) >= _MS_FROM else number
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def zone_given(value: Any) -> bool:
    """True if ``value`` says its own time zone (an offset, ``Z``, epoch time, an aware
    ``datetime``); False for a local time, which is read in the ``tz`` hint's zone (else UTC),
    and for a date alone ("2024-03-01", "01-03-2024": its hyphens are no offset, a day no zone)."""
    if type(value) is str:  # a feed's text (the common case: no normalisation needed to tell)
        text = value.strip()
        if not text:
            return True
        if not _CLOCK.search(text):  # no time of day: epoch time, else a date (or no time at all)
            return bool(_EPOCH.fullmatch(text))
        if text[-1] in "zZ" or "+" in text[-6:]:  # 10:15:00Z, +07:00, +0700, +07
            return True
        tail = text[-6:]  # -07:00, -0700, -07 (a date's own hyphens are further left of a time)
        if "-" in tail and ":" not in text[-3:] and not text[-3:].isdigit() or tail.rfind("-") in (0, 1, 3):
            return bool(_ZONED.fullmatch(text))
        if text.isdigit():  # epoch time: an instant (its length says seconds or milliseconds)
            return len(text) in (9, 10, 12, 13)
        return text[-1].isdigit() and text[0].isdigit() and " " not in text and bool(_EPOCH.fullmatch(text))
    if isinstance(value, dt.datetime):
        return value.tzinfo is not None
    if isinstance(value, int | float):
        return True
    text = code_text(value)
    return text is None or bool(_EPOCH.fullmatch(text) or _CLOCK.search(text) and _ZONED.fullmatch(text))
#: Already canonical UTC (what feeds and the loaders themselves write): checked, not re-derived.
_CANONICAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|\+00:00)?")
#: The widest UTC offset in use (Line Islands, +14:00; ISO 8601 allows more, no zone does).
MAX_OFFSET = dt.timedelta(hours=14)


def _parse(value: Any, dayfirst: bool, shift: int = 0) -> dt.datetime | None:
    """Turn supported inputs into a ``datetime`` (naive or aware), else ``None``; a written year
    less ``shift`` (a Buddhist-era year's 543)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _epoch(value)
    text = code_text(value)
    if text is None:
        return None
    if _EPOCH.fullmatch(text):
        return _epoch(float(text))
    text = text.lower()
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month = (match["d"], match["m"]) if dayfirst else (match["m"], match["d"])
        parts = [int(p) for p in (match["y"], month, day, match["hh"], match["mm"], match["ss"] or 0)]
        if shift and parts[0] not in BUDDHIST_YEARS:
            return None  # a Common-Era year in a Buddhist-era column: never moved 543 years back
        parts[0] -= shift
        try:
            return dt.datetime(*parts)
        except ValueError:
            return None
    if not _TIME.match(text):
        return None
    if shift:
        if int(text[:4]) not in BUDDHIST_YEARS:
            return None  # as above
        text = f"{int(text[:4]) - shift:04d}{text[4:]}"
    try:
        return dt.datetime.fromisoformat(text.upper())
    except ValueError:
        return None


def is_date_time(value: Any) -> bool:
    """Whether ``value`` is text written as a date with a time of day (valid or not)."""
    return isinstance(value, str) and (_TIME.match(value.strip().lower()) is not None
                                       or _DAY_FIRST.fullmatch(value.strip().lower()) is not None)


def check_zone(name: str) -> str:
    """``name`` if it is an IANA time zone (``Asia/Bangkok``, ``UTC``); raises ``ValueError``
    naming it otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown time zone {name!r} (an IANA zone such as Asia/Bangkok)") from None
    return name


def to_utc(moment: dt.datetime, tz: str | None = None) -> dt.datetime | None:
    """Return ``moment`` as a naive UTC datetime; naive input is in ``tz`` (default UTC)."""
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(tz) if tz else dt.UTC)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    try:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        return None


class DateTimeType(ValueType):
    """An instant; canonical UTC "YYYY-MM-DDTHH:MM:SS", e.g. "2024-03-01T03:15:00"."""

    name = "datetime"

    def clean(
        self, value: Any, tz: str | None = None, dayfirst: bool = True, calendar: str | None = None,
        **hints: Any
    ) -> str | None:
        """Return the UTC instant ("2024-03-01T10:15:00+07:00" -> "2024-03-01T03:15:00")."""
        shift = BUDDHIST_OFFSET if calendar == "buddhist" else 0
        if tz is None and not shift and type(value) is str and _CANONICAL.fullmatch(value):
            try:  # fast path for bulk feeds: validate the calendar, keep the text
                dt.datetime.fromisoformat(value[:19])
            except ValueError:
                return None
            return value[:19] if "1000" <= value[:4] and not "2400" <= value[:4] < "2700" else None
        moment = _parse(value, dayfirst, shift)
        if moment is not None and not shift and moment.year in BUDDHIST_YEARS and not _EPOCH.fullmatch(str(value)):
            return None  # a Buddhist-era year written as if it were not
        offset = moment.utcoffset() if moment else None
        if offset is not None and abs(offset) > MAX_OFFSET:
            return None
        utc = to_utc(moment, tz) if moment else None
        if utc is None or utc.year < 1000:
            return None
        return utc.replace(microsecond=0).isoformat(timespec="seconds")

    def refusal(self, value: Any, calendar: str | None = None, calendar_from: str | None = None,
                **hints: Any) -> str:
        return buddhist_year_refusal(value, calendar, calendar_from) or super().refusal(value)
