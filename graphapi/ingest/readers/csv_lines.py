"""CSV framing that accounts for every physical line: a quote left open never silently swallows
the records after it, and a genuine multi-line field is never cut.

Two framings (``csv: {records: ...}`` in a mapping):

- ``single-line`` (the default): a record is one physical line. A line whose quoted field is not
  closed on it is a broken record, reported with its line number and text, and reading goes on at
  the next line. The parser is never handed the next line, so a broken line costs only itself.
- ``multi-line`` (RFC 4180): a quoted field may hold line breaks (a note, an address), parsed
  exactly as ``csv`` parses them. Only a record that is wrong (the file ends inside its quote, a
  field over the size limit, or, once the header's ``width`` is known, a field count outside
  ``least..width``) is broken: its FIRST physical line alone is rejected, and parsing
  resynchronises at the next physical line. A record of the right width that spans lines is
  read, and :attr:`FramedReader.span` says which lines it ran over, for the reader to report
  (an open quote followed by a row with a quoted field can make one record of the right width
  of the two: only a person can tell it from a genuine note).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO


class BrokenRecord(csv.Error):
    """A physical line that starts no whole CSV record: ``line`` (1-based) and its ``raw`` text."""

    def __init__(self, line: int, raw: str, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.raw = raw


class _Lines:
    """The physical lines of a file, counted, with the lines of the record being read kept (to
    reject its first and read the others again)."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh: Iterator[str] = iter(fh)
        self.count = 0
        self.record: list[str] = []
        self.back: list[str] = []  # lines to read again, the next one last
        self.ended = False  # the file ran out while the record was being read
        #: single-line framing: never hand the parser a record's second line
        self.single_line = False
        self.cut = False  # the parser asked for a record's second line and was refused

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.single_line and self.record:
            self.cut = True  # the line ended inside a quoted field: the record ends here, broken
            raise StopIteration
        try:
            text = self.back.pop() if self.back else next(self._fh)
        except StopIteration:
            self.ended = True
            raise
        self.count += 1
        self.record.append(text)
        return text

    def read_again(self, lines: list[str]) -> None:
        self.back.extend(reversed(lines))
        self.count -= len(lines)


def _ends_inside_quote(lines: list[str], delimiter: str) -> bool:
    """True if the file's last record, ``lines``, ends inside a quoted field."""
    if lines[-1].endswith(("\n", "\r")):
        return True  # csv asked for more after a line break: the break was inside quotes
    try:
        list(csv.reader(["".join(lines)], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


class FramedReader:
    """``csv.reader`` over ``fh`` (same iteration; ``line_num`` is the physical line of the last
    record's end) that raises :class:`BrokenRecord` for a broken record's first line, as the
    module says; the next call reads on from the line after it. ``width`` (the header's field
    count) and ``least`` (the fewest fields a record may have; ``width`` if unset) are set once
    the header is read; until then a multi-line record is never cut for its field count.
    ``hint`` ends the reason of a single-line record whose quote is not closed on its line (the
    setting that reads line breaks inside quoted fields, where the caller has one)."""

    def __init__(self, fh: IO[str], delimiter: str = ",", *, single_line: bool = True,
                 width: int | None = None, least: int | None = None, hint: str = "") -> None:
        self._delimiter = delimiter
        self.width = width
        self.least = least
        self.hint = hint
        self._lines = _Lines(fh)
        self._lines.single_line = single_line
        self._csv = csv.reader(self._lines, delimiter=delimiter)
        #: (first, last) physical line of the record last returned: first < last if it spans lines
        self.span = (0, 0)

    @property
    def single_line(self) -> bool:
        return self._lines.single_line

    @property
    def line_num(self) -> int:
        return self._lines.count

    def __iter__(self) -> FramedReader:
        return self

    def __next__(self) -> list[str]:
        lines = self._lines
        lines.record, lines.ended, lines.cut = [], False, False
        first = lines.count + 1
        try:
            cells = next(self._csv)  # StopIteration ends the file
        except csv.Error as exc:  # a field over the size limit
            raise self._resync(first, f"{exc}; line {first} rejected, reading resumes at line {first + 1}") \
                from None
        if len(lines.record) == 1 and not lines.ended and not lines.cut:
            self.span = (first, first)
            return cells  # the fast path: a one-line record the file goes on after
        why = self._wrong(cells, first)
        if why:
            raise self._resync(first, why)
        self.span = (first, lines.count)
        return cells

    def _wrong(self, cells: list[str], first: int) -> str | None:
        """Why the record just read, starting on line ``first``, is no record, or ``None``."""
        record = self._lines.record
        if self._lines.cut:
            return f"unclosed quote: a quoted field is not closed on line {first} (a record is one line){self.hint}"
        spans = len(record) > 1
        open_at_end = self._lines.ended and _ends_inside_quote(record, self._delimiter)
        if open_at_end:
            return (f"unclosed quote: the quoted field opened on line {first} is never closed (the file "
                    f"ends inside it); line {first} rejected, reading resumes at line {first + 1}")
        if not spans or self.width is None:
            return None  # a one-line record's field count is the caller's to judge
        least = self.width if self.least is None else self.least
        if least <= len(cells) <= self.width:
            return None
        last = first + len(record) - 1
        return (f"unclosed quote? the record from line {first} runs to line {last} and has {len(cells)} "
                f"fields, not {self.width}; line {first} rejected, reading resumes at line {first + 1}")

    def _resync(self, first: int, why: str) -> BrokenRecord:
        """Reject the record's first line and read the lines after it again, from a fresh parse."""
        lines = self._lines
        raw, rest = lines.record[0] if lines.record else "", lines.record[1:]
        lines.read_again(rest)
        lines.ended = lines.cut = False
        self._csv = csv.reader(lines, delimiter=self._delimiter)  # its state may be mid-field: start anew
        return BrokenRecord(first, raw.rstrip("\r\n"), why)
