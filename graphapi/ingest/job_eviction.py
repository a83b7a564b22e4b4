"""How a worker's load jobs leave it: each agency's oldest finished jobs past what it keeps go, once
out of their grace (:class:`JobEviction`, the eviction half of
:class:`~graphapi.ingest.load_jobs.LoadJobs`).

As a job ends, it is indexed as ended and every agency's kept jobs are evicted past its caps from
the on-disk index (:mod:`graphapi.ingest.kept_jobs`, :mod:`graphapi.ingest.job_index`), off the
event loop; a pass two graces later evicts what the grace kept, even if no job ends after it. A
job another worker evicted is forgotten here too.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from graphapi.ingest import job_index
from graphapi.ingest.job_status import STATUS_FILE
from graphapi.ingest.kept_jobs import evict_every_agency, grace_cutoff
from graphapi.ingest.load_job import LoadJob, utc_stamp

log = logging.getLogger("graphapi.ingest")


class JobEviction:
    """Evicting a worker's finished load jobs: a base of :class:`~graphapi.ingest.load_jobs.LoadJobs`,
    whose ``__init__`` sets what it reads (``keep``, ``grace_s``, ``settings``, ``uploads``, the jobs, the
    eviction timer and its state)."""

    _jobs: dict[str, LoadJob]
    keep: int
    grace_s: float
    settings: Any
    uploads: Path | None
    sleep: Callable[[float], Awaitable[Any]]
    _later: asyncio.Task | None
    _ended_since: bool
    _unindexed: dict[str, LoadJob]
    _closed: bool

    def _evicted_elsewhere(self, job: LoadJob) -> bool:
        """A finished job whose status another worker deleted with its agency's oldest (kept_jobs)."""
        return (self.uploads is not None and job.finished and job.directory is not None
                and not (job.directory / STATUS_FILE).exists())

    def _forget_evicted(self) -> None:
        for job in [j for j in self._jobs.values() if self._evicted_elsewhere(j)]:
            del self._jobs[job.id]

    def now(self) -> str:
        """The clock kept jobs leave their grace by (ISO 8601 UTC, ms): replaced in tests."""
        return utc_stamp()

    def evict_kept(self, ended: LoadJob | None = None) -> list[str]:
        """Evict every agency's oldest finished jobs past what it keeps, once out of their grace
        (:func:`~graphapi.ingest.kept_jobs.evict_every_agency`; never ``ended``, the job that just
        ended, which is indexed as ended first). Reads only the index: cheap, but files; call it
        off the event loop (:meth:`evict_kept_soon`). Returns the ids deleted."""
        if self.uploads is None:
            return []
        if ended is not None and ended.directory is not None:
            self._unindexed[ended.id] = ended
        self._index_ends()
        return evict_every_agency(
            self.uploads, keep=self.keep, grace_s=self.grace_s, now=self.now(),
            report_bytes=int(getattr(self.settings, "load_kept_report_bytes_per_agency", 0) or 0),
            newest=(ended.owner, ended.id) if ended is not None else None)

    def _index_ends(self) -> None:
        """Index the ends of the jobs that ended here and are not yet (one whose indexing failed stayed
        indexed as running for good: counted in no cap, never evicted); one that fails again waits for
        the next eviction, which its end's timer or any job end or upload start runs."""
        for job in list(self._unindexed.values()):
            try:
                job_index.ended(self.uploads, job.owner, job.id, job.finished_at or utc_stamp())
            except OSError:
                log.exception("indexing the end of load job %s failed; tried again at the next eviction", job.id)
                continue
            self._unindexed.pop(job.id, None)

    async def evict_kept_soon(self) -> None:
        """:meth:`evict_kept` off the event loop (an upload's start: the disk's floor is read next)."""
        for job_id in await asyncio.to_thread(self.evict_kept):
            self._jobs.pop(job_id, None)

    async def _evict(self, ended: LoadJob) -> None:
        """Index ``ended`` as ended, then evict the oldest finished jobs of every agency past what it
        keeps (never ``ended``, nor a job in its grace)."""
        if self.uploads is not None and ended.directory is not None:
            # off the event loop: it reads the index (every agency's folder), and deletes directories
            try:
                await asyncio.to_thread(self.evict_kept, ended)
            except OSError:  # the job's outcome stands; the next eviction tries again
                log.exception("evicting kept load jobs failed")
            self._evict_after_grace()
            self._forget_evicted()  # the directories decide (every worker's jobs): evicted there, forgotten here
            return
        self._forget_evicted()
        cutoff = grace_cutoff(ended.finished_at or utc_stamp(), self.grace_s)
        ours = [j for j in self._jobs.values() if j.finished and j.owner == ended.owner]
        ours.sort(key=lambda j: (j.finished_at or "", j is ended))  # oldest finished first, ``ended`` last
        for job in ours[: max(0, len(ours) - max(self.keep, 1))]:
            if (job.finished_at or "") >= cutoff:  # this one and every later one are in their grace
                break
            del self._jobs[job.id]
            if job.directory is not None:
                shutil.rmtree(job.directory, ignore_errors=True)

    def _evict_after_grace(self) -> None:
        """Evict again once the jobs just ended are out of their grace (within two graces), even if no
        job ends nor upload starts after them: what the grace kept past the caps goes (attack round 44b, 1)."""
        self._ended_since = True
        if self.grace_s and not self._closed and (self._later is None or self._later.done()):
            self._later = asyncio.get_running_loop().create_task(self._passes_after_grace())

    async def _passes_after_grace(self) -> None:
        while self._ended_since:  # a job ended since the last pass began: its grace ends a grace later
            self._ended_since = False
            await self.sleep(self.grace_s)
            try:
                await self.evict_kept_soon()
            except OSError:  # the next job end or upload start tries again
                log.exception("evicting kept load jobs failed")
