"""The finished load jobs one agency keeps under the upload directory, on every worker sharing it.

A finished job keeps its status and reject report (raw rows, up to its upload + 64 KiB) for its
poller until it is evicted. The kept jobs were one pool per API worker, evicted oldest first: one
agency's quick uploads evicted another's job (its poll and report answered 404), and the kept reports
counted in no agency's byte cap, so one agency's all-rejected uploads could hold the disk under the
upload floor for every agency (attack round 42b, 3). Now each agency keeps at most ``keep`` finished
jobs whose reject reports hold at most ``report_bytes`` (``LINTAS_LOAD_KEPT_REPORT_BYTES_PER_AGENCY``);
past either its own oldest finished jobs go, whole (status and report): an agency's jobs evict only
its own. The count and bytes are read from the agencies' index of jobs on disk
(:mod:`graphapi.ingest.job_index`, no job's status), so they hold across the workers of one data
directory, whichever worker ran each job, and across restarts (:mod:`graphapi.ingest.load_sweep` leaves
finished jobs whole).

Every finished job is kept at least ``grace_s`` (:data:`KEPT_GRACE_S`, ``LINTAS_LOAD_KEPT_GRACE_S``)
after it ended, whatever the caps, so that its poller reads its status and report: sparing only the
job that just ended let the agency's next job, ended a moment later, evict it unread (attack round
43a, 5). So the jobs an agency ended within the grace may hold more than ``keep`` jobs or
``report_bytes``: at most what it uploaded and loaded in that time, and only until that grace is
over: :func:`evict_every_agency` runs when any agency's job ends or upload starts, at a start, and a
grace (at most two) after a worker's last job ended (it
ran for the ended job's agency only, so a burst kept in the grace stayed past the cap for good once that
agency stopped uploading: attack round 44b, 1).
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from graphapi.ingest import job_index
from graphapi.ingest.job_index import agency_key
from graphapi.ingest.load_sweep import ABANDONED
from graphapi.security.timeutil import utc_now

__all__ = ["KEPT_GRACE_S", "REPORT_GONE", "KeptJob", "evict_every_agency", "evict_finished", "grace_cutoff",
           "kept_jobs", "report_gone"]

#: Seconds every finished job is kept after it ended, past the caps: its poller's time to read it.
KEPT_GRACE_S = 600.0
#: Why a job's reject report reads 410 ``GONE`` (format with the job id): never an empty report.
REPORT_GONE = ("the reject report of load job {!r} is no longer kept (deleted when the API worker running the "
               "job stopped, or evicted with its agency's oldest finished jobs); load the file again with "
               "dryRun=true to read its rejects")


#: A finished job of an agency on disk: its id, when it finished, its reject report's bytes.
KeptJob = job_index.Entry


def kept_jobs(uploads: Path, agency: str) -> list[KeptJob]:
    """``agency``'s finished jobs under ``uploads`` (any worker's; abandoned ones too), oldest finished
    first: read from its index (:mod:`graphapi.ingest.job_index`), no job's status."""
    return _finished(uploads, agency_key(agency))


def _finished(uploads: Path, key: str) -> list[KeptJob]:
    kept = [e for e in job_index.entries(uploads, key) if e.finished_at is not None]
    kept.sort(key=lambda j: (j.finished_at, j.id))  # ISO 8601 UTC: ordered as text
    return kept


def grace_cutoff(now: str, grace_s: float) -> str:
    """The end time (ISO 8601 UTC, milliseconds, ``Z``) before which a job ended ``grace_s`` before
    ``now`` (the same form); jobs that ended at or after it are in their grace."""
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(seconds=grace_s)
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def evict_finished(uploads: Path, agency: str, *, keep: int, report_bytes: int = 0, newest: str = "",
                   grace_s: float = KEPT_GRACE_S, now: str | None = None) -> list[str]:
    """Delete the directories of ``agency``'s oldest finished jobs past ``keep`` of them or past
    ``report_bytes`` of reject reports (0: no byte bound), never job ``newest`` nor a job that ended
    less than ``grace_s`` before ``now`` (default: when ``newest`` ended, else now). Returns the ids deleted."""
    return _evict(uploads, agency_key(agency), keep=keep, report_bytes=report_bytes, newest=newest,
                  grace_s=grace_s, now=now)


def evict_every_agency(uploads: Path, *, keep: int, report_bytes: int = 0, grace_s: float = KEPT_GRACE_S,
                       now: str | None = None, newest: tuple[str, str] | None = None) -> list[str]:
    """:func:`evict_finished` for every agency with a job under ``uploads``, at ``now`` (default now):
    an agency whose jobs held it past its caps in their grace is brought back under them once the
    grace is over, whoever's job ends or upload starts next (attack round 44b, 1). ``newest``:
    ``(agency, job id)`` of the job that just ended, never evicted. Returns the ids deleted."""
    spared = agency_key(newest[0]) if newest else None
    evicted = []
    for key in job_index.agency_keys(uploads):
        evicted += _evict(uploads, key, keep=keep, report_bytes=report_bytes, grace_s=grace_s, now=now,
                          newest=newest[1] if newest and key == spared else "")
    return evicted


def _evict(uploads: Path, key: str, *, keep: int, report_bytes: int, newest: str, grace_s: float,
           now: str | None) -> list[str]:
    finished = _finished(uploads, key)
    ended = next((j for j in finished if j.id == newest), None)
    kept = [j for j in finished if j.id != newest]
    room = max(0, keep - 1) if newest else keep  # the newest takes a place
    held = sum(j.report_bytes for j in finished)
    if len(kept) <= room and (not report_bytes or held <= report_bytes):
        return []  # the common case: under both caps
    # by default counted to the end of the job evicting (eviction runs as it ends): the clock of finishedAt
    try:
        cutoff = grace_cutoff(now or (ended.finished_at if ended else "") or utc_now("milliseconds"), grace_s)
    except ValueError:  # no time (a status not of this version): now
        cutoff = grace_cutoff(utc_now("milliseconds"), grace_s)
    evicted = []
    for job in kept:
        if len(kept) - len(evicted) <= room and (not report_bytes or held <= report_bytes):
            break
        if job.finished_at >= cutoff:  # this one and every later one are in their grace
            break
        shutil.rmtree(uploads / job.id, ignore_errors=True)
        job_index.remove(uploads, key, job)
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
