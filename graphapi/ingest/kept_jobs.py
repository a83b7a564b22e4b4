"""The finished load jobs one agency keeps under the upload directory, on every worker sharing it.

A finished job keeps its status and reject report (raw rows, up to its upload + 64 KiB) for its
poller until it is evicted. The kept jobs were one pool per API worker, evicted oldest first: one
agency's quick uploads evicted another's job (its poll and report answered 404), and the kept reports
counted in no agency's byte cap, so one agency's all-rejected uploads could hold the disk under the
upload floor for every agency (attack round 42b, 3). Now each agency keeps at most ``keep`` finished
jobs whose reject reports hold at most ``report_bytes`` (``LINTAS_LOAD_KEPT_REPORT_BYTES_PER_AGENCY``);
past either its own oldest finished jobs go, whole (status and report): an agency's jobs evict only
its own. The count and bytes are read from the job directories, so they hold across the workers of
one data directory, whichever worker ran each job. The job just finished is always kept (its poller
reads it next), even if its report alone is larger than ``report_bytes``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from graphapi.ingest.job_status import read_status
from graphapi.ingest.load_sweep import REJECTS_FILE

__all__ = ["KeptJob", "evict_finished", "kept_jobs"]


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


def evict_finished(uploads: Path, agency: str, *, keep: int, report_bytes: int = 0, newest: str = "") -> list[str]:
    """Delete the directories of ``agency``'s oldest finished jobs past ``keep`` of them or past
    ``report_bytes`` of reject reports (0: no byte bound), never job ``newest``. Returns the ids deleted."""
    kept = [j for j in kept_jobs(uploads, agency) if j.id != newest]
    room = max(0, keep - 1) if newest else keep  # the newest takes a place
    held = sum(j.report_bytes for j in kept) + (_size(uploads / newest / REJECTS_FILE) if newest else 0)
    evicted = []
    for job in kept:
        if len(kept) - len(evicted) <= room and (not report_bytes or held <= report_bytes):
            break
        shutil.rmtree(uploads / job.id, ignore_errors=True)
        evicted.append(job.id)
        held -= job.report_bytes
    return evicted
