"""CSV framing that accounts for every physical line: a quote left open never silently swallows
the records after it.

Two framings (``csv: {records: ...}`` in a mapping):

- ``single-line``: a record is one physical line. A line whose quoted field is not closed on it
  is a broken record, reported with its line number and text, and reading goes on at the next line.
- ``multi-line`` (the default; RFC 4180): a quoted field may hold line breaks (a note, an
  address). But a quoted field that runs on into a line which is a whole record on its own (it
  has the header's width and no open quote) is a quote left open, not a note: the lines from the
  opening one up to that record are one broken record, and reading resumes at that record. A
  genuine multi-line note rarely holds a line of exactly the header's width.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO


class BrokenRecord(csv.Error):
    """Lines that are no whole CSV record: ``line`` (1-based physical line where it starts) and its
    ``raw`` text."""

    def __init__(self, line: int, raw: str, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.raw = raw


class _RunsIntoRecord(Exception):
    """Raised by :class:`_Lines` to stop ``csv.reader`` when an open quote reaches a record-shaped line."""


class _Lines:
    """The physical lines of a file, counted, with the lines of the record being read kept (to
    report a broken one) and a line that must be read again pushed back."""

    def __init__(self, fh: IO[str], framed: FramedReader) -> None:
        self._fh: Iterator[str] = iter(fh)
        self._framed = framed
        self.count = 0
        self.record: list[str] = []
        self.back: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        text = self.back.pop() if self.back else next(self._fh)
        if self.record and self._framed.ends_open_record(text):
            self.back.append(text)  # read again, as the record it is
            raise _RunsIntoRecord
        self.count += 1
        self.record.append(text)
        return text


class FramedReader:
    """``csv.reader`` over ``fh`` (same iteration; ``line_num`` is the physical line of the last
    record's end) that raises :class:`BrokenRecord` for an open quote, as the module says; the
    next call reads on. ``width`` (the header's field count) is set once the header is read;
    until then a multi-line record is never cut."""

    def __init__(self, fh: IO[str], delimiter: str = ",", *, single_line: bool = False,
                 width: int | None = None) -> None:
        self._delimiter = delimiter
        self.single_line = single_line
        self.width = width
        self._lines = _Lines(fh, self)
        self._csv = csv.reader(self._lines, delimiter=delimiter)

    @property
    def line_num(self) -> int:
        return self._lines.count

    def __iter__(self) -> FramedReader:
        return self

    def ends_open_record(self, text: str) -> bool:
        """True if ``text``, a line that would continue an open quoted field, must instead end it."""
        if self.single_line:
            return True
        if self.width is None:
            return False
        try:
            cells = next(csv.reader([text], delimiter=self._delimiter), [])
        except csv.Error:
            return False
        return len(cells) == self.width and not any("\n" in c or "\r" in c for c in cells)

    def __next__(self) -> list[str]:
        lines = self._lines
        lines.record = []
        first = lines.count + 1
        try:
            cells = next(self._csv)  # StopIteration ends the file
        except _RunsIntoRecord:
            self._csv = csv.reader(lines, delimiter=self._delimiter)  # its state is mid-field: start anew
            raise self._broken(first) from None
        except csv.Error as exc:  # a field over the size limit: this record only
            raw = "".join(lines.record).rstrip("\r\n")
            raise BrokenRecord(first, raw, str(exc)) from None
        if self.single_line and any("\n" in c or "\r" in c for c in cells):
            # the last line ends inside a quoted field: a quote it opened and never closed
            raise self._broken(first)
        return cells

    def _broken(self, first: int) -> BrokenRecord:
        last = self._lines.count
        raw = "".join(self._lines.record).rstrip("\r\n")
        if self.single_line:
            return BrokenRecord(first, raw, "unclosed quote: the line ends inside a quoted field "
                                            "(records are single lines)")
        span = f"line {first}" if last == first else f"lines {first}-{last}"
        return BrokenRecord(first, raw, f"unclosed quote: the quoted field opened on line {first} runs into "
                                        f"line {last + 1}, a whole record of its own; {span} rejected, "
                                        f"reading resumes at line {last + 1}")


#: the name this framing had when it was single-line only
SingleLineReader = FramedReader
