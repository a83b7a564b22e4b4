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
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect

from graphapi.errors import public_error
from graphapi.ingest import job_index
from graphapi.ingest.job_index import rebuild as rebuild_index
from graphapi.ingest.job_listing import page_asked
from graphapi.ingest.job_status import read_status
from graphapi.ingest.kept_jobs import REPORT_GONE, report_gone
from graphapi.ingest.load_audit import _audit, _audit_sink, _end_auditor, _hit_auditor, _hit_charger
from graphapi.ingest.load_job import LoadJob
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_kinds import readable_mapping
from graphapi.ingest.load_quota import UploadRefused, UploadRoom
from graphapi.ingest.load_sweep import (  # noqa: F401 (ABANDONED, OWNER_FILE: this module's names before)
    ABANDONED,
    OWNER_FILE,
    REJECTS_FILE,
    STARTER_FILE,
    claim,
    sweep_orphaned_uploads,
)
from graphapi.ingest.load_upload import MultipartUpload, check_request
from graphapi.ingest.reject_report import report_limit
from graphapi.private_files import private_dir
from graphapi.security.hits import load_budget_spent
from graphapi.security.http import error_body
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.settings import Settings
from graphapi.store import GraphStore, StoreError

__all__ = ["LOADS_PATH", "install_load_jobs"]

log = logging.getLogger("graphapi.ingest")

LOADS_PATH = "/loads"
#: Roles that may start load jobs and read their reject reports (as for the ``ingest(records)`` mutation).
WRITER_ROLES = frozenset({"loader", "admin"})
#: Roles that may see their agency's jobs (status, list): the writers, and those who follow the loads.
STATUS_ROLES = WRITER_ROLES | {"analyst", "supervisor"}
STATUS_REFUSAL = "load jobs are seen by the loader, admin, analyst or supervisor role"
BUDGET_REFUSAL = ("your lookup budget is spent (a load answers which of its ids other agencies hold); "
                  "start the load when it has refilled")
REJECTS_REFUSAL = "a reject report holds raw rows: it needs the loader or admin role"


# -- HTTP ----------------------------------------------------------------------------------------
def _error(request: Request, status: int, code: str, message: str) -> Response:
    rid = getattr(request.state, "request_id", None) or ""
    return Response(error_body(code, message, rid), status_code=status, media_type="application/json")


def _view(view: dict[str, Any]) -> dict[str, Any]:
    """A job's poll view (``LoadJob.as_dict()``, this worker's or stored by another) as a client sees it."""
    view = dict(view, summary=dict(view["summary"]) if view["summary"] is not None else None)
    href = f"{LOADS_PATH}/{view['id']}"
    view.update(href=href, rejectsHref=f"{href}/rejects")
    if view["summary"] is not None:
        view["summary"]["reject_report"] = view["rejectsHref"]  # not the server's path
    return view


def _ended(directory: Path, room: UploadRoom, audited: Callable[[LoadJob], None]) -> Callable[[LoadJob], None]:
    """``audited``, then the job's starter file removed: a job whose end is in the audit log is not
    abandoned, and a later sweep audits no second end for it (attack round 17, A1); its bytes no
    longer count for its agency's unfinished bytes (its report, bounded, is kept with the agency's
    finished jobs, within their own cap: :mod:`graphapi.ingest.kept_jobs`)."""
    def end(job: LoadJob) -> None:
        room.release()
        audited(job)
        (directory / STARTER_FILE).unlink(missing_ok=True)

    return end


def _unindex(uploads: Path, agency: str, job_id: str) -> None:
    """Drop the index entry of an upload that started no job (else the next count drops it)."""
    try:
        job_index.remove(uploads, job_index.agency_key(agency), job_index.Entry(job_id))
    except OSError:
        pass


def _declared_length(request: Request) -> int | None:
    try:
        return int(request.headers.get("content-length") or "") or None
    except ValueError:
        return None


