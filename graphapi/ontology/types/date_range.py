"""Date ranges as ISO 8601 time intervals: "1964-01-01/1964-02-17".

Source: ISO 8601-1 time intervals written "start/end", each end a calendar date at the precision
the source gave (YYYY-MM-DD, YYYY-MM or YYYY; see :mod:`.date`). Accepted input: "start/end" in
any form :mod:`.date` reads, or the words a source writes between two dates ("01 Jan 1964 to
17 Feb 1964", "until", a dash between spaces: :func:`.date.parse_range`). A range whose start is
after its end, or with an end that is not a date, is rejected. Both ends are included: "born
1964-01-01/1964-02-17" means born on one day of that range (OFAC SDN "DOB ... to ...").
"""

from __future__ import annotations

from typing import Any

from graphapi.ontology.types.base import ValueType, code_text
from graphapi.ontology.types.date import clean_date, parse_range


def split_range(value: Any, dayfirst: bool = True) -> tuple[str, str] | None:
    """The cleaned ``(start, end)`` of a range ("1964-01-01/1964-02-17" or "01 Jan 1964 to
    17 Feb 1964"), or ``None`` if ``value`` is not a range of two dates with start <= end
    (compared at the shorter precision)."""
    text = code_text(value)
    if text is None:
        return None
    if text.count("/") == 1:
        start, end = (clean_date(part, dayfirst) for part in text.split("/"))
        if start and end:
            size = min(len(start), len(end))
            return (start, end) if start[:size] <= end[:size] else None
    return parse_range(text, dayfirst)


def enclosing(start: str, end: str) -> str | None:
    """The most precise partial date that holds the whole range: the leading parts both canonical
    ends share ("1964-01-01", "1964-02-17" -> "1964"; "1964-01-01", "1964-01-31" -> "1964-01"),
    or ``None`` when the years differ ("1960", "1965")."""
    common: list[str] = []
    for a, b in zip(start.split("-"), end.split("-"), strict=False):
        if a != b:
            break
        common.append(a)
    return "-".join(common) or None


class DateRangeType(ValueType):
    """A date range; canonical ISO 8601 interval "start/end" of partial dates."""

    name = "dateRange"

    def clean(self, value: Any, dayfirst: bool = True, **hints: Any) -> str | None:
        """``"01 Jan 1964 to 17 Feb 1964"`` -> ``"1964-01-01/1964-02-17"``; ``None`` if no range."""
        ends = split_range(value, dayfirst)
        return f"{ends[0]}/{ends[1]}" if ends else None
