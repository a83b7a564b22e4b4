"""The finished load jobs one agency keeps under the upload directory, on every worker sharing it.

A finished job keeps its status and reject report (raw rows, up to its upload + 64 KiB) for its
poller until it is evicted. The kept jobs were one pool per API worker, evicted oldest first: one
agency's quick uploads evicted another's job (its poll and report answered 404), and the kept reports
counted in no agency's byte cap, so one agency's all-rejected uploads could hold the disk under the
upload floor for every agency (attack round 42b, 3). Now each agency keeps at most ``keep`` finished
jobs whose reject reports hold at most ``report_bytes`` (``LINTAS_LOAD_KEPT_REPORT_BYTES_PER_AGENCY``);
past either its own oldest finished jobs go, whole (status and report): an agency's jobs evict only
its own. The count and bytes are read from the job directories, so they hold across the workers of
one data directory, whichever worker ran each job, and across restarts (:mod:`graphapi.ingest.load_sweep`
leaves finished jobs whole).

Every finished job is kept at least ``grace_s`` (:data:`KEPT_GRACE_S`, ``LINTAS_LOAD_KEPT_GRACE_S``)
after it ended, whatever the caps, so that its poller reads its status and report: sparing only the
job that just ended let the agency's next job, ended a moment later, evict it unread (attack round
43a, 5). So the jobs an agency ended within the grace may hold more than ``keep`` jobs or
``report_bytes``: at most what it uploaded and loaded in that time.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from graphapi.ingest.job_status import read_status
from graphapi.ingest.load_sweep import ABANDONED, REJECTS_FILE
from graphapi.security.timeutil import utc_now

__all__ = ["KEPT_GRACE_S", "REPORT_GONE", "KeptJob", "evict_finished", "grace_cutoff", "kept_jobs", "report_gone"]

#: Seconds every finished job is kept after it ended, past the caps: its poller's time to read it.
KEPT_GRACE_S = 600.0
#: Why a job's reject report reads 410 ``GONE`` (format with the job id): never an empty report.
REPORT_GONE = ("the reject report of load job {!r} is no longer kept (deleted when the API worker running the "
               "job stopped, or evicted with its agency's oldest finished jobs); load the file again with "
               "dryRun=true to read its rejects")


@dataclass(frozen=True)
class KeptJob:
    """A finished job of an agency on disk: its id, when it finished, its reject report's bytes."""

    id: str
    finished_at: str
    report_bytes: int


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # no report, or evicted meanwhile


def kept_jobs(uploads: Path, agency: str) -> list[KeptJob]:
    """``agency``'s finished jobs under ``uploads`` (any worker's; abandoned ones too), oldest finished first."""
    if not uploads.is_dir():
        return []
    kept = []
    for directory in uploads.iterdir():
        view = read_status(uploads, directory.name)
        if view is None or view.get("owner") != agency or view.get("state") not in ("done", "failed"):
            continue
        kept.append(KeptJob(directory.name, str(view.get("finishedAt") or ""), _size(directory / REJECTS_FILE)))
    kept.sort(key=lambda j: (j.finished_at, j.id))  # ISO 8601 UTC: ordered as text
    return kept


def grace_cutoff(now: str, grace_s: float) -> str:
    """The end time (ISO 8601 UTC, milliseconds, ``Z``) before which a job ended ``grace_s`` before
    ``now`` (the same form); jobs that ended at or after it are in their grace."""
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(seconds=grace_s)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def evict_finished(uploads: Path, agency: str, *, keep: int, report_bytes: int = 0, newest: str = "",
                   grace_s: float = KEPT_GRACE_S) -> list[str]:
    """Delete the directories of ``agency``'s oldest finished jobs past ``keep`` of them or past
    ``report_bytes`` of reject reports (0: no byte bound), never job ``newest`` nor a job that ended
    less than ``grace_s`` before ``newest`` did (before now without ``newest``). Returns the ids deleted."""
    kept = [j for j in kept_jobs(uploads, agency) if j.id != newest]
    room = max(0, keep - 1) if newest else keep  # the newest takes a place
    held = sum(j.report_bytes for j in kept) + (_size(uploads / newest / REJECTS_FILE) if newest else 0)
    ended = read_status(uploads, newest) if newest else None
    # counted to the end of the job evicting (eviction runs as it ends): the same clock as finishedAt
    try:
        cutoff = grace_cutoff(str((ended or {}).get("finishedAt") or utc_now("milliseconds")), grace_s)
    except ValueError:  # no time (a status not of this version): now
        cutoff = grace_cutoff(utc_now("milliseconds"), grace_s)
    evicted = []
    for job in kept:
        if len(kept) - len(evicted) <= room and (not report_bytes or held <= report_bytes):
            break
        if job.finished_at >= cutoff:  # this one and every later one are in their grace
            break
        shutil.rmtree(uploads / job.id, ignore_errors=True)
        evicted.append(job.id)
        held -= job.report_bytes
    return evicted


def report_gone(view: dict) -> bool:
    """Whether job ``view`` (its status), its reject report not on disk, had one: it rejected rows,
    or was abandoned (its report deleted with its upload). Else there was none to keep (not run yet,
    or no row rejected) and an empty report is the truth (attack round 43a, 4: a report swept at a
    restart read as an empty one)."""
    summary = view.get("summary")
    rejected = summary.get("rows_rejected") if isinstance(summary, dict) else None
    return view.get("error") == ABANDONED or bool(rejected or view.get("rejected"))
