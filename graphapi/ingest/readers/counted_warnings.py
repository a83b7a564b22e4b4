"""Warnings of one kind in one column, bounded: the first few are listed with their rows, the rest
are counted.

A float-exported feed writes every number column of every row as a decimal (``85512345678.0``),
and its values are distinct (phones, IMEIs): told once per column and value, each warning with its
raw row was held until the load ended (200,000 Cambodian CDR rows: 600,000 warnings, +586 MB; attack
round 43a, 6). As a job's reject report is bounded (:mod:`graphapi.ingest.reject_report`), the
warnings of one kind in one column of one file list the first :data:`LISTED` values, each at its
first row; every later row of that kind is counted, and one closing warning per column and file,
at the first row not listed, says how many (its ``count``): the load's ``warnings`` stays the
number of rows warned of.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphapi.ingest.records import LoadWarning

#: values of one kind of warning listed per column and file
LISTED = 10


@dataclass
class _Kind:
    values: set[str] = field(default_factory=set)  # listed
    more: int = 0  # rows counted, not listed
    line: int = 0  # the first of them
    said: str = ""  # the closing warning, with {n} for the count


class CountedWarnings:
    """The warnings of a reader's files by kind (a column's, say): :meth:`listed`, :meth:`closing`."""

    def __init__(self, listed: int = LISTED) -> None:
        self.most = listed
        self._kinds: dict[tuple[str, str], _Kind] = {}  # (file, kind) -> what was listed and counted

    def listed(self, file: str, line: int, kind: str, value: str, said: str) -> bool:
        """Whether the warning of ``kind`` about ``value`` at ``file`` ``line`` is listed: the
        value's first, among the first :data:`LISTED`; else it is counted, and the closing warning
        will say ``said.format(n=count)``."""
        entry = self._kinds.get((file, kind))
        if entry is None:
            entry = self._kinds[file, kind] = _Kind()
        if value in entry.values:
            return False  # told already: once per value among those listed; not counted again
        if len(entry.values) < self.most:
            entry.values.add(value)
            return True
        if not entry.more:
            entry.line, entry.said = line, said
        entry.more += 1
        return False

    def closing(self) -> list[LoadWarning]:
        """One warning per kind and file with rows counted and not listed (``count`` of them), in
        the order first met; forgets what was listed (a next file lists its own first values)."""
        said = [LoadWarning(file, entry.line, entry.said.format(n=entry.more), None, count=entry.more)
                for (file, _), entry in self._kinds.items() if entry.more]
        self._kinds.clear()
        return said
