"""File load jobs (HTTP upload, ``graphapi.ingest.http_jobs``): start and run them, find them.

A job runs in a process of its own (:mod:`graphapi.ingest.load_process`): reading a file is pure
Python, and in the API process it kept every other request of the worker waiting. Jobs are kept
in the API worker that started them (:class:`LoadJobs`), and each one's poll view in its directory
for the other workers (:mod:`graphapi.ingest.job_status`). The job itself is
:class:`~graphapi.ingest.load_job.LoadJob`; each agency keeps its own finished jobs, evicted past
its caps (:mod:`graphapi.ingest.job_eviction`, :mod:`graphapi.ingest.kept_jobs`).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from graphapi.ingest import job_index
from graphapi.ingest.job_eviction import JobEviction
from graphapi.ingest.job_listing import DEFAULT_LIMIT, Page, page
from graphapi.ingest.job_status import StatusWriter
from graphapi.ingest.kept_jobs import KEPT_GRACE_S
from graphapi.ingest.load_job import LoadJob, utc_stamp
from graphapi.ingest.load_kinds import make_reader
from graphapi.ingest.load_process import LoadProcessError, LoadSpec, run_load_process, store_connection
from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.options import check_replace
from graphapi.store.base import GraphStore

log = logging.getLogger("graphapi.ingest")

#: Load jobs one API worker runs at once, each in its own process; later ones wait ``queued``.
MAX_RUNNING = 2
#: Finished jobs one agency keeps (its oldest evicted first, with their directories).
KEEP_FINISHED = 200


class LoadJobs(JobEviction):
    """Registry of file load jobs (one per API worker; jobs are lost on restart, and a rerun of
    the same file is idempotent). Each job runs in a process of its own, so the worker's event
    loop keeps serving requests; at most ``running`` at a time (the others stay ``queued``).

    A job that reads rows and loads none of them (every row rejected: the wrong mapping or file,
    most likely) ends ``failed`` with :attr:`ALL_REJECTED`, its summary and reject report kept,
    as ``lintas load`` exits 1 for the same file, dry run or not.

    A job given a ``directory`` owns it: its ``inputs`` (a directory) are deleted when the job
    ends, the reject report stays for polling, and the whole directory goes when the job is
    evicted: past ``keep`` finished jobs of its agency, the agency's oldest finished first (another
    agency's jobs never evict it), once it ended :attr:`grace_s` ago (its poller's time, by :meth:`now`):
    checked for every agency as any job ends (:meth:`evict_kept`). With
    ``uploads`` (the directory every worker's job directories are in), the agency's finished jobs of
    every worker count, and their reject reports hold at most
    ``settings.load_kept_report_bytes_per_agency`` (:mod:`graphapi.ingest.kept_jobs`); a job another
    worker evicted is forgotten here too.
    """

    #: A job's error when it read rows and loaded none (dry run or not; the CLI exits 1 then too).
    ALL_REJECTED = "every row read was rejected; nothing loaded"
    #: A job's error when it failed in the API itself (never the exception's text).
    INTERNAL = "the load failed inside the server; see the server log, then upload the file again"

    def __init__(self, *, keep: int = KEEP_FINISHED, running: int = MAX_RUNNING, settings: Any = None,
                 uploads: Path | None = None, grace_s: float | None = None) -> None:
        self._jobs: dict[str, LoadJob] = {}
        self.keep = keep
        #: seconds every finished job is kept after it ended, past ``keep`` and the report bytes
        #: (kept_jobs); default ``settings.load_kept_grace_s``, else :data:`KEPT_GRACE_S`
        self.grace_s = float(grace_s if grace_s is not None else getattr(settings, "load_kept_grace_s", KEPT_GRACE_S))
        self.settings = settings  # for a Neo4j store: how a job's process connects
        self.uploads = uploads
        self._slots = asyncio.Semaphore(running)
        #: how the pass after the grace waits (:meth:`_evict_after_grace`): replaced in tests
        self.sleep = asyncio.sleep
        self._later: asyncio.Task | None = None
        self._ended_since = False
        #: ended jobs whose end failed to index (an OSError): indexed at the next eviction (attack round 45a, 4)
        self._unindexed: dict[str, LoadJob] = {}
        self._closed = False  # no timer after close(): the jobs it cancels end after it (attack round 45a, 5)

    @staticmethod
    def new_id() -> str:
        """A fresh job id: 32 hex digits of ``uuid4`` (not guessable, so ids reveal nothing)."""
        return uuid.uuid4().hex

    def start(self, store: GraphStore | None, kind: str, paths: list[Path], *, owner: str,
              tlp: str = "AMBER", mapping: str | Path | None = None, source: str | None = None,
              reject_report: Path | None = None, reject_report_limit: int | None = None,
              shared_with: tuple[str, ...] = (),
              dry_run: bool = False, replace: bool = False, tz: str | None = None,
              created_by: str | None = None, job_id: str | None = None, victim_data: bool = False,
              directory: Path | None = None, inputs: Path | None = None,
              on_finish: Callable[[LoadJob], None] | None = None,
              on_hits: Callable[[LoadJob, list[tuple[str, str]]], None] | None = None,
              charge: Callable[[LoadJob, list[tuple[str, str]]], Awaitable[bool]] | None = None,
              before_run: Callable[[LoadJob], None] | None = None) -> LoadJob:
        """Start loading ``paths`` (kind ``ofac`` [sdn, add, alt: ``None`` for a missing one],
        ``ftm`` or ``csv`` with ``mapping``) in the background; returns the job at once.

        ``dry_run`` reads and validates without writing (``store`` may then be ``None``).
        ``replace``: the files are the source's complete new truth (``run_load(replace=True)``).
        ``tz``: an FtM load's time zone for times without an offset (``FtmReader(tz=)``).
        ``victim_data``: the uploader holds the role (else the load meets another agency's victims
        as hidden items, ``run_load(victim_blind=)``).
        ``source``: the name of the job's source, stored as ``<source>@<owner>``; by default the
        loader's own (``ofac-sdn``, ``ftm``, the mapping's): :func:`graphapi.ingest.options.load_source`,
        as for ``lintas load``, so two agencies' uploads are two sources (a DEL withdraws only its
        own agency's assertions) and one agency's upload and CLI load of one name are one.
        ``reject_report_limit``: the report's bytes at most (:mod:`graphapi.ingest.reject_report`).
        ``on_finish(job)`` is called once the job is done or failed (e.g. to audit it);
        ``on_hits(job, pairs)`` with each chunk of hits ``(id, owner)`` as the load meets them,
        before their refusals reach the reject report (to audit them for their owners: if it
        raises, the job's process is stopped and the job fails); ``charge(job, pairs)`` first, which
        takes them from the uploader's lookup budget: False stops the load before they show
        (``load_process.BUDGET_SPENT``). ``before_run(job)`` is called once everything the job
        needs is stored, last before its run is scheduled (to audit its start: a start that fails
        before it is never audited as started, attack round 51, 2); if it raises, the job is
        dropped unrun and the error raised.
        Raises ``ValueError`` (or ``MappingError``, a ``ValueError``) for a bad kind or mapping.
        """
        # built here only to refuse a bad kind or mapping at once (the job's process builds its own)
        _, src = make_reader(kind, paths, mapping=mapping, source=source, agency=owner, tz=tz)
        check_replace(replace, source, src.rsplit("@", 1)[0])
        job = LoadJob(id=job_id or self.new_id(), kind=kind, owner=owner, created_by=created_by, tlp=tlp,
                      shared_with=tuple(shared_with), dry_run=dry_run, replace=replace, tz=tz,
                      mapping=Path(mapping).stem if mapping else None, source=src,
                      files=[p.name for p in paths if p is not None], reject_report=reject_report,
                      directory=directory)
        spec = LoadSpec(kind=kind, paths=[str(p) if p is not None else None for p in paths], source=src,
                        owner=owner, tlp=tlp, shared_with=list(shared_with),
                        mapping=str(mapping) if mapping else None, dry_run=dry_run, replace=replace, tz=tz,
                        victim_data=victim_data,
                        reject_report=str(reject_report) if reject_report else None,
                        reject_report_limit=reject_report_limit,
                        directory=str(directory) if directory else None,
                        store=None if dry_run else store_connection(store, self.settings))
        if self.uploads is not None and directory is not None:  # listed from its agency's index (an upload is)
            job_index.started(self.uploads, owner, job.id)
        self._jobs[job.id] = job
        # the other API workers answer polls of it from its directory (graphapi.ingest.job_status)
        status = StatusWriter(directory) if directory is not None else None

        def save(throttled: bool = False) -> None:
            if status is not None:
                status(job.as_dict(), progress=throttled)

        save()

        def progress(rows: int, rejected: int) -> None:
            job.rows, job.rejected = rows, rejected
            save(throttled=True)

        def started(pid: int) -> None:
            job.worker_pid = pid

        async def met(pairs: list[tuple[str, str]]) -> bool:
            job.hits.extend(pairs)
            answered = charge is None or await charge(job, pairs)
            if on_hits is not None:  # answered or not, the owners read that they were asked
                on_hits(job, pairs)
            return answered

        async def run() -> None:
            try:
                async with self._slots:
                    job.state, job.started_at = "running", utc_stamp()
                    save()
                    job.summary, job.restricted_ids = await run_load_process(
                        spec, progress=progress, started=started, met=met)
                # the writer's refusals count too: the poll view agrees with the summary
                job.rows, job.rejected = job.summary.rows_read, job.summary.rows_rejected
                if job.summary.rows_read and not job.summary.rows_loaded:  # as `lintas load` exits 1
                    job.state, job.error = "failed", self.ALL_REJECTED + _why_all_rejected(job.summary)
                else:
                    job.state = "done"
            except asyncio.CancelledError:
                job.state, job.error = "failed", "cancelled: the server shut down; upload the file again"
                raise
            except LoadProcessError as exc:  # its message is already fit for the poller
                log.error("load job %s failed: %s", job.id, exc)
                job.state, job.error = "failed", str(exc)
            except Exception:  # internal: a plain reason to the poller, the stack to the log; a rerun resumes
                log.exception("load job %s failed", job.id)
                job.state, job.error = "failed", self.INTERNAL
            finally:
                job.finished_at = utc_stamp()
                save()
                if inputs is not None:
                    shutil.rmtree(inputs, ignore_errors=True)
                if on_finish is not None:
                    try:
                        on_finish(job)
                    except Exception:  # the job's outcome stands even if, e.g., the audit write fails
                        log.exception("on_finish of load job %s failed", job.id)
                await self._evict(job)

        if before_run is not None:
            try:
                before_run(job)
            except BaseException:
                del self._jobs[job.id]  # never run: its caller removes its directory and index entry
                raise
        job.task = asyncio.get_running_loop().create_task(run())
        return job

    def get(self, job_id: str) -> LoadJob | None:
        """The job with ``job_id``, or ``None``."""
        job = self._jobs.get(job_id)
        if job is not None and self._evicted_elsewhere(job):
            del self._jobs[job_id]
            return None
        return job

    def list(self, owner: str | None = None) -> list[LoadJob]:
        """Jobs newest first; only those of agency ``owner`` when given."""
        self._forget_evicted()
        return [j for j in reversed(self._jobs.values()) if owner is None or j.owner == owner]

    async def listed(self, owner: str, *, limit: int = DEFAULT_LIMIT, after: tuple[str, str] | None = None) -> Page:
        """A page of agency ``owner``'s jobs (:func:`graphapi.ingest.job_listing.page`: unfinished first,
        then at most ``limit`` finished after cursor ``after``): this worker's live, other workers' as
        stored. Read from ``owner``'s index off the event loop: no other agency's job is read (attack
        round 44b, 4), nor more than a page of its own (45a, 4 of its README)."""
        if self.uploads is None:
            return Page([j.as_dict() for j in self.list(owner)][:limit], None)
        ours = {job.id: job for job in list(self._jobs.values()) if job.owner == owner}
        return await asyncio.to_thread(page, self.uploads, owner, ours, limit=limit, after=after)

    async def close(self) -> None:
        """Cancel running jobs (app shutdown); they end ``failed`` and their inputs are deleted. No
        eviction timer outlives it: the cancelled jobs' ends start none."""
        self._closed = True
        tasks = [j.task for j in self._jobs.values() if j.task is not None and not j.task.done()]
        if self._later is not None:
            tasks.append(self._later)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _why_all_rejected(summary: LoadSummary) -> str:
    """What most often rejects every row of a load, if the summary shows it; else nothing."""
    if summary.restricted:
        return (f" ({summary.restricted:,} record(s) named items your agency may not see or not merge into, "
                "e.g. another agency's; the reject report says which)")
    return ""
