"""Verifying the audit log's chain (``lintas audit verify``): every line parses, ``seq`` runs
1, 2, 3..., every ``prev`` is the hash of the line before, and the head file names the last line
(the log's format: :mod:`graphapi.security.audit`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from graphapi.security.audit import GENESIS, canonical, line_hash
from graphapi.security.audit_head import TornHead, read_head
from graphapi.security.filelock import locked_for_reading


@dataclass(frozen=True)
class Verification:
    """Result of :func:`verify_log`: ``ok``, lines checked, and the first problem (1-based line)."""

    ok: bool
    lines: int
    line: int | None = None
    problem: str | None = None
    head_hash: str | None = None


def verify_log(path: Path) -> Verification:
    """Walk the chain of the log at ``path``: every line parses, ``seq`` runs 1, 2, 3..., every
    ``prev`` is the hash of the line before, and the head file names the last line.

    Detects an edited line (the next line's ``prev`` or the head no longer match), a removed or
    inserted line (``seq`` gap, ``prev`` mismatch, or head mismatch at the end) and reordered
    lines. A missing log with no head is an empty, valid log.

    The log is read without its lock (a long verify must not hold a live server's appends up);
    the lines appended meanwhile and the head are then read under the lock, so the end and its
    head are one writer's state (attack round 17, A2: beside a busy API an intact log was
    reported "lines removed", the head read after lines the scan had not seen).
    """
    path = Path(path)
    head_path = path.with_name(path.name + ".head")
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        if head_path.exists():
            return Verification(False, 0, None, "log file missing but head exists")
        return Verification(True, 0)
    with fh:
        walked = walk(fh, 0, GENESIS, final=False)
        if isinstance(walked, Verification):
            return walked
        with locked_for_reading(path):  # an auditor's read-only folder too (round 18, A2b)
            walked = walk(fh, *walked)  # the lines appended since, then the head, writers held off
            if isinstance(walked, Verification):
                return walked
            count, prev = walked
            size = fh.tell()
            return _against_head(head_path, count, prev, size)


def walk(fh: BinaryIO, count: int, prev: str, *, final: bool = True,
          until: int | None = None) -> tuple[int, str] | Verification:
    """Check the lines of ``fh`` from where it is (``count`` lines read so far, the last hashing
    to ``prev``) to its end, or to line ``until``: the new ``(count, prev)``, ``fh`` after that
    line, or the first problem. Not ``final``: a last line without its newline may be a write in
    progress (or a torn tail, for a repair), left unread."""
    while (until is None or count < until) and (raw := fh.readline()):
        number = count + 1
        line = raw.rstrip(b"\n")
        if not raw.endswith(b"\n"):
            if not final:
                fh.seek(-len(raw), os.SEEK_CUR)
                break
            return Verification(False, count, number, "line is torn (no newline: a write cut short)")
        try:
            entry = json.loads(line)
        except ValueError:
            return Verification(False, count, number, "not valid JSON")
        if not isinstance(entry, dict):
            return Verification(False, count, number, "not a JSON object")
        if entry.get("seq") != number:
            return Verification(False, count, number, f"seq {entry.get('seq')!r}, expected {number}")
        if entry.get("prev") != prev:
            return Verification(False, count, number, "prev hash does not match the line before")
        if canonical(entry) != line:
            return Verification(False, count, number, "line is not in canonical form (edited)")
        prev, count = line_hash(line), number
    return count, prev


def _against_head(head_path: Path, count: int, prev: str, size: int) -> Verification:
    """The verdict of a log of ``count`` lines and ``size`` bytes, its last hashing to ``prev``,
    against its head."""
    try:
        head = read_head(head_path)
    except TornHead as exc:
        return Verification(False, count, None, str(exc))
    except ValueError:
        return Verification(False, count, None, "head file is not valid JSON")
    if head is None:
        if count == 0:
            return Verification(True, 0)
        return Verification(False, count, None, "head file missing")
    if head.get("seq") != count:
        named = head.get("seq")
        why = "lines removed" if isinstance(named, int) and named > count else "lines added after the head"
        return Verification(False, count, None, f"head names line {named} but the log ends at line {count} ({why})")
    if count and head.get("hash") != prev:
        return Verification(False, count, count, "last line does not match the head hash (edited)")
    if "size" in head and head["size"] != size:
        return Verification(False, count, None, f"head pins {head['size']} bytes but the log is {size} bytes")
    return Verification(True, count, head_hash=prev if count else None)
