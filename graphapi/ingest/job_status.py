"""A load job's status on disk, so that every API worker answers for every job.

``lintas serve --workers N`` runs N processes, each with its own :class:`~graphapi.ingest.load_jobs.LoadJobs`;
a client's polls reach whichever worker takes the connection, and a job kept only in the memory of
the worker that started it answered 404 from the others (new-user trial 6). The worker running a job
writes its poll view to ``<uploads>/<job id>/job.json`` (replaced whole, never half-written) when
it starts, as it progresses (at most every :data:`EVERY_S`) and when it ends; another worker reads
it there. The owning worker still evicts the directory (status included) with the job.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from graphapi.private_files import replace_private

#: In each upload directory: the job's poll view (``LoadJob.as_dict()``).
STATUS_FILE = "job.json"
#: Least seconds between two progress writes of one job (its start and end are always written).
EVERY_S = 0.5
#: A job id as :meth:`LoadJobs.new_id` makes them: never a path of its own (``..``).
JOB_ID = re.compile(r"[0-9a-f]{32}")


def write_status(directory: Path, view: dict[str, Any]) -> None:
    """Replace ``directory``'s status file with ``view`` (write a temporary file, then rename it:
    a reader sees the old status or the new one, never part of one)."""
    replace_private(directory / STATUS_FILE, json.dumps(view, default=str))


def read_status(uploads: Path, job_id: str) -> dict[str, Any] | None:
    """The stored poll view of job ``job_id``, or None (no such job, not a job id, unreadable)."""
    if not JOB_ID.fullmatch(job_id):
        return None
    try:
        view = json.loads((uploads / job_id / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return view if isinstance(view, dict) and view.get("id") == job_id else None


class StatusWriter:
    """Writes one job's status: at once for a change of state, at most every :data:`EVERY_S` for
    progress (``progress=True``). A write that fails is left to the next one: the job goes on."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._last = 0.0

    def __call__(self, view: dict[str, Any], *, progress: bool = False) -> None:
        now = time.monotonic()
        if progress and now - self._last < EVERY_S:
            return
        self._last = now
        try:
            write_status(self.directory, view)
        except OSError:
            pass  # the directory went (evicted, swept): nobody polls it any more
