"""The upload directories of load jobs whose API worker is gone (killed, restarted): swept at start.

A job's directory names the worker running it (:data:`OWNER_FILE`) and who started it
(:data:`STARTER_FILE`). A later start audits the end of each job a gone worker left unended, keeps
its status a day as ``failed`` (abandoned) for its poller, and deletes its files and reject report
(raw rows) at once. A job its worker had ended is left whole, status and reject report, with its
agency's finished jobs until they evict it (:mod:`graphapi.ingest.kept_jobs`): the sweep deleted
its report too, and a restart turned a kept report into none (attack round 43a, 4).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from graphapi.ingest.job_status import STATUS_FILE, read_status, write_status
from graphapi.ingest.worker_identity import worker_alive, worker_identity
from graphapi.security.audit import AuditSink
from graphapi.security.principal import Principal
from graphapi.security.timeutil import utc_now

__all__ = ["ABANDONED", "ABANDONED_KEPT_S", "OWNER_FILE", "REJECTS_FILE", "STARTER_FILE", "claim",
           "sweep_orphaned_uploads"]

log = logging.getLogger("graphapi.ingest")

#: Under ``uploads``: the jobs indexed by agency (:mod:`graphapi.ingest.job_index`), never a job's directory.
INDEX_DIR = ".agencies"

#: In each upload directory: the API worker whose job it is (:func:`worker_identity`: pid, start time, boot).
OWNER_FILE = "worker.pid"
#: In each upload directory: the job's reject report (raw rows: loader and admin only).
REJECTS_FILE = "rejects.jsonl"
#: In each upload directory: who started the job (``{"subject", "agency"}``), for its end in the audit log.
STARTER_FILE = "started-by.json"
#: How long the status of a job whose worker is gone stays pollable (then its directory goes).
ABANDONED_KEPT_S = 24 * 3600.0
#: The end an abandoned job is audited with, and what its starter should do.
ABANDONED = ("abandoned: the API worker running it stopped (killed or restarted) before it ended; what it wrote "
             "stays; upload the file again (a rerun converges)")


def sweep_orphaned_uploads(uploads: Path, audit: AuditSink | None = None) -> list[str]:
    """Delete the upload directories (uploaded files and reject reports, raw rows included) of
    jobs whose API worker is gone (restarted, killed) before they ended: nobody can finish them any
    more. A job that had ended stays whole, its agency's to evict.
    Directories of live workers are left alone (``lintas serve --workers N`` share ``uploads``),
    told by more than their pid (:func:`worker_alive`): a restart that got the dead worker's pid, as
    a container's PID 1 does, still sweeps its jobs (attack round 38b, 8).
    Each such job's end goes to ``audit`` as ``load.failed`` (:data:`ABANDONED`), under the
    principal that started it: a kill left a ``load.start`` with no end (new-user trial 6).
    Returns the job ids removed."""
    removed: list[str] = []
    if not uploads.is_dir():
        return removed
    for directory in uploads.iterdir():
        if directory.name == INDEX_DIR:  # the jobs' index by agency, no job's (job_index)
            continue
        try:
            worker = (directory / OWNER_FILE).read_text()
        except (OSError, ValueError):
            worker = ""  # no owner recorded (older layout) or unreadable: orphaned
        if worker_alive(worker):
            continue
        if audit is not None and (directory / STARTER_FILE).exists():  # no end audited yet
            _audit_abandoned(audit, directory)
        if _keep_as_finished(directory):
            continue
        if _keep_as_abandoned(directory):
            continue
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory.name)
    if removed:
        log.warning("%d load job(s) abandoned by a worker that is gone: %s (%s)", len(removed),
                    ", ".join(sorted(removed)), ABANDONED)
    return removed


def _keep_as_finished(directory: Path) -> bool:
    """Leave a job its worker ended (``done``/``failed``, not abandoned) as its agency's kept jobs
    hold it: its status and reject report, nothing else (an upload left by a kill just after the
    end). True if it was such a job."""
    view = read_status(directory.parent, directory.name)
    if view is None or view.get("state") not in ("done", "failed") or view.get("error") == ABANDONED:
        return False
    _delete_all_but(directory, {STATUS_FILE, REJECTS_FILE})
    return True


def _delete_all_but(directory: Path, kept: set[str]) -> None:
    for part in directory.iterdir():
        if part.name not in kept:
            shutil.rmtree(part, ignore_errors=True) if part.is_dir() else part.unlink(missing_ok=True)


def _keep_as_abandoned(directory: Path) -> bool:
    """Leave of a gone worker's job only its status, ended ``failed`` as abandoned if it had not
    ended, so its poller reads why rather than 404 (attack round 20, B6), for :data:`ABANDONED_KEPT_S`;
    the files and reject report (raw rows) go. True if the status was kept."""
    view = read_status(directory.parent, directory.name)
    if view is None:
        return False
    if view.get("state") not in ("done", "failed"):
        view.update(state="failed", error=ABANDONED, finishedAt=view.get("finishedAt") or utc_now("milliseconds"))
    if str(view["finishedAt"]) < utc_now("milliseconds", plus_s=-ABANDONED_KEPT_S):  # ISO 8601 UTC: compared as text
        return False
    _delete_all_but(directory, {STATUS_FILE})
    write_status(directory, view)
    return True


def _audit_abandoned(audit: AuditSink, directory: Path) -> None:
    try:
        starter = json.loads((directory / STARTER_FILE).read_text(encoding="utf-8"))
        principal = Principal(str(starter["subject"]), agency=starter.get("agency"))
    except (OSError, ValueError, KeyError, TypeError):
        principal = None  # unreadable: the end is still told
    try:
        audit.record(principal, "load.failed", {"job": directory.name[:64], "error": ABANDONED}, None,
                     kind="load", outcome="error")
    except OSError:
        log.exception("audit write failed for abandoned load job %s", directory.name)


def claim(directory: Path) -> None:
    """Record in ``directory`` that this worker runs its job, so a later start can sweep it."""
    (directory / OWNER_FILE).write_text(worker_identity())
