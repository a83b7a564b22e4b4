"""A load's reject report: its lines (:func:`reject_to_json`, :func:`warning_to_json`; a conflict's in
:mod:`graphapi.ingest.conflict_notes`), and a load job's report bounded like its upload (attack round 40b, 3).

Every rejected row is a JSON line with its file name, line, reason and raw row, so a file of short
bad rows made a report ~90 times its size, written past the disk floor and outside the agency's
byte cap. A job's report (:class:`BoundedReport`) holds at most :func:`report_limit` bytes: the
upload's size plus :data:`REPORT_SLACK`; each line's raw row is cut to :data:`RAW_CHARS` characters
(``"rawTruncated": true`` then), and past the limit the report ends with one line saying how many
further lines were not written. The counts stay exact (rows read = loaded + rejected): they come
from the summary, not the report.
"""

from __future__ import annotations

import json
from typing import TextIO

from graphapi.ingest.records import LoadWarning, Rejection

#: Characters of a rejected row's raw value kept in its report line (its JSON text, cut).
RAW_CHARS = 1_000
#: Bytes a job's report may hold beyond its upload's size (the closing line always fits).
REPORT_SLACK = 64 << 10
#: The longest line :func:`_cut` leaves: the raw cut plus file name, reason and keys.
_LINE_ROOM = RAW_CHARS + 2_000


def report_limit(upload_bytes: int) -> int:
    """The bytes the reject report of a job with ``upload_bytes`` of uploads may hold."""
    return max(0, upload_bytes) + REPORT_SLACK


def _cut(line: str) -> str:
    """``line`` (one report line, JSON) with its raw value cut to :data:`RAW_CHARS` characters."""
    if len(line) <= RAW_CHARS:
        return line
    entry = json.loads(line)
    raw = entry.get("raw")
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    if len(text) > RAW_CHARS:
        entry.update(raw=text[:RAW_CHARS], rawTruncated=True)
    for key in ("file", "reason"):  # a 200-character file name is kept whole; a longer one is cut too
        if isinstance(entry.get(key), str) and len(entry[key]) > 1_000:
            entry[key] = entry[key][:1_000]
    return json.dumps(entry, ensure_ascii=False, default=str)


class BoundedReport:
    """Writes report lines (``write("<json>\\n")``) until ``limit`` bytes, then counts the rest;
    :meth:`close` ends the report with the count of lines left out."""

    def __init__(self, out: TextIO, limit: int) -> None:
        self.out, self.limit = out, max(limit, 2 * _LINE_ROOM)
        self.written = self.left_out = 0

    def write(self, text: str) -> None:
        for line in text.split("\n"):  # not splitlines: a raw row's U+2028 or U+0085 is no line end
            if not line:
                continue
            line = _cut(line)
            size = len(line.encode("utf-8", "backslashreplace")) + 1
            if self.left_out or self.written + size > self.limit - _LINE_ROOM:  # room kept for the last line
                self.left_out += 1
                continue
            self.out.write(line + "\n")
            self.written += size

    def writelines(self, lines) -> None:  # noqa: ANN001 (any iterable of report lines)
        for line in lines:
            self.write(line)

    def close(self) -> None:
        if self.left_out:
            self.out.write(json.dumps({"file": "", "line": 0, "reason": (
                f"{self.left_out:,} further report line(s) not written: a job's report holds at most "
                f"{self.limit:,} bytes; the job's counts include them"), "raw": None, "notWritten": self.left_out})
                + "\n")
        self.out.close()


def reject_to_json(rej: Rejection) -> str:
    """One reject-report line: ``{"file", "line", "reason", "raw"}`` (raw as given, str if odd)."""
    return json.dumps(
        {"file": rej.file, "line": rej.line, "reason": rej.reason, "raw": rej.raw},
        ensure_ascii=False,
        default=str,
    )


def warning_to_json(warning: LoadWarning) -> str:
    """One reject-report line for a row loaded with a warning: ``{"file", "line", "reason", "raw",
    "warning": true}`` (the row is no rejection: it counts as loaded); a closing count of warnings
    not listed says how many rows it stands for (``"count"``)."""
    entry = {"file": warning.file, "line": warning.line, "reason": warning.reason, "raw": warning.raw,
             "warning": True}
    if warning.count != 1:
        entry["count"] = warning.count
    return json.dumps(entry, ensure_ascii=False, default=str)
