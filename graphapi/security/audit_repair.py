"""``lintas audit repair``: quarantine a torn tail of the audit log so the chain verifies again.

A process killed mid-write (or a full disk) can leave a partial last line; the head still pins
the line before it, so the server refuses to append (:class:`graphapi.security.audit.AuditFault`)
until an operator looks. :func:`repair_log` keeps the log up to the line its head pins, provided
that prefix verifies as a chain and ends in the pinned hash, and moves every byte after it to a
side file ``<log>.quarantine-<UTC stamp>`` with a record beside it (``.json``: when, who, offset,
bytes, sha256, whole lines and whether the tail was torn). The repair is then appended to the
log itself (kind ``audit``, operation ``audit.repair``), chained like any entry.

Whole lines after the pinned one are quarantined too: a line written just before a crash, before
its head was updated, looks exactly like a forged one, so neither is trusted; the record keeps
them for review. A log SHORTER than its head (lines removed) or broken inside the pinned prefix
is not a torn tail: the repair refuses and changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphapi.private_files import write_private
from graphapi.security.audit import GENESIS, AuditLog
from graphapi.security.audit_head import read_head
from graphapi.security.audit_verify import Verification, walk
from graphapi.security.timeutil import utc_now


class RepairRefused(Exception):
    """The log's problem is not a torn tail after the pinned line; nothing was changed."""


@dataclass(frozen=True)
class Repair:
    """What :func:`repair_log` did: ``lines`` kept; the quarantined tail's side file and record
    (None when there was nothing to quarantine); the ``entry`` logging the repair."""

    lines: int
    side_file: Path | None
    record: dict[str, Any] | None
    entry: dict[str, Any] | None


def _pinned_prefix(data: bytes, head: dict[str, Any]) -> int:
    """Byte length of the log up to and including the line ``head`` pins, checking the chain on
    the way. Raises RepairRefused when the chain breaks first or the pinned line is not there."""
    seq, pinned = head.get("seq"), head.get("hash")
    if not isinstance(seq, int) or seq < 0:
        raise RepairRefused("the head file is malformed")
    fh = io.BytesIO(data)
    walked = walk(fh, 0, GENESIS, final=False, until=seq)
    if isinstance(walked, Verification):
        if walked.problem == "not valid JSON":
            raise RepairRefused(f"line {walked.line} is not valid JSON but lies before the pinned line {seq}")
        raise RepairRefused(f"the chain breaks at line {walked.line}, before the pinned line {seq}")
    count, prev = walked
    if count < seq:
        raise RepairRefused(f"the log ends before line {count + 1}, but its head pins line {seq} (lines removed)")
    if seq and prev != pinned:
        raise RepairRefused(f"line {seq} does not hash to the head's hash (edited)")
    return fh.tell()


def _chain_end(data: bytes) -> dict[str, Any]:
    """The head of a log whose every whole line verifies as a chain: its last whole line (a
    partial line after it is a torn tail). Raises RepairRefused when a whole line breaks it."""
    walked = walk(io.BytesIO(data), 0, GENESIS, final=False)
    if isinstance(walked, Verification):
        if walked.problem == "not valid JSON":
            raise RepairRefused(f"line {walked.line} is not valid JSON: the chain does not verify, no head to rebuild")
        raise RepairRefused(f"the chain breaks at line {walked.line}: no head to rebuild")
    seq, prev = walked
    return {"seq": seq, "hash": prev}


def repair_log(log: AuditLog, operator: str, *, rebuild_head: bool = False) -> Repair:
    """Quarantine what follows the pinned line of ``log`` (see the module docstring), on behalf of
    ``operator`` (an OS user or a name). Raises RepairRefused, changing nothing, when the log is
    not a pinned prefix plus a tail, and OSError when files cannot be written.

    ``rebuild_head``: a head that cannot be read (garbled, torn by a crash) is rebuilt from the
    log, pinning its last whole line, when every whole line verifies as a chain; the repair's
    record says so. The chain cannot show lines removed from its end, so the operator compares
    the rebuilt head with the external anchor (attack round 17, L1: nothing could repair it)."""
    with log._locked():
        try:
            data = log.path.read_bytes()
        except FileNotFoundError:
            data = b""
        rebuilt = False
        try:
            head = read_head(log.head_path)
        except ValueError as exc:
            if not rebuild_head:
                raise RepairRefused(f"the head file is unreadable ({exc}); if the log's chain verifies, `lintas "
                                    "audit repair --rebuild-head` pins its last line (compare it with the audit "
                                    "anchor: the chain cannot show lines removed from its end)") from None
            head, rebuilt = _chain_end(data), True
        if head is None:
            if data:
                raise RepairRefused("the head file is missing: no pinned line to repair back to")
            return Repair(0, None, None, None)
        cut = _pinned_prefix(data, head)
        tail = data[cut:]
        if rebuilt:
            return _quarantine_and_log(log, operator, head, cut, tail, rebuilt=True)
        if not tail:
            if head.get("size") != cut:  # a head from before sizes were kept: pin the size now
                log.write_head(head["seq"], head["hash"], cut)
            return Repair(head["seq"], None, None, None)
        return _quarantine_and_log(log, operator, head, cut, tail)


def _quarantine_and_log(log: AuditLog, operator: str, head: dict[str, Any], cut: int, tail: bytes, *,
                        rebuilt: bool = False) -> Repair:
    """Move ``tail`` (the bytes after offset ``cut``, if any) to a side file with its record, pin
    ``head`` at ``cut`` and log the repair (``rebuilt``: the head was rebuilt from the chain)."""
    whole, side = tail.count(b"\n"), None
    record: dict[str, Any] = {
        "at": utc_now("milliseconds"), "operator": operator, "log": log.path.name,
        "keptLines": head["seq"], "offset": cut, "bytes": len(tail),
        "sha256": hashlib.sha256(tail).hexdigest(), "wholeLines": whole,
        "torn": bool(tail) and not tail.endswith(b"\n"), "sideFile": None,
        **({"headRebuilt": True} if rebuilt else {}),
    }
    if tail:
        stamp = utc_now("microseconds").replace(":", "").replace("-", "")
        side = log.path.with_name(f"{log.path.name}.quarantine-{stamp}")
        record["sideFile"] = side.name
        write_private(side, tail)
        write_private(side.with_name(side.name + ".json"), json.dumps(record, indent=2, sort_keys=True) + "\n")
        with open(log.path, "r+b") as fh:
            fh.truncate(cut)
            fh.flush()
            os.fsync(fh.fileno())
    log.write_head(head["seq"], head["hash"], cut)
    entry = log.append_locked({
        "subject": operator, "agency": None, "roles": [], "kind": "audit", "operation": "audit.repair",
        "arguments": record, "resultSize": whole, "outcome": "ok", "requestId": None,
    })
    return Repair(head["seq"], side, record, entry)
