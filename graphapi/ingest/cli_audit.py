"""Operator loads (``lintas load ofac|ftm|csv|samples``) in the audit log.

Each load of a run leaves two entries (kind ``load``, ``via: "cli"``, one ``run`` id linking them),
under the operator (``--operator``, else the OS user; no agency, no roles):

- ``load.start`` before anything is read: the files with their size and SHA-256, the options
  (loader, mapping, source, owner, tlp, sharedWith, dry run, batch size, reject report,
  exclusions, correlation limit), the OS user and host. If it cannot be written the load does not
  run (:class:`graphapi.security.audit.AuditFault`, as for a load job over HTTP).
- ``load.done`` (rows read, loaded, rejected; nodes and relationships written; start and end) or
  ``load.failed`` (the error, start and end).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphapi.ingest.load_summary import LoadSummary
from graphapi.security.audit import AuditLog
from graphapi.security.principal import Principal
from graphapi.security.timeutil import utc_now


def os_user() -> str:
    """The OS account running the command (``getpass``; the uid when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def file_digests(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """``{"path", "bytes", "sha256"}`` of each file, read in 1 MiB chunks."""
    out = []
    for path in paths:
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        out.append({"path": str(Path(path).resolve()), "bytes": size, "sha256": digest.hexdigest()})
    return out


@dataclass(frozen=True)
class Run:
    """One load being audited: its ``run`` id, who, and when it started."""

    run: str
    principal: Principal
    started: str


class CliLoadAudit:
    """Writes the entries of the module docstring to ``log``."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log

    def start(self, options: dict[str, Any], dry_run: bool) -> Run:
        """Record ``load.start`` for a load with ``options`` (the CLI's job options: ``files``,
        ``operator``, ``loader``, ...). Raises AuditFault when the log cannot be written."""
        run = Run(uuid.uuid4().hex, Principal(subject=options.get("operator") or os_user()), utc_now("milliseconds"))
        self.log.record(run.principal, "load.start", {
            "via": "cli", "run": run.run, "osUser": os_user(), "host": socket.gethostname(),
            "loader": options.get("loader"), "mapping": options.get("mapping"), "source": options.get("source"),
            "files": file_digests(options.get("files") or ()),
            "owner": options.get("owner"), "tlp": options.get("tlp"),
            "sharedWith": list(options.get("shared_with") or ()), "dryRun": dry_run,
            "batchSize": options.get("batch_size"),
            "rejects": str(options["rejects"]) if options.get("rejects") else None,
            "exclusions": [str(p) for p in options.get("exclusions") or ()],
            "correlationLimit": options.get("limit"), "replace": bool(options.get("replace")),
        }, None, kind="load")
        return run

    def done(self, run: Run, summary: LoadSummary) -> None:
        """Record ``load.done`` with the summary's counts."""
        self.log.record(run.principal, "load.done", {
            "via": "cli", "run": run.run, "startedAt": run.started, "endedAt": utc_now("milliseconds"),
            "rowsRead": summary.rows_read, "rowsLoaded": summary.rows_loaded, "rowsRejected": summary.rows_rejected,
            "nodesWritten": summary.nodes_written, "relationshipsWritten": summary.relationships_written,
            "dryRun": summary.dry_run, "rejectReport": str(summary.reject_report),
            # what a DEL or a --replace took back (zero for a plain load)
            "nodesDeleted": summary.nodes_deleted, "relationshipsDeleted": summary.relationships_deleted,
            "nodesRetracted": summary.nodes_retracted, "relationshipsRetracted": summary.relationships_retracted,
            "statementsRetracted": summary.statements_retracted, "valuesRetracted": summary.values_retracted,
            "replaceSkipped": summary.replace_skipped,
        }, summary.rows_loaded, kind="load", outcome="ok" if summary.rows_loaded or not summary.rows_read else "error")

    def failed(self, run: Run, error: BaseException) -> None:
        """Record ``load.failed`` with the error's type and message (cut to 500 characters)."""
        self.log.record(run.principal, "load.failed", {
            "via": "cli", "run": run.run, "startedAt": run.started, "endedAt": utc_now("milliseconds"),
            "error": f"{type(error).__name__}: {str(error)[:500]}",
        }, None, kind="load", outcome="error")
