"""External anchors of the audit chain: checkpoints of the head shipped where the log is not.

The head file sits beside the log, so someone who can rewrite the log can rewrite its head too.
A checkpoint ``{"at", "hash", "log", "seq", "size"}`` (the line ``seq`` hashes to ``hash``; the
log was ``size`` bytes then) is written, after an append, every ``LINTAS_AUDIT_ANCHOR_EVERY``
entries (``seq`` a multiple of it) and at the first append ``LINTAS_AUDIT_ANCHOR_INTERVAL_S``
seconds after this process's last checkpoint, to any of:

- ``LINTAS_AUDIT_ANCHOR_FILE``: a JSON-lines file the operator puts on other storage (another
  disk, a mount only the audit host may append to);
- ``LINTAS_AUDIT_ANCHOR_SYSLOG``: syslog through :class:`logging.handlers.SysLogHandler`
  (``/dev/log``, or ``host:port`` over UDP), as ``lintas-audit-anchor {json}``;

each checkpoint signed with HMAC-SHA256 (``"hmac"``) when ``LINTAS_AUDIT_ANCHOR_KEY`` is set, so
an anchor file's lines cannot be forged without the key. :func:`verify_anchor` (``lintas audit
verify --anchor FILE``) checks every checkpoint against the log: a log rewritten, truncated or
re-chained since a checkpoint no longer holds that checkpoint's line. Syslog lines saved to a
file can be given as ``--anchor`` too (the JSON after the tag is read).

A checkpoint that cannot be written is logged at ERROR; it never fails the append.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import logging.handlers
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphapi.private_files import open_private

log = logging.getLogger("graphapi.security.audit")

TAG = "lintas-audit-anchor"


def _body(checkpoint: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in checkpoint.items() if k != "hmac"}
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":")).encode()


def sign(checkpoint: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 (hex) of the checkpoint's canonical JSON without its ``hmac``."""
    return hmac.new(key, _body(checkpoint), hashlib.sha256).hexdigest()


def _syslog_address(value: str) -> str | tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if sep and not value.startswith("/") and port.isdigit():
        return host, int(port)
    return value


