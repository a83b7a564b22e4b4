"""The audit log's head file: the log's end pinned in one fixed-size record, rewritten in place.

The head (``<log>.head``) names the log's last line (``seq`` and ``hash``, the SHA-256 of its
bytes) and the log's length in bytes (``size``); :mod:`graphapi.security.audit` checks the log's
tail against it before every append. It was written to a temporary file renamed over the head on
every append, and on ext4 a rename over an existing file first flushes the new file's data
(``auto_da_alloc``): 0.2 ms idle and 0.7-1.6 ms under load on every GraphQL request (issue 14).

Now the head is one record of :data:`HEAD_BYTES` bytes written with one ``pwrite`` at offset 0,
inside the file's first 512-byte sector, so the disk writes it whole. The record carries
``check``, the SHA-256 of its other fields: a record torn by a crash, or caught half-written by a
reader that does not take the log's lock (``lintas audit verify``), fails its check and is never
taken for a head. :func:`read_head` reads again a few times before it reports a torn head, so a
reader that met a write in progress gets the record once the write is done.

Heads written before (JSON without ``check``, renamed into place whole) are still read; the first
append rewrites such a head as a record, by rename, once.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from graphapi.private_files import replace_private

#: Length of a head record (JSON padded with spaces, then a newline): within one 512-byte sector.
HEAD_BYTES = 256
#: The most a head file is read for (an older head's JSON is shorter still).
HEAD_READ = 4096
#: Seconds to wait before each new read of a head that failed its check (a write in progress).
REREAD_DELAYS_S = (0.001, 0.01, 0.05, 0.2)


class TornHead(ValueError):
    """The head's bytes fail their check: torn by a crash, or read while being written."""


def _check(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


#: Head bytes already parsed and checked -> their fields: the log checks its tail twice per GraphQL
#: request and the head is the same record both times (the one this process wrote, mostly), so its
#: JSON and check were worked out again for the same bytes (issue 14). Only exact bytes hit; a few kept.
_PARSED: dict[bytes, dict[str, Any]] = {}
_PARSED_KEPT = 8


def _remember(data: bytes, head: dict[str, Any]) -> None:
    if len(_PARSED) >= _PARSED_KEPT:
        _PARSED.clear()
    _PARSED[data] = head


def head_record(seq: int, digest: str, size: int) -> bytes:
    """The :data:`HEAD_BYTES` bytes pinning line ``seq`` (hashing to ``digest``) of a log of
    ``size`` bytes."""
    fields = {"hash": digest, "seq": seq, "size": size}
    body = json.dumps({**fields, "check": _check(fields)}, sort_keys=True, separators=(",", ":")).encode()
    if len(body) >= HEAD_BYTES:
        raise ValueError(f"head record of {len(body)} bytes does not fit in {HEAD_BYTES}")
    record = body.ljust(HEAD_BYTES - 1) + b"\n"
    _remember(record, fields)  # what parse_head makes of these bytes
    return record


def parse_head(data: bytes) -> dict[str, Any]:
    """The ``{"seq", "hash", "size"}`` a head file's bytes hold (``size`` is absent in heads written
    before it was kept). Raises ValueError for bytes that are not a JSON object, and TornHead
    (a ValueError) for a record whose ``check`` does not match its fields."""
    known = _PARSED.get(data)
    if known is not None:
        return dict(known)
    head = json.loads(data)
    if not isinstance(head, dict):
        raise ValueError("head file is not a JSON object")
    if "check" in head:
        check = head.pop("check")
        if check != _check(head):
            raise TornHead("head record fails its check (torn, or read while being written)")
        _remember(bytes(data), dict(head))
    return head


def _read(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_READ)


def read_head(head_path: Path, *, reread: bool = True) -> dict[str, Any] | None:
    """The head file's ``{"seq", "hash", "size"}``; None when there is no head file.

    ``reread``: a head that does not parse or fails its check is read again after each of
    :data:`REREAD_DELAYS_S` (a writer may be rewriting it) before ValueError (TornHead for a
    failed check) is raised. Without the lock a torn head is never returned, only reported."""
    delays = REREAD_DELAYS_S if reread else ()
    for delay in (*delays, None):
        try:
            return parse_head(_read(head_path))
        except FileNotFoundError:
            return None
        except ValueError:
            if delay is None:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")


def write_head_file(head_path: Path, fd: int | None, seq: int, digest: str, size: int) -> bool:
    """Pin line ``seq`` / ``digest`` and ``size`` in the head at ``head_path``. ``fd``: the head
    file open for writing, if it is a record already (:data:`HEAD_BYTES` long): one ``pwrite``.
    Otherwise (no head yet, an older head) a whole new file is renamed into place, owner-only.
    Returns True when it wrote in place, False when it renamed (the caller's open fd is stale)."""
    record = head_record(seq, digest, size)
    if fd is not None:
        try:
            if os.pwrite(fd, record, 0) == HEAD_BYTES:
                return True
        except OSError:
            pass  # e.g. an fd open read-only on someone else's file: replace it whole, as before
    replace_private(head_path, record)
    return False
