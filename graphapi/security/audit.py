"""The audit trail: an append-only JSONL file whose every line carries the hash of the line before.

One line per audited event (``LINTAS_AUDIT_FILE``, default ``<data_dir>/audit.jsonl``)::

    {"agency": "TH-DSI", "arguments": {...}, "at": "2026-11-29T19:30:01.123Z", "kind": "query",
     "operation": "search", "outcome": "ok", "prev": "<64 hex>", "requestId": "...",
     "resultSize": 3, "roles": ["analyst"], "seq": 42, "subject": "analyst-th"}

- ``prev`` is the SHA-256 (hex) of the previous line's exact bytes (without its newline); the first
  line's ``prev`` is 64 zeros. Keys are sorted and separators compact, so a line is canonical.
- ``seq`` counts lines from 1.
- A head file beside the log (``audit.jsonl.head``: ``{"seq", "hash", "size"}`` of the last line
  and the log's length in bytes) anchors the end, so removing the LAST lines is detected as well as
  editing, removing or reordering any. It is one fixed-size record with a checksum, rewritten in
  place (:mod:`graphapi.security.audit_head`): a torn head is reported, never taken for one.

:func:`graphapi.security.audit_verify.verify_log` walks the chain (``lintas audit verify``).
Appends take an exclusive ``flock``,
so several API workers and loaders on one machine share one log safely. Before every append the
log's tail is checked against the head (its size and its last line's hash: a few bytes read): a log
that was truncated, torn by a crash mid-write, or extended by a forged line is not appended to;
nor is one whose head went back behind the last line this process wrote itself (the log and its
head wiped or rewound together while the server ran).
:class:`AuditFault` is raised instead (a masked ``SERVICE_UNAVAILABLE`` for clients, logged at
ERROR), :meth:`AuditLog.health` reports it (``/readyz``), and ``lintas audit repair``
(:mod:`graphapi.security.audit_repair`) quarantines a torn tail. What this cannot stop: someone
who rewrites the whole file and its head together; the external anchors of
:mod:`graphapi.security.audit_anchor` pin points of the chain elsewhere for that.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from graphapi.errors import LintasError
from graphapi.security.audit_head import HEAD_BYTES, HEAD_READ, parse_head, write_head_file
from graphapi.security.filelock import HeldLock
from graphapi.security.kept_files import KeptFile
from graphapi.security.principal import Principal
from graphapi.security.timeutil import utc_now

log = logging.getLogger("graphapi.security.audit")

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


class AuditFault(LintasError, OSError):
    """The log cannot be appended to: its tail does not match its head (torn, truncated, edited or
    extended by a forged line) or the write failed. ``str()`` is the public message (no path, no
    detail); ``detail`` says what is wrong. An ``OSError`` too, so callers that let a refusal stand
    when the log cannot be written (the HTTP gate) treat it as such."""

    code = "SERVICE_UNAVAILABLE"
    PUBLIC = "the audit log is unavailable, so the operation was refused; the operators have been alerted"

    def __init__(self, detail: str) -> None:
        super().__init__(self.PUBLIC)
        self.detail = detail


class Anchor(Protocol):
    """Where head checkpoints are shipped (:mod:`graphapi.security.audit_anchor`)."""

    def after_append(self, seq: int, hash_: str, size: int, at: str) -> None: ...


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def canonical(entry: Mapping[str, Any]) -> bytes:
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
    if type(value) is dict:  # the common case, before the slower abstract-class checks below
        return {str(k): _bounded(v, depth + 1) for k, v in value.items()}
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


def _last_line(fd: int, size: int) -> bytes | None:
    """The last non-empty line (without newline) of the first ``size`` bytes of the file open as
    ``fd``, read backwards from there."""
    buf = b""
    pos = size
    while pos > 0:
        step = min(8192, pos)
        pos -= step
        buf = os.pread(fd, step, pos) + buf
        stripped = buf.rstrip(b"\n")
        if b"\n" in stripped:
            return stripped.rsplit(b"\n", 1)[1]
    stripped = buf.rstrip(b"\n")
    return stripped or None


class AuditLog:
    """The hash-chained log at ``path``. ``record`` appends one event and returns it.

    ``anchor``: where head checkpoints go after appends (none: no external anchor). ``fault`` is
    the last tail problem seen (None while the log is healthy).
    """

    def __init__(self, path: Path, *, fsync: bool = False, anchor: Anchor | None = None) -> None:
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.name + ".head")
        self.fsync = fsync
        self.anchor = anchor
        self.fault: str | None = None
        #: (seq, hash) of the last line this object appended: the head may never go back behind it
        self._written: tuple[int, str] | None = None
        # The lock, log and head files stay open between appends (issue 14: ~7 opens an append),
        # each opened again when its path names another file (replaced, removed, repaired).
        #: (line, its hash) of the last line hashed: the tail check before and after each operation
        #: meets the same last line (the one this object wrote, mostly); exact bytes only
        self._hashed: tuple[bytes, str] = (b"", "")
        self._lock = HeldLock(self.path)
        self._log = KeptFile(self.path, os.O_RDWR | os.O_APPEND)
        self._head = KeptFile(self.head_path, os.O_RDWR)

    def close(self) -> None:
        """Close the files this object keeps open (they are opened again when next needed)."""
        self._log.close()
        self._head.close()

    def _locked(self) -> AbstractContextManager[None]:
        return self._lock.held()

    def _tail(self) -> tuple[str | None, int, str, int]:
        """``(problem, seq, hash, size)`` of the log's end as its head pins it; call under the lock.

        Cheap: a stat, the head file and the log's last line. ``problem`` is None when the tail is
        what the head says (or the log and head are both absent) and not behind the last line this
        object wrote itself."""
        problem, seq, pinned, size = self._pinned_tail()
        if problem is None and self._written is not None:
            problem = self._rewound(seq, pinned)
        return problem, seq, pinned, size

    def _rewound(self, seq: int, pinned: str) -> str | None:
        """Why the head is behind (or beside) the line this object last wrote, if it is: the log and
        its head were wiped or rewound together while we ran. Other writers only move it forward."""
        written_seq, written_hash = self._written  # type: ignore[misc]
        if seq < written_seq:
            return f"the log's head went back from line {written_seq} to line {seq} (wiped or rewound)"
        if seq == written_seq and pinned != written_hash:
            return f"the log's line {seq} is not the line written there (rewritten)"
        return None

    def _pinned_tail(self) -> tuple[str | None, int, str, int]:
        # under the lock no writer is mid-write: a head that fails its check is torn, not busy
        try:
            kept_head = self._head.current()
            head = None if kept_head is None else parse_head(os.pread(kept_head[0], HEAD_READ, 0))
        except ValueError as exc:
            return f"head file unreadable ({exc})", 0, GENESIS, 0
        kept_log = self._log.current()
        size = 0 if kept_log is None else kept_log[1].st_size
        if head is None:
            if size == 0:
                return None, 0, GENESIS, 0
            return "head file missing while the log holds lines", 0, GENESIS, size
        seq, pinned = head.get("seq"), head.get("hash")
        if not isinstance(seq, int) or seq < 0 or not isinstance(pinned, str):
            return "head file is malformed", 0, GENESIS, size
        if "size" in head and head["size"] != size:
            return (f"the log is {size} bytes but its head pins {head['size']} bytes at line {seq} "
                    "(lines removed, added or torn)"), seq, pinned, size
        if seq == 0:
            return (None if size == 0 else "head pins no line but the log is not empty"), 0, GENESIS, size
        if kept_log is None:
            return f"the log is missing but its head pins line {seq}", seq, pinned, size
        fd = kept_log[0]
        if os.pread(fd, 1, max(0, size - 1)) != b"\n":
            return "the log's last line is torn (no newline)", seq, pinned, size
        last = _last_line(fd, size)
        if last is None or self._line_hash(last) != pinned:
            return f"the log's last line is not the line {seq} its head pins (edited, torn or added)", seq, pinned, size
        return None, seq, pinned, size

    def _line_hash(self, line: bytes) -> str:
        if line != self._hashed[0]:
            self._hashed = (line, line_hash(line))
        return self._hashed[1]

    def _refuse(self, problem: str) -> AuditFault:
        self.fault = problem
        log.error("AUDIT LOG FAULT %s: %s; nothing appended (run `lintas audit verify`, then "
                  "`lintas audit repair` for a torn tail)", self.path, problem)
        return AuditFault(problem)

    def health(self) -> str | None:
        """The tail problem, if any (see :meth:`_tail`); None when appends would proceed. Also
        sets ``fault``. For ``/readyz`` and the check before each GraphQL operation."""
        try:
            with self._locked():
                problem = self._tail()[0]
        except OSError as exc:
            problem = f"cannot read the log: {exc.strerror or exc}"
        self.fault = problem
        return problem

    def append(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """Append ``event`` (its ``seq``/``prev``/``at`` are set here) and return the stored entry.

        Raises AuditFault, and appends nothing, when the log's tail does not match its head, or
        when the write fails."""
        try:
            with self._locked():
                return self.append_locked(event)
        except AuditFault:
            raise
        except OSError as exc:
            raise self._refuse(f"cannot write the log: {exc.strerror or exc}") from exc

    def append_locked(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """:meth:`append` for a caller that already holds the log's lock (``lintas audit repair``)."""
        problem, seq, prev, size = self._tail()
        if problem is not None:
            raise self._refuse(problem)
        entry = {**_bounded(dict(event)), "seq": seq + 1, "prev": prev}
        entry.setdefault("at", utc_now("milliseconds"))
        line = canonical(entry)
        fd = self._log.create()[0]
        data = memoryview(line + b"\n")
        while data:  # O_APPEND: each write lands at the end, so a short write is carried on
            data = data[os.write(fd, data):]
        if self.fsync:
            os.fsync(fd)
        size = os.fstat(fd).st_size
        digest = line_hash(line)
        self._hashed = (line, digest)
        self.write_head(entry["seq"], digest, size)
        self._written = (entry["seq"], digest)
        self.fault = None
        if self.anchor is not None:
            self.anchor.after_append(entry["seq"], digest, size, str(entry["at"]))
        return entry

    def write_head(self, seq: int, digest: str, size: int) -> None:
        """Pin the log's end: line ``seq`` hashing to ``digest``, ``size`` bytes; one ``pwrite`` of
        the head record in place (:mod:`graphapi.security.audit_head`), or a whole new head file
        renamed into place when there is none in that form yet."""
        kept = self._head.current()
        fd = kept[0] if kept is not None and kept[1].st_size == HEAD_BYTES else None
        if not write_head_file(self.head_path, fd, seq, digest, size):
            self._head.close()

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
        """Every entry, oldest first (no verification: see :mod:`graphapi.security.audit_verify`). A
        line that is not a JSON object (a torn tail) is skipped: the verification names it."""
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return
        with fh:
            for raw in fh:
                raw = raw.rstrip(b"\n")
                if not raw:
                    continue
                try:
                    entry = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(entry, dict):
                    yield entry