class Anchors:
    """Ships checkpoints after appends (see the module docstring); :class:`AuditLog` calls
    :meth:`after_append` under the log's lock. ``clock``: seconds, monotonic (tests pass their own)."""

    def __init__(
        self,
        log_name: str,
        *,
        file: Path | None = None,
        syslog: str | None = None,
        key: bytes | None = None,
        every: int = 1000,
        interval_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log_name = log_name
        self.file = Path(file) if file else None
        self.syslog = syslog
        self.key = key
        self.every = every
        self.interval_s = interval_s
        self.clock = clock
        self._last: float | None = None
        self._handler: logging.Handler | None = None

    def due(self, seq: int) -> bool:
        """True if line ``seq`` is checkpointed: every ``every`` lines, or ``interval_s`` elapsed."""
        if self.every and seq % self.every == 0:
            return True
        return bool(self.interval_s) and (self._last is None or self.clock() - self._last >= self.interval_s)

    def checkpoint(self, seq: int, hash_: str, size: int, at: str) -> dict[str, Any]:
        """The checkpoint of line ``seq`` (signed when a key is set)."""
        out: dict[str, Any] = {"at": at, "hash": hash_, "log": self.log_name, "seq": seq, "size": size}
        if self.key:
            out["hmac"] = sign(out, self.key)
        return out

    def after_append(self, seq: int, hash_: str, size: int, at: str) -> None:
        """Write the checkpoint of line ``seq`` if it is due; failures are logged, not raised."""
        if not self.due(seq):
            return
        self._last = self.clock()
        text = json.dumps(self.checkpoint(seq, hash_, size, at), sort_keys=True, separators=(",", ":"))
        if self.file is not None:
            try:
                with open_private(self.file, "a", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            except OSError as exc:
                log.error("audit anchor file %s not written (line %s): %s", self.file, seq, exc)
        if self.syslog:
            try:
                if self._handler is None:
                    self._handler = logging.handlers.SysLogHandler(address=_syslog_address(self.syslog))
                self._handler.emit(logging.makeLogRecord(
                    {"msg": f"{TAG} {text}", "levelno": logging.INFO, "levelname": "INFO", "name": "lintas.audit"}))
            except OSError as exc:
                log.error("audit anchor not sent to syslog %s (line %s): %s", self.syslog, seq, exc)


def anchors_from_settings(settings: Any, log_name: str) -> Anchors | None:
    """The :class:`Anchors` the settings ask for, or None when no anchor is configured."""
    if not (settings.audit_anchor_file or settings.audit_anchor_syslog):
        return None
    key = settings.audit_anchor_key.get_secret_value().encode() if settings.audit_anchor_key else None
    return Anchors(log_name, file=settings.audit_anchor_file, syslog=settings.audit_anchor_syslog, key=key,
                   every=settings.audit_anchor_every, interval_s=settings.audit_anchor_interval_s)


@dataclass(frozen=True)
class AnchorCheck:
    """Result of :func:`verify_anchor`: ``ok``, checkpoints checked, the first problem."""

    ok: bool
    checkpoints: int
    problem: str | None = None


def _checkpoints(anchor: Path) -> list[tuple[int, dict[str, Any] | None]]:
    """``(line number, checkpoint or None when unreadable)`` for each anchor line that holds one:
    a JSON object, or a syslog line with the tag followed by one."""
    out: list[tuple[int, dict[str, Any] | None]] = []
    for number, line in enumerate(anchor.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        text = line.strip()
        if TAG in text:
            text = text.split(TAG, 1)[1].strip()
        elif not text.startswith("{"):
            continue
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        ok = isinstance(value, dict) and isinstance(value.get("seq"), int) and isinstance(value.get("hash"), str)
        out.append((number, value if ok else None))
    return out


def _line_hashes(log_path: Path, wanted: set[int]) -> tuple[dict[int, str], int]:
    found: dict[int, str] = {}
    lines = 0
    with open(log_path, "rb") as fh:
        for lines, raw in enumerate(fh, start=1):
            if lines in wanted:
                found[lines] = hashlib.sha256(raw.rstrip(b"\n")).hexdigest()
    return found, lines


def verify_anchor(log_path: Path, anchor: Path, key: bytes | None = None) -> AnchorCheck:
    """Check every checkpoint in ``anchor`` against the log at ``log_path``: its line ``seq`` must
    exist and hash to the checkpoint's hash; with ``key`` every checkpoint must carry a valid
    HMAC. The log's own chain is :func:`graphapi.security.audit.verify_log`'s job."""
    points = _checkpoints(anchor)
    for number, point in points:
        if point is None:
            return AnchorCheck(False, 0, f"anchor line {number} is not a checkpoint")
        if key is not None and not hmac.compare_digest(str(point.get("hmac", "")), sign(point, key)):
            return AnchorCheck(False, 0, f"anchor line {number}: the signature does not match (forged, or another key)")
    if not points:
        return AnchorCheck(False, 0, "the anchor file holds no checkpoint")
    try:
        hashes, lines = _line_hashes(log_path, {p["seq"] for _, p in points if p})
    except FileNotFoundError:
        hashes, lines = {}, 0
    for number, point in points:
        assert point is not None
        seq, at = point["seq"], point.get("at", "?")
        if seq > lines:
            return AnchorCheck(False, len(points), f"the anchor pins line {seq} (at {at}, anchor line {number}) "
                                                   f"but the log has only {lines} lines (lines removed)")
        if hashes.get(seq) != point["hash"]:
            return AnchorCheck(False, len(points), f"log line {seq} is not the line the anchor pinned at {at} "
                                                   f"(anchor line {number}): the log was rewritten")
    return AnchorCheck(True, len(points))
