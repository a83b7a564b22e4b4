"""File load jobs over HTTP: upload a file, poll the load (issue 3, "GraphQL and HTTP").

Routes, mounted by ``create_app`` behind the same security gate as ``/graphql``
(``graphapi.security.http``: authentication, rate limit, request ids, audited refusals), with the
upload size limit ``LINTAS_MAX_UPLOAD_BYTES`` (default 512 MiB; 413 past it) instead of the
GraphQL body rules:

``POST /loads`` (``multipart/form-data``)
    Form fields: ``kind`` (``ofac`` | ``ftm`` | ``csv``); ``mapping`` (csv only, required: the
    name of a mapping shipped in ``seed/mappings``: ``cases``, ``cdr``, ``crossings``,
    ``transfers``; never a path); ``tlp`` (TLP 2.0 level, any case, default ``AMBER``);
    ``sharedWith`` (agency ids, comma-separated and/or repeated; the rules of
    ``graphapi.ingest.options``, as for ``lintas load``); ``dryRun`` (``true``/``false``, default false:
    read and validate, write nothing); ``source`` (a source id, the characters of an agency id;
    default the loader's own name, ``ofac-sdn``, ``ftm`` or the mapping's): the job's source is
    ``<source>@<agency>`` (``graphapi.ingest.options.load_source``, the rule of ``lintas load
    --source --owner`` too), so one agency's feeds are told apart by name and no agency names
    another's; ``replace`` (``true``/``false``, default false: the files are the complete new
    truth of the job's source, which it must name, the loader's own name for the loads that named
    none (``options.check_replace``): once the load has closed with no rejected row, what that
    source asserted before and not now is retracted as a DEL would,
    :mod:`graphapi.ingest.replacement`); ``tz`` (ftm only: the IANA time zone of dates and
    times without an offset, as ``lintas load ftm --tz``; default UTC).
    Files: for ``ofac`` the parts ``sdn`` (required), ``add``
    and ``alt`` (optional) in OFAC's legacy CSV; for ``ftm`` and ``csv`` one or more ``file``
    parts, loaded in the order sent. Uploads are streamed to
    ``<LINTAS_DATA_DIR>/uploads/<job id>/files/`` under the client's file name (reduced to a
    safe base name), and deleted when the load ends.
    Answers ``202 {"id", "state", "href"}`` with ``Location: /loads/<id>``.
``GET /loads/{id}``
    The job: ``{id, kind, state, rows, rejected, error, summary, owner, createdBy, tlp,
    sharedWith, dryRun, replace, tz, mapping, source, files, createdAt, startedAt, finishedAt, href, rejectsHref}``.
    ``state``: ``queued`` | ``running`` | ``done`` | ``failed``; ``rows``/``rejected``: rows read
    and rejected so far; ``summary``: ``null`` until done, then the loader's closing summary
    (``LoadSummary.as_dict()``, the same keys as ``lintas load --json``: ``rows_read``,
    ``rows_loaded``, ``rows_rejected``, ``nodes_read``, ``nodes_created``, ``nodes_updated``,
    ``nodes_unchanged``, ``nodes_written``, ..., ``seconds``: docs/mappings.md, "What a load
    reports"; ``reject_report`` is the rejects URL); ``error``: why it failed. A load that
    read rows and loaded none of them (every row rejected; dry run or not) ends ``failed`` with
    ``error`` "every row read was rejected; nothing loaded", its summary and rejects kept, as
    ``lintas load`` exits 1 for it.
``GET /loads/{id}/rejects``
    The reject report as JSON lines (``application/x-ndjson``), one
    ``{"file", "line", "reason", "raw"}`` per rejected row, bounded like the upload
    (:mod:`graphapi.ingest.reject_report`: raw cut, a closing line counts what was left out);
    empty until the load has run (while it runs, the complete lines written so far) and for a load
    that rejected no row; 410 ``GONE`` for a job whose report is no longer kept (abandoned, or being
    evicted), never an empty report.
``GET /loads`` (``?limit=``, ``?after=``)
    ``{"jobs": [job, ...], "nextHref"}``: a page of the caller's agency's jobs (an admin's too: its own
    agency's) on every worker: its unfinished ones first (first page only), newest started first, then
    at most ``limit`` (default 50, at most 200; 400 past) of its kept finished ones, latest ended first;
    ``nextHref`` is the next page's URL (``after`` a cursor), ``null`` on the last
    (:mod:`graphapi.ingest.job_listing`).

Who may, always with an agency (else 403 ``FORBIDDEN``):

- start a load: the ``loader`` or ``admin`` role (else 403); the caller's agency owns what the load
  writes;
- see a job's status and the list: also the agency's ``analyst`` and ``supervisor`` (they follow
  their agency's loads; the status holds counts, file names and the error, no row of data);
- read a job's reject report: ``loader`` or ``admin`` only (else 403), since it holds the raw
  rows, unredacted (victims' names among them, which analysts without ``victim-data`` never see).

A job is visible only to principals of the agency that started it, admins included: an admin is
bounded by its own agency here as everywhere else (an admin of any agency read another's reject
report, raw rows of a RED load: attack round 38b, 7). Anyone else gets 404 ``NOT_FOUND``, as for
an id that does not exist, by the same path (audited ``error:NOT_FOUND``), so ids leak nothing
(they are random uuid4 hex as well).

Audit (kind ``load``): ``load.start`` when a job starts (kind, mapping, files, bytes, tlp,
sharedWith, dryRun) and ``load.done`` / ``load.failed`` when it ends (row and write counts,
error), both under the starting principal and request id; refusals (400, 403, 404) with their
outcome. Polls that succeed are not audited.

Errors are GraphQL-shaped JSON, ``{"data": null, "errors": [{"message", "extensions": {"code",
"requestId"}}]}``: 400 ``BAD_USER_INPUT`` (bad kind, field, mapping, TLP, a missing file, a body
that is not multipart), 403, 404, 410 ``GONE`` (a reject report no longer kept), 429 ``RATE_LIMITED``
(the agency's unfinished jobs or their bytes at their limit, or the uploader's lookup budget spent:
a load answers which ids other agencies hold), 507 ``INSUFFICIENT_STORAGE`` (the data directory's disk under its floor:
:mod:`graphapi.ingest.load_quota`), 503 ``SERVICE_UNAVAILABLE`` (store or audit log down); never a
stack trace.

Jobs live in the worker process that took the upload (``LoadJobs``), which writes each one's poll
view into its upload directory (:mod:`graphapi.ingest.job_status`): with ``lintas serve
--workers N`` any worker answers a poll, a list or a reject report of any job. A restart forgets
them (a rerun of the same file is idempotent). Each load runs in a process of its own
(``graphapi.ingest.load_process``), at most two at once per worker (the others wait ``queued``),
so requests to the worker are served while it loads. Each agency keeps its last 200 finished jobs,
their reject reports at most ``LINTAS_LOAD_KEPT_REPORT_BYTES_PER_AGENCY`` (default 1 GiB), counted over
every worker's and across restarts: past either, its own oldest finished jobs go, each once it ended
``LINTAS_LOAD_KEPT_GRACE_S`` ago (default 10 minutes: its poller's time) (:mod:`graphapi.ingest.kept_jobs`),
whichever agency's job ends or upload starts next, at the next start, or two graces after the last job
ended. ``GET /loads`` reads a page of the caller's agency's jobs only, and ``POST /loads`` counts its
unfinished ones, from its index, off the event loop (:mod:`graphapi.ingest.job_index`).

This module mounts the routes and decides who may call them; an upload's start is
:mod:`graphapi.ingest.load_start`, the shape of every answer :mod:`graphapi.ingest.load_responses`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from graphapi.ingest.job_index import rebuild as rebuild_index
from graphapi.ingest.job_listing import page_asked
from graphapi.ingest.job_status import read_status
from graphapi.ingest.kept_jobs import REPORT_GONE, report_gone
from graphapi.ingest.load_audit import _audit
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_responses import LOADS_PATH, client_view, error_response, report_lines
from graphapi.ingest.load_start import start_upload
from graphapi.ingest.load_sweep import REJECTS_FILE, sweep_orphaned_uploads
from graphapi.security.principal import Principal
from graphapi.settings import Settings
from graphapi.store import GraphStore

__all__ = ["install_load_jobs"]

#: Roles that may start load jobs and read their reject reports (as for the ``ingest(records)`` mutation).
WRITER_ROLES = frozenset({"loader", "admin"})
#: Roles that may see their agency's jobs (status, list): the writers, and those who follow the loads.
STATUS_ROLES = WRITER_ROLES | {"analyst", "supervisor"}
STATUS_REFUSAL = "load jobs are seen by the loader, admin, analyst or supervisor role"
REJECTS_REFUSAL = "a reject report holds raw rows: it needs the loader or admin role"


def install_load_jobs(app: FastAPI, settings: Settings,
                      store_of: Callable[[FastAPI], Awaitable[GraphStore]]) -> LoadJobs:
    """Mount the ``/loads`` routes on ``app`` and keep their :class:`LoadJobs` on
    ``app.state.load_jobs``. ``store_of(app)``: the app's open store (raises ``StoreError``).
    The caller gates :data:`LOADS_PATH` (``install_security(upload_paths=...)``)."""
    uploads = Path(settings.data_dir) / "uploads"
    jobs = LoadJobs(settings=settings, uploads=uploads)  # each agency keeps its own finished jobs (kept_jobs)
    app.state.load_jobs = jobs
    sweep_orphaned_uploads(uploads, getattr(getattr(app.state, "security", None), "audit", None))
    rebuild_index(uploads)  # what earlier versions and gone workers left, indexed by agency (job_index)
    jobs.evict_kept()  # every agency back under its caps, past the grace (kept_jobs)
    router = APIRouter(prefix=LOADS_PATH, tags=["loads"])

    def caller(request: Request, operation: str, arguments: dict[str, Any], roles: frozenset[str] = WRITER_ROLES,
               refusal: str = "load jobs need the loader or admin role") -> Principal | Response:
        principal = getattr(request.state, "principal", None)
        if not isinstance(principal, Principal):  # the gate always sets it; never serve without
            return error_response(request, 401, "UNAUTHENTICATED", "authentication required")
        if not (roles & set(principal.roles)):
            _audit(request, principal, operation, arguments, "denied")
            return error_response(request, 403, "FORBIDDEN", refusal)
        if not principal.agency:
            _audit(request, principal, operation, arguments, "denied")
            return error_response(request, 403, "FORBIDDEN",
                                  "load jobs need a principal with an agency (it owns the data)")
        return principal

    @router.post("", status_code=202)
    async def start_load(request: Request) -> Response:
        """Upload file(s) and start a load job: 202 ``{id, state, href}``, ``Location`` header."""
        principal = caller(request, "load.start", {})
        if isinstance(principal, Response):
            return principal
        return await start_upload(request, principal, jobs, uploads, settings, store_of)

    @router.get("")
    async def list_loads(request: Request) -> Response:
        """``{"jobs": [...], "nextHref"}``: a page of the caller's agency's jobs (an admin's too)."""
        principal = caller(request, "load.list", {}, STATUS_ROLES, STATUS_REFUSAL)
        if isinstance(principal, Response):
            return principal
        try:
            limit, after = page_asked(request.query_params)
        except ValueError as exc:
            _audit(request, principal, "load.list", {}, "error:BAD_USER_INPUT")
            return error_response(request, 400, "BAD_USER_INPUT", str(exc))
        # its agency's only, a page of them, off the event loop (job_index, job_listing)
        listed = await jobs.listed(principal.agency, limit=limit, after=after)
        following = f"{LOADS_PATH}?limit={limit}&after={listed.after}" if listed.after else None
        return JSONResponse({"jobs": [client_view(v) for v in listed.views], "nextHref": following})

    def job_for(request: Request, job_id: str, operation: str, roles: frozenset[str], refusal: str
                ) -> dict[str, Any] | Response:
        """The poll view of the caller's job ``job_id``, run by this worker or another
        (:mod:`graphapi.ingest.job_status`), or the refusal to send (401/403 for ``roles``, or 404 if
        not their agency's)."""
        principal = caller(request, operation, {"job": job_id[:64]}, roles, refusal)
        if isinstance(principal, Response):
            return principal
        job = jobs.get(job_id)
        view = job.as_dict() if job is not None else read_status(uploads, job_id)
        if view is None or view.get("owner") != principal.agency:  # an admin too: its agency's jobs only
            _audit(request, principal, operation, {"job": job_id[:64]}, "error:NOT_FOUND")
            return error_response(request, 404, "NOT_FOUND", f"no load job {job_id[:64]!r}")
        return view

    @router.get("/{job_id}")
    async def load_status(request: Request, job_id: str) -> Response:
        """The job's state, progress, summary and error (module docstring); 404 if not your agency's."""
        view = job_for(request, job_id, "load.status", STATUS_ROLES, STATUS_REFUSAL)
        if isinstance(view, Response):
            return view
        return JSONResponse(client_view(view))

    @router.get("/{job_id}/rejects")
    async def load_rejects(request: Request, job_id: str) -> Response:
        """The reject report, JSON lines ``{"file", "line", "reason", "raw"}`` (loader, admin); 404 if
        not your agency's."""
        view = job_for(request, job_id, "load.rejects", WRITER_ROLES, REJECTS_REFUSAL)
        if isinstance(view, Response):
            return view
        try:  # opened here: an eviction that deletes it now leaves this read whole
            fh = (uploads / view["id"] / REJECTS_FILE).open("rb")
        except FileNotFoundError:
            if report_gone(view):
                return error_response(request, 410, "GONE", REPORT_GONE.format(view["id"]))
            return Response(b"", media_type="application/x-ndjson")  # not run yet, or no row rejected
        size = os.fstat(fh.fileno()).st_size
        return StreamingResponse(report_lines(fh, size), media_type="application/x-ndjson")

    app.include_router(router)
    return jobs
