"""One file load job as its poller sees it (:class:`LoadJob`): what it loads, for whom, how far it got.

The registry that starts, runs and evicts jobs is :mod:`graphapi.ingest.load_jobs`; a job's poll
view (:meth:`LoadJob.as_dict`) is what ``GET /loads/{id}`` answers (:mod:`graphapi.ingest.http_jobs`)
and what every worker reads from its directory (:mod:`graphapi.ingest.job_status`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphapi.ingest.load_summary import LoadSummary

#: Job states, in order; ``done`` and ``failed`` are final.
JOB_STATES = ("queued", "running", "done", "failed")


def utc_stamp() -> str:
    """Now, ISO 8601 UTC to the millisecond with a ``Z`` suffix (as the audit log writes it)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class LoadJob:
    """A file load job, run in a process of its own (:mod:`graphapi.ingest.load_process`).

    ``state``: queued, running, done, failed. ``rows``/``rejected``: rows read and rejected so far
    (updated every few hundred records). ``owner``: the agency that started it and owns what it
    writes; ``created_by``: the principal's subject. Times are ISO 8601 UTC strings.
    """

    id: str
    kind: str
    owner: str = "lintas"
    created_by: str | None = None
    tlp: str = "AMBER"
    shared_with: tuple[str, ...] = ()
    dry_run: bool = False
    #: a whole-source replace (graphapi.ingest.replacement)
    replace: bool = False
    #: an FtM upload's time zone for times without an offset (None = UTC)
    tz: str | None = None
    mapping: str | None = None
    #: the source its statements are stored under, ``<name>@<owner>`` (options.load_source)
    source: str | None = None
    files: list[str] = field(default_factory=list)
    state: str = "queued"
    rows: int = 0
    rejected: int = 0
    error: str | None = None
    summary: LoadSummary | None = None
    created_at: str = field(default_factory=utc_stamp)
    started_at: str | None = None
    finished_at: str | None = None
    reject_report: Path | None = field(default=None, repr=False)
    directory: Path | None = field(default=None, repr=False)
    task: asyncio.Task | None = field(default=None, repr=False)
    #: The process the load runs in (not the API's), once started.
    worker_pid: int | None = field(default=None, repr=False)
    #: Ids of other agencies' items the load was refused (hit / no-hit), for the audit log.
    restricted_ids: list[str] = field(default_factory=list, repr=False)
    #: ``(id, owner)`` of every hit on other agencies' data reported so far, for the owners' audit:
    #: kept even when the job then fails.
    hits: list[tuple[str, str]] = field(default_factory=list, repr=False)

    @property
    def finished(self) -> bool:
        """True once the job is ``done`` or ``failed``."""
        return self.state in ("done", "failed")

    def as_dict(self) -> dict[str, Any]:
        """Poll view: ``{id, kind, state, rows, rejected, error, summary}`` (``summary`` is
        :meth:`LoadSummary.as_dict`, ``None`` until done) plus ``owner``, ``createdBy``, ``tlp``,
        ``sharedWith``, ``dryRun``, ``replace``, ``tz``, ``mapping``, ``source``, ``files``, ``createdAt``,
        ``startedAt``, ``finishedAt``."""
        return {"id": self.id, "kind": self.kind, "state": self.state, "rows": self.rows,
                "rejected": self.rejected, "error": self.error,
                "summary": self.summary.as_dict() if self.summary else None,
                "owner": self.owner, "createdBy": self.created_by, "tlp": self.tlp,
                "sharedWith": list(self.shared_with), "dryRun": self.dry_run, "replace": self.replace,
                "tz": self.tz, "mapping": self.mapping, "source": self.source,
                "files": list(self.files), "createdAt": self.created_at, "startedAt": self.started_at,
                "finishedAt": self.finished_at}
