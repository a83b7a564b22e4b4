"""The framing of OFAC's legacy SDN CSV files (``sdn.csv``, ``add.csv``, ``alt.csv``): their
widths and header names, the ``-0-`` null marker, the encoding (UTF-8, else Windows-1252), and
the rows that are not data (a final Ctrl-Z, a header row, a short preamble), which are neither
read nor rejected but noted as skipped. A record is one line (OFAC's files hold no line break
inside a field): a line whose quote is not closed on it is rejected at its line and the next line
is read on its own. Read as multi-line records, a row cut inside its name and the row after it
made ONE entry of the file's width, the second row lost unreported. What the rows mean is
:mod:`.ofac`'s.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from graphapi.ingest.guard import key_of
from graphapi.ingest.readers.base import csv_field_limit, unsafe_text
from graphapi.ingest.readers.csv_lines import BrokenRecord, FramedReader

SDN_COLUMNS = 12
ADD_COLUMNS = 6
ALT_COLUMNS = 5
#: The first two column names of each file as OFAC's data specification gives them (a header row,
#: which OFAC's own files lack, starts with these; compared by :func:`key_of`).
SDN_HEADER = ("ent_num", "SDN_Name")
ADD_HEADER = ("ent_num", "Add_num")
ALT_HEADER = ("ent_num", "alt_num")


def null_marker(value: str | None) -> str | None:
    v = (value or "").strip()
    return None if v in ("", "-0-") else v


_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")


def is_header(fields: list[str], names: tuple[str, ...]) -> bool:
    """True if ``fields`` is a header row: it starts with OFAC's column ``names`` (compared by
    letters and digits, so ``ENT_NUM``, ``Ent Num`` match ``ent_num``). A data row whose ent_num
    is merely not a number is not a header."""
    return len(fields) >= len(names) and all(key_of(f) == key_of(n) for f, n in zip(fields, names, strict=False))


#: DOS end of file (Ctrl-Z), which OFAC's legacy files end with.
EOF_BYTE = "\x1a"
#: A preamble (a title, a publication date) is a few short rows: a file of other wide rows given
#: as the SDN list (a call-record feed) is rejected row by row, never skipped whole as one.
MAX_PREAMBLE_ROWS = 3


def read_rows(path: Path, header: tuple[str, ...], width: int, skipped: list[tuple[str, int, str]]
               ) -> Iterator[tuple[int, list[str], str | None]]:
    """(line, fields, problem) of a CSV file; decodes UTF-8, else Windows-1252 (older OFAC files).
    Not data, so not yielded but noted in ``skipped`` as (file, line, what): a final end-of-file
    byte (0x1A), a row that :func:`is_header` (starts with the file's ``header`` column names), and,
    before the first data row, up to :data:`MAX_PREAMBLE_ROWS` preamble rows (at most half
    ``width`` fields, the first not a number). ``problem`` says why a row cannot be loaded
    (unreadable CSV, a NUL), else ``None``."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    if _SURROGATE.search(text) and not _NON_ASCII.search(text):
        # no valid UTF-8 beyond ASCII at all: a Windows-1252 file (older OFAC files)
        text = raw.decode("cp1252", errors="replace")
    # else UTF-8, and a row holding bytes that are not is rejected by unsafe_text
    body = text.rstrip()
    if body.endswith(EOF_BYTE):
        text = body.rstrip(EOF_BYTE) + "\n"
        skipped.append((path.name, body.count("\n") + 1, "end-of-file byte 0x1A"))
    csv_field_limit()
    # single-line records: an open quote costs its own line only (csv_lines)
    reader = FramedReader(io.StringIO(text, newline=""), single_line=True, width=width)
    data_seen, preamble = False, 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except BrokenRecord as exc:  # this record only: an open quote, a field over csv.field_size_limit()
            yield exc.line, [exc.raw], f"unreadable CSV row: {exc}"
            continue
        line = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if is_header(fields, header):
            skipped.append((path.name, line, "header row"))
            continue  # header row (ent_num, SDN_Name, ...): not a data row, not counted
        if (not data_seen and preamble < MAX_PREAMBLE_ROWS and len(fields) <= width // 2
                and not fields[0].strip().isdigit()):
            preamble += 1
            skipped.append((path.name, line, f"preamble row {','.join(fields)[:80]!r}"))
            continue
        data_seen = True
        yield line, fields, unsafe_text(fields)