def _refuse_room(request: Request, principal: Principal, exc: UploadRefused, job_id: str | None = None) -> Response:
    """429 (the agency's jobs or bytes) or 507 (the disk's floor), audited as a refused start."""
    _audit(request, principal, "load.start", {"job": job_id, "reason": str(exc)}, f"error:{exc.code}")
    return _error(request, exc.status, exc.code, str(exc))


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
            return _error(request, 401, "UNAUTHENTICATED", "authentication required")
        if not (roles & set(principal.roles)):
            _audit(request, principal, operation, arguments, "denied")
            return _error(request, 403, "FORBIDDEN", refusal)
        if not principal.agency:
            _audit(request, principal, operation, arguments, "denied")
            return _error(request, 403, "FORBIDDEN", "load jobs need a principal with an agency (it owns the data)")
        return principal

    async def budget_spent(request: Request, principal: Principal) -> bool:
        budget = getattr(getattr(request.app.state, "security", None), "lookup_budget", None)
        # the open store's server holds the budget every worker shares; none open yet: this
        # worker's own count (opening a store to refuse a start is not worth the wait)
        return await load_budget_spent(getattr(request.app.state, "store", None), principal, budget)

    @router.post("", status_code=202)
    async def start_load(request: Request) -> Response:
        """Upload file(s) and start a load job: 202 ``{id, state, href}``, ``Location`` header."""
        principal = caller(request, "load.start", {})
        if isinstance(principal, Response):
            return principal
        ctype, options = parse_options_header(request.headers.get("content-type"))
        if ctype != b"multipart/form-data" or not options.get(b"boundary"):
            _audit(request, principal, "load.start", {"contentType": ctype.decode("latin-1")},
                   "error:BAD_USER_INPUT")
            return _error(request, 400, "BAD_USER_INPUT", "send the files as multipart/form-data")
        if await budget_spent(request, principal):
            _audit(request, principal, "load.start", {"reason": BUDGET_REFUSAL}, "error:RATE_LIMITED")
            return _error(request, 429, "RATE_LIMITED", BUDGET_REFUSAL)
        # what the grace kept past an agency's caps goes before the disk's floor is read (attack round 44b, 1)
        await jobs.evict_kept_soon()
        job_id = LoadJobs.new_id()
        room = UploadRoom(uploads, principal.agency, settings, job_id)
        try:  # before anything is read, and no await after it before its directory counts (load_quota)
            await room.admit(_declared_length(request))
        except UploadRefused as exc:
            return _refuse_room(request, principal, exc)
        directory = uploads / job_id
        upload = MultipartUpload(options[b"boundary"], directory / "files")
        started = False
        try:
            private_dir(directory, exist_ok=False)
            claim(directory)  # so a later start can sweep it
            starter = {"subject": principal.subject, "agency": principal.agency}
            (directory / STARTER_FILE).write_text(json.dumps(starter), encoding="utf-8")  # and audit its end
            job_index.started(uploads, principal.agency, job_id)  # other workers count it from here (load_quota)
            received = 0
            async for chunk in request.stream():
                received += len(chunk)
                room.check(received)
                upload.write(chunk)
            upload.finish()
            req = check_request(upload.fields, upload.files)
            store = None if req.dry_run else await store_of(request.app)
            arguments = {"job": job_id, "kind": req.kind, "mapping": req.mapping.stem if req.mapping else None,
                         "files": [f.path.name for f in upload.files], "bytes": sum(f.size for f in upload.files),
                         "tlp": req.tlp, "sharedWith": list(req.shared_with), "dryRun": req.dry_run,
                         "replace": req.replace, "tz": req.tz, "source": req.source}
            report_bytes = report_limit(arguments["bytes"])
            room.reserve(report_bytes)  # the agency holds its report's bound until the job ends
            room.admit_report(report_bytes)  # and the disk's floor has room for it
            if req.mapping is not None:  # a mapping it cannot read is refused before its start is audited ok (M4c)
                readable_mapping(req.mapping)
            sink = _audit_sink(request)
            if sink is not None:  # every start is in the log before the load runs, or it does not run
                sink.record(principal, "load.start", arguments, None, kind="load", outcome="ok",
                            request_id=getattr(request.state, "request_id", None))
            job = jobs.start(
                store, req.kind, req.paths, owner=principal.agency, tlp=req.tlp, mapping=req.mapping,
                reject_report=directory / REJECTS_FILE, reject_report_limit=report_bytes,
                shared_with=req.shared_with, dry_run=req.dry_run,
                replace=req.replace, tz=req.tz, source=req.source,
                created_by=principal.subject, job_id=job_id, directory=directory, inputs=directory / "files",
                victim_data=may_see_victims(principal),
                on_finish=_ended(directory, room,
                                 _end_auditor(sink, principal, getattr(request.state, "request_id", None))),
                on_hits=_hit_auditor(sink, principal, getattr(request.state, "request_id", None)),
                charge=_hit_charger(request, store, principal),
            )
            started = True
        except UploadRefused as exc:
            return _refuse_room(request, principal, exc, job_id)
        except ValueError as exc:  # UploadError, or a reader that refuses its input at start
            _audit(request, principal, "load.start", {"job": job_id, "reason": str(exc)}, "error:BAD_USER_INPUT")
            return _error(request, 400, "BAD_USER_INPUT", str(exc))
        except ClientDisconnect:
            log.info("load %s: the client went away during the upload", job_id)
            return _error(request, 400, "BAD_USER_INPUT", "the upload was cut off")
        except StoreError as exc:
            code, message = public_error(exc)
            log.error("load %s: store unavailable: %s", job_id, exc)
            return _error(request, 503, code if code != "INTERNAL" else "SERVICE_UNAVAILABLE", message)
        except OSError:
            log.exception("load %s: upload or audit write failed", job_id)
            return _error(request, 503, "SERVICE_UNAVAILABLE",
                          "the upload could not be stored or audited; nothing was loaded")
        finally:
            upload.abandon()
            if not started:  # also on BodyTooLarge and a client that went away: leave nothing behind
                room.release()
                shutil.rmtree(directory, ignore_errors=True)
                _unindex(uploads, principal.agency, job_id)
        href = f"{LOADS_PATH}/{job.id}"
        return JSONResponse({"id": job.id, "state": job.state, "href": href}, status_code=202,
                            headers={"Location": href})

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
            return _error(request, 400, "BAD_USER_INPUT", str(exc))
        # its agency's only, a page of them, off the event loop (job_index, job_listing)
        listed = await jobs.listed(principal.agency, limit=limit, after=after)
        following = f"{LOADS_PATH}?limit={limit}&after={listed.after}" if listed.after else None
        return JSONResponse({"jobs": [_view(v) for v in listed.views], "nextHref": following})

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
            return _error(request, 404, "NOT_FOUND", f"no load job {job_id[:64]!r}")
        return view

    @router.get("/{job_id}")
    async def load_status(request: Request, job_id: str) -> Response:
        """The job's state, progress, summary and error (module docstring); 404 if not your agency's."""
        view = job_for(request, job_id, "load.status", STATUS_ROLES, STATUS_REFUSAL)
        if isinstance(view, Response):
            return view
        return JSONResponse(_view(view))

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
                return _error(request, 410, "GONE", REPORT_GONE.format(view["id"]))
            return Response(b"", media_type="application/x-ndjson")  # not run yet, or no row rejected
        size = os.fstat(fh.fileno()).st_size

        async def lines() -> AsyncIterator[bytes]:
            with fh:
                left, tail = size, b""
                while left > 0:
                    chunk = fh.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    left -= len(chunk)
                    data = tail + chunk
                    cut = data.rfind(b"\n") + 1  # complete lines only: a running load may be mid-line
                    tail = data[cut:]
                    if cut:
                        yield data[:cut]

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    app.include_router(router)
    return jobs
