"""Records that run over several physical lines in ``records: multi-line`` framing: told as one
load warning per file, and looked for in a sample of a file (``lintas mapping init``).

A quote left open, followed by a row with a quoted field, can parse as ONE record of the header's
width (:mod:`.csv_lines`): no parser can tell it from a genuine note typed over two lines. So
nothing merges silently: every record that spans lines is counted, and the first
:data:`SHOWN` are named by their first and last line, for a person to check against the file.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from graphapi.ingest.readers.csv_lines import BrokenRecord, FramedReader
from graphapi.ingest.records import LoadWarning

#: Spans a file's warning names (the count covers them all).
SHOWN = 20
#: Lines a record may take, on average, in ``lintas mapping init``'s sample.
SAMPLE_LINES = 50


class SpannedRecords:
    """The records of one file that span lines: their ``count`` and the first :data:`SHOWN` spans."""

    def __init__(self) -> None:
        self.count = 0
        self.spans: list[tuple[int, int]] = []

    def add(self, span: tuple[int, int]) -> None:
        """Note a record read over ``span`` (first, last physical line), if it spans lines."""
        first, last = span
        if last > first:
            self.count += 1
            if len(self.spans) < SHOWN:
                self.spans.append(span)

    def warning(self, file: str) -> LoadWarning | None:
        """The file's warning (at the first span's first line), or ``None`` if no record spans lines."""
        if not self.count:
            return None
        where = ", ".join(f"{a}..{b}" for a, b in self.spans)
        if self.count > len(self.spans):
            where += f" (the first {len(self.spans)} of {self.count:,})"
        return LoadWarning(file, self.spans[0][0], (
            f"{self.count:,} record(s) span more than one line (csv: records: multi-line: a quoted field "
            f"holds a line break): lines {where}. Check each is one record: a quote left open joins the "
            "lines after it into its record"), about_file=True)


def sample_spans_lines(path: Path, rows: int, delimiter: str = ",") -> bool:
    """True if one of the first ``rows`` records of ``path`` after its first row runs over several
    lines as ``records: multi-line`` reads them (with the first row's field count: a quoted line
    break, a note or an address, not an open quote that never closes). A broken record counts as
    one of the ``rows``, and no more than :data:`SAMPLE_LINES` lines a record are read: a sample
    of a file of open quotes costs what a sample of good rows does."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = FramedReader(islice(fh, (rows + 1) * SAMPLE_LINES), delimiter, single_line=False)
        for _ in range(rows + 1):
            try:
                cells = next(reader)
            except StopIteration:
                return False
            except BrokenRecord:
                continue
            if reader.width is None:
                reader.width = len(cells)
            elif reader.span[1] > reader.span[0]:
                return True
    return False
