"""CSV framing for feeds whose records are one physical line each (``csv: {records: single-line}``
in a mapping): a quote left open never swallows the records after it. Each line is parsed on its
own; a line whose quote is not closed on it is a broken record, reported with its line number and
text, and reading goes on at the next line, so every physical line is accounted for."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO


class BrokenRecord(csv.Error):
    """A line that is no whole CSV record: ``line`` (1-based physical line) and its ``raw`` text."""

    def __init__(self, line: int, raw: str, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.raw = raw


class SingleLineReader:
    """``csv.reader`` over ``fh`` with one record per physical line: same iteration and
    ``line_num`` (the physical line of the last record), :class:`BrokenRecord` for a line whose
    quoted field is not closed on it (the next call reads the next line)."""

    def __init__(self, fh: IO[str], delimiter: str = ",") -> None:
        self._lines: Iterator[str] = iter(fh)
        self._delimiter = delimiter
        self.line_num = 0

    def __iter__(self) -> SingleLineReader:
        return self

    def __next__(self) -> list[str]:
        text = next(self._lines)  # StopIteration ends the file
        self.line_num += 1
        try:
            cells = next(csv.reader([text], delimiter=self._delimiter), [])
        except csv.Error as exc:  # a field over the size limit: this line only
            raise BrokenRecord(self.line_num, text.rstrip("\r\n"), str(exc)) from None
        # a field holding the line's own end is a quote the line opened and never closed
        if any("\n" in c or "\r" in c for c in cells):
            raise BrokenRecord(self.line_num, text.rstrip("\r\n"),
                               "unclosed quote: the line ends inside a quoted field (records are single lines)")
        return cells
