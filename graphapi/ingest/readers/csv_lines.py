"""CSV framing that accounts for every physical line: a quote left open never silently swallows
the records after it, and a genuine multi-line field is never cut.

Two framings (``csv: {records: ...}`` in a mapping):

- ``single-line`` (the default): a record is one physical line. A line whose quoted field is not
  closed on it is a broken record, reported with its line number and text, and reading goes on at
  the next line. The parser is never handed the next line, so a broken line costs only itself.
  One exception, Excel's: in a file whose first line ends CRLF, a line that ends with a bare LF or
  CR inside a quoted field (Alt+Enter in a cell) goes on to the next line; a record ends at CRLF.
- ``multi-line`` (RFC 4180): a quoted field may hold line breaks (a note, an address), parsed
  exactly as ``csv`` parses them. Only a record that is wrong is broken. If the file ends inside
  its quote, its FIRST physical line alone is rejected and parsing resynchronises at the next
  line (where the quote really closes is unknowable). If it has a field over the size limit, or,
  once the header's ``width`` is known, a field count outside ``least..width``, it is rejected
  WHOLE, one reject naming its first and last line, and reading resumes after its last line: its
  quoted field's lines (a note's) are never read as records. A record of the right width that
  spans lines is read, and :attr:`FramedReader.span` says which lines it ran over, for the reader
  to report (an open quote followed by a row with a quoted field can make one record of the right
  width of the two: only a person can tell it from a genuine note).

Linear time: once a record has run to the end of the file inside a quote, every line after its
first was read inside that quote, so a record starting on a later line that is still inside a
quote at its first line's end runs to the end of the file too. From then on each record is read
one line at a time (as single-line), and a line left inside a quote is rejected without reading the
rest of the file again (which cost n^2/2 lines for a file of lines each opening a quote).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO


class BrokenRecord(csv.Error):
    """A record that is no whole CSV record: its first physical line ``line`` (1-based), that
    line's ``raw`` text, and ``last``, its last line (``line`` unless it was rejected whole)."""

    def __init__(self, line: int, raw: str, why: str, last: int | None = None) -> None:
        super().__init__(why)
        self.line = line
        self.raw = raw
        self.last = line if last is None else last


