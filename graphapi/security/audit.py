"""The audit trail: an append-only JSONL file whose every line carries the hash of the line before.

One line per audited event (``LINTAS_AUDIT_FILE``, default ``<data_dir>/audit.jsonl``)::

    {"agency": "TH-DSI", "arguments": {...}, "at": "2026-11-29T19:30:01.123Z", "kind": "query",
     "operation": "search", "outcome": "ok", "prev": "<64 hex>", "requestId": "...",
     "resultSize": 3, "roles": ["analyst"], "seq": 42, "subject": "analyst-th"}

- ``prev`` is the SHA-256 (hex) of the previous line's exact bytes (without its newline); the first
  line's ``prev`` is 64 zeros. Keys are sorted and separators compact, so a line is canonical.
- ``seq`` counts lines from 1.
- A head file beside the log (``audit.jsonl.head``: ``{"seq", "hash"}`` of the last line) anchors
  the end, so removing the LAST lines is detected as well as editing, removing or reordering any.

:func:`verify_log` walks the chain (``lintas audit verify``). Appends take an exclusive ``flock``,
so several API workers and loaders on one machine share one log safely; the chain is extended
from the log's own last line. What this cannot stop: someone who rewrites the whole file and its
head together. Ship the head hash elsewhere (a syslog, a ticket) to pin a point in time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from graphapi.security.filelock import locked
from graphapi.security.principal import Principal
from graphapi.security.timeutil import utc_now

GENESIS = "0" * 64
#: Longest string and list kept in ``arguments``; longer ones are cut and marked.
MAX_STRING = 2_000
MAX_ITEMS = 200


class AuditSink(Protocol):
    """Anything that records audit events (the log, or a test double)."""

    def record(
        self,
        principal: Principal | None,
        operation: str,
        arguments: Mapping[str, Any] | None = None,
        result_size: int | None = None,
        *,
        kind: str = "query",
        outcome: str = "ok",
        request_id: str | None = None,
    ) -> dict[str, Any]: ...


def _hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _canonical(entry: Mapping[str, Any]) -> bytes:
    # backslashreplace: a lone surrogate a client sent ("\ud800" in JSON) is still recorded,
    # as text, instead of making the audit write (and so the request) fail
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8", "backslashreplace")


def _bounded(value: Any, depth: int = 0) -> Any:
    """``value`` with long strings and lists cut, so one line stays small."""
    if isinstance(value, str):
        return value if len(value) <= MAX_STRING else value[:MAX_STRING] + f"...[{len(value)} chars]"
    if depth > 8:
        return "...[nested]"
    if isinstance(value, Mapping):
        return {str(k): _bounded(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        out = [_bounded(v, depth + 1) for v in items[:MAX_ITEMS]]
        if len(items) > MAX_ITEMS:
            out.append(f"...[{len(items)} items]")
        return out
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _last_line(path: Path) -> bytes | None:
    """The file's last non-empty line (without newline), read backwards from the end."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None
    with fh:
        fh.seek(0, os.SEEK_END)
        end = fh.tell()
        buf = b""
        pos = end
        while pos > 0:
            step = min(8192, pos)
            pos -= step
            fh.seek(pos)
            buf = fh.read(step) + buf
            stripped = buf.rstrip(b"\n")
            if b"\n" in stripped:
                return stripped.rsplit(b"\n", 1)[1]
        stripped = buf.rstrip(b"\n")
        return stripped or None


class AuditLog:
    """The hash-chained log at ``path``. ``record`` appends one event and returns it."""

    def __init__(self, path: Path, *, fsync: bool = False) -> None:
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.name + ".head")
        self.fsync = fsync

    def _locked(self) -> AbstractContextManager[None]:
        return locked(self.path)

    def append(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """Append ``event`` (its ``seq``/``prev``/``at`` are set here) and return the stored entry."""
        with self._locked():
            last = _last_line(self.path)
            if last is None:
                seq, prev = 1, GENESIS
            else:
                seq, prev = int(json.loads(last)["seq"]) + 1, _hash(last)
            entry = {**_bounded(dict(event)), "seq": seq, "prev": prev}
            entry.setdefault("at", utc_now("milliseconds"))
            line = _canonical(entry)
            with open(self.path, "ab") as fh:
                fh.write(line + b"\n")
                fh.flush()
                if self.fsync:
                    os.fsync(fh.fileno())
            head = self.head_path.with_name(self.head_path.name + ".tmp")
            head.write_bytes(_canonical({"seq": seq, "hash": _hash(line)}))
            os.replace(head, self.head_path)
        return entry

    def record(
        self,
        principal: Principal | None,
        operation: str,
        arguments: Mapping[str, Any] | None = None,
        result_size: int | None = None,
        *,
        kind: str = "query",
        outcome: str = "ok",
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """Append who (``principal``), what (``operation``, ``arguments``), how much (``result_size``:
        items returned) and how it ended (``outcome``: ok, error, denied). ``kind``: query, mutation,
        auth, access, share, export, load, audit."""
        return self.append(
            {
                "subject": principal.subject if principal else None,
                "agency": principal.agency if principal else None,
                "roles": sorted(principal.roles) if principal else [],
                "kind": kind,
                "operation": operation,
                "arguments": dict(arguments or {}),
                "resultSize": result_size,
                "outcome": outcome,
                "requestId": request_id,
            }
        )

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first (no verification: see :func:`verify_log`)."""
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return
        with fh:
            for raw in fh:
                raw = raw.rstrip(b"\n")
                if raw:
                    yield json.loads(raw)


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
    """
    path = Path(path)
    head_path = path.with_name(path.name + ".head")
    prev, count = GENESIS, 0
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        if head_path.exists():
            return Verification(False, 0, None, "log file missing but head exists")
        return Verification(True, 0)
    with fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.rstrip(b"\n")
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
            if _canonical(entry) != line:
                return Verification(False, count, number, "line is not in canonical form (edited)")
            prev, count = _hash(line), number
    try:
        head = json.loads(head_path.read_bytes())
    except FileNotFoundError:
        if count == 0:
            return Verification(True, 0)
        return Verification(False, count, None, "head file missing")
    except ValueError:
        return Verification(False, count, None, "head file is not valid JSON")
    if head.get("seq") != count:
        return Verification(
            False, count, None, f"head names line {head.get('seq')} but the log ends at line {count} (lines removed)"
        )
    if count and head.get("hash") != prev:
        return Verification(False, count, count, "last line does not match the head hash (edited)")
    return Verification(True, count, head_hash=prev if count else None)