class _Lines:
    """The physical lines of a file, counted, with the lines of the record being read kept (to
    reject its first and read the others again)."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh: Iterator[str] = iter(fh)
        self.count = 0
        self.parsed = 0  # lines handed out, a line read again counted again: the framing's work
        self.record: list[str] = []
        self.back: list[str] = []  # lines to read again, the next one last
        self.ended = False  # the file ran out while the record was being read
        #: single-line framing: never hand the parser a record's second line
        self.single_line = False
        self.cut = False  # the parser asked for a record's second line and was refused
        #: the file's first line ends CRLF: single-line framing lets a bare LF or CR in a quote through
        self.crlf = False
        #: lines up to this one were read inside a quote that reached a CRLF: none joins the next
        self.plain_until = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.single_line and self.record and not (
                self.crlf and self.count >= self.plain_until and _bare_break(self.record[-1])):
            self.cut = True  # the line ended inside a quoted field: the record ends here, broken
            raise StopIteration
        try:
            text = self.back.pop() if self.back else next(self._fh)
        except StopIteration:
            self.ended = True
            raise
        self.count += 1
        self.parsed += 1
        if self.count == 1:
            self.crlf = text.endswith("\r\n")
        self.record.append(text)
        return text

    def read_again(self, lines: list[str]) -> None:
        self.back.extend(reversed(lines))
        self.count -= len(lines)


def _bare_break(text: str) -> bool:
    """True if ``text`` ends with a line break that is not CRLF (a bare LF or CR)."""
    return text.endswith(("\n", "\r")) and not text.endswith("\r\n")


def _ends_inside_quote(lines: list[str], delimiter: str) -> bool:
    """True if the file's last record, ``lines``, ends inside a quoted field."""
    if lines[-1].endswith(("\n", "\r")):
        return True  # csv asked for more after a line break: the break was inside quotes
    try:
        list(csv.reader(["".join(lines)], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _in_quote_after(text: str, in_quote: bool, delimiter: str) -> bool:
    """True if ``csv`` (its default dialect: ``"`` doubled inside quotes, not strict) is inside a
    quoted field at the end of ``text``, one physical line, having begun it inside one if
    ``in_quote`` (else at a record's start). Only quote state, no field kept: the end of a record
    whose field is over the size limit is found in time linear in its length."""
    i, n = 0, len(text)
    while i < n:
        if in_quote:
            j = text.find('"', i)
            if j < 0:
                return True
            if text.startswith('"', j + 1):  # a doubled quote: still inside
                i = j + 2
                continue
            in_quote, i = False, j + 1  # the field closed; what follows it is plain (not strict)
        elif text.startswith('"', i):  # a field that opens with a quote
            in_quote, i = True, i + 1
            continue
        j = text.find(delimiter, i)  # a plain field: a quote in it is a character
        if j < 0:
            return False
        i = j + 1
    return in_quote


class FramedReader:
    """``csv.reader`` over ``fh`` (same iteration; ``line_num`` is the physical line of the last
    record's end) that raises :class:`BrokenRecord` for a broken record, as the module says; the
    next call reads on from the line after what was rejected. ``width`` (the header's field
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
        #: multi-line framing after a record ran to the end of the file: read one line at a time
        self._open_to_end = False
        self._csv = csv.reader(self._lines, delimiter=delimiter)
        #: (first, last) physical line of the record last returned: first < last if it spans lines
        self.span = (0, 0)

    @property
    def single_line(self) -> bool:
        return self._lines.single_line

    @property
    def line_num(self) -> int:
        return self._lines.count

    @property
    def parsed(self) -> int:
        """Physical lines handed to the parser so far, a line read again counted again."""
        return self._lines.parsed

    def __iter__(self) -> FramedReader:
        return self

    def __next__(self) -> list[str]:
        lines = self._lines
        lines.record, lines.ended, lines.cut = [], False, False
        first = lines.count + 1
        try:
            cells = next(self._csv)  # StopIteration ends the file
        except csv.Error as exc:  # a field over the size limit
            if lines.single_line:
                raise self._resync(first, f"{exc}; line {first} rejected, reading resumes at line {first + 1}") \
                    from None
            raise self._too_big(first, exc) from None
        if len(lines.record) == 1 and not lines.ended and not lines.cut:
            self.span = (first, first)
            return cells  # the fast path: a one-line record the file goes on after
        if self._lines.cut or self._lines.ended and _ends_inside_quote(lines.record, self._delimiter):
            raise self._resync(first, self._unclosed(first))
        if lines.single_line and len(lines.record) > 1 and not lines.record[-1].endswith("\r\n"):
            # a CRLF file's record joined across a bare line break ends at a CRLF (Excel's Alt+Enter
            # in a cell); one ending at a bare LF joined rows of the file's LF-ended part (round 31d),
            # and so did one ending at the end of a file whose last line has no break (round 32)
            raise self._resync(first, f"unclosed quote: a quoted field is not closed on line {first} (a "
                               f"record is one line; a line break inside quotes joins lines only up to a "
                               f"CRLF){self.hint}")
        why = self._wrong_width(cells, first)
        if why:  # the parser is at a record's end: reading goes on after it
            raise BrokenRecord(first, lines.record[0].rstrip("\r\n"), why, lines.count)
        self.span = (first, lines.count)
        return cells

    def _unclosed(self, first: int) -> str:
        """Why the record starting on line ``first``, whose quote is not closed, is rejected."""
        if self._lines.cut and not self._open_to_end:
            return f"unclosed quote: a quoted field is not closed on line {first} (a record is one line){self.hint}"
        return (f"unclosed quote: the quoted field opened on line {first} is never closed (the file "
                f"ends inside it); line {first} rejected, reading resumes at line {first + 1}")

    def _wrong_width(self, cells: list[str], first: int) -> str | None:
        """Why the record just read, starting on line ``first``, is no record, or ``None``."""
        if len(self._lines.record) == 1 or self.width is None:
            return None  # a one-line record's field count is the caller's to judge
        least = self.width if self.least is None else self.least
        if least <= len(cells) <= self.width:
            return None
        last = self._lines.count
        return (f"unclosed quote? the record from line {first} runs to line {last} and has {len(cells)} "
                f"fields, not {self.width}; lines {first}..{last} rejected, reading resumes at line {last + 1}")

    def _too_big(self, first: int, exc: csv.Error) -> BrokenRecord:
        """Multi-line framing: the record starting on line ``first`` has a field over the size
        limit. Its lines are read on, by quote state alone, to its end, and it is rejected whole;
        if the file ends inside its quote, its first line alone (as for any quote never closed)."""
        lines, delimiter = self._lines, self._delimiter
        in_quote = False
        for text in lines.record:
            in_quote = _in_quote_after(text, in_quote, delimiter)
        while in_quote:
            try:
                text = next(lines)
            except StopIteration:
                return self._resync(first, self._unclosed(first))
            in_quote = _in_quote_after(text, True, delimiter)
        last = lines.count
        self._csv = csv.reader(lines, delimiter=delimiter)  # it stopped mid-field: start anew
        where = f"line {first}" if last == first else f"lines {first}..{last}"
        return BrokenRecord(first, lines.record[0].rstrip("\r\n"), f"{exc}; {where} rejected, reading resumes at "
                            f"line {last + 1}", last)

    def _resync(self, first: int, why: str) -> BrokenRecord:
        """Reject the record's first line and read the lines after it again, from a fresh parse."""
        lines = self._lines
        raw, rest = lines.record[0] if lines.record else "", lines.record[1:]
        if lines.ended and not lines.single_line:
            # every line after ``first`` was read inside this quote: from here a record that is
            # still inside a quote at its first line's end runs to the end of the file too
            self._open_to_end = lines.single_line = True
            lines.crlf = False
        # likewise up to the CRLF (or the end) a joined single-line record reached inside its quote
        lines.plain_until = max(lines.plain_until, lines.count)
        lines.read_again(rest)
        lines.ended = lines.cut = False
        self._csv = csv.reader(lines, delimiter=self._delimiter)  # its state may be mid-field: start anew
        return BrokenRecord(first, raw.rstrip("\r\n"), why)
