"""The start of a load job from its upload (``POST /loads``, :mod:`graphapi.ingest.http_jobs`).

Before anything is read: the body's type, the uploader's lookup budget, the agency's room and the
disk's floor (:mod:`graphapi.ingest.load_quota`). Then the upload is streamed into the job's own
directory (claimed for the sweep, indexed for its agency), its form checked
(:mod:`graphapi.ingest.load_upload`), and the job started, its start audited last before it runs
(``LoadJobs.start``'s ``before_run``); an upload that starts no job leaves nothing behind and is
audited as a refused start. Answers 202 with the job's ``Location``, or the refusal.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect

from graphapi.errors import public_error
from graphapi.ingest import job_index
from graphapi.ingest.load_audit import _audit, _audit_sink, _end_auditor, _hit_auditor, _hit_charger
from graphapi.ingest.load_job import LoadJob
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_kinds import readable_mapping
from graphapi.ingest.load_quota import UploadRefused, UploadRoom
from graphapi.ingest.load_responses import LOADS_PATH, error_response
from graphapi.ingest.load_sweep import REJECTS_FILE, STARTER_FILE, claim
from graphapi.ingest.load_upload import MultipartUpload, check_request
from graphapi.ingest.reject_report import report_limit
from graphapi.private_files import private_dir
from graphapi.security.audit import AuditSink
from graphapi.security.hits import load_budget_spent
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.settings import Settings
from graphapi.store import GraphStore, StoreError

log = logging.getLogger("graphapi.ingest")

BUDGET_REFUSAL = ("your lookup budget is spent (a load answers which of its ids other agencies hold); "
                  "start the load when it has refilled")


#: Why an upload started no job when its directory, its index or the audit log could not be written.
NOT_STORED = "the upload could not be stored or audited; nothing was loaded"


def _start_auditor(sink: AuditSink | None, principal: Principal, arguments: dict[str, Any],
                   request_id: str | None) -> Callable[[LoadJob], None]:
    """The job's ``load.start`` (outcome ok) written, called by ``LoadJobs.start`` last before
    the job's run is scheduled; an OSError writing it stops the job."""
    def record(job: LoadJob) -> None:
        if sink is not None:
            sink.record(principal, "load.start", arguments, None, kind="load", outcome="ok", request_id=request_id)

    return record


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
    return error_response(request, exc.status, exc.code, str(exc))


async def _budget_spent(request: Request, principal: Principal) -> bool:
    budget = getattr(getattr(request.app.state, "security", None), "lookup_budget", None)
    # the open store's server holds the budget every worker shares; none open yet: this
    # worker's own count (opening a store to refuse a start is not worth the wait)
    return await load_budget_spent(getattr(request.app.state, "store", None), principal, budget)


async def start_upload(request: Request, principal: Principal, jobs: LoadJobs, uploads: Path, settings: Settings,
                       store_of: Callable[[FastAPI], Awaitable[GraphStore]]) -> Response:
    """Take ``request``'s upload for ``principal`` (a loader or admin of an agency) and start its job in
    ``jobs``: 202 ``{id, state, href}`` with a ``Location`` header, or the refusal (audited)."""
    ctype, options = parse_options_header(request.headers.get("content-type"))
    if ctype != b"multipart/form-data" or not options.get(b"boundary"):
        _audit(request, principal, "load.start", {"contentType": ctype.decode("latin-1")},
               "error:BAD_USER_INPUT")
        return error_response(request, 400, "BAD_USER_INPUT", "send the files as multipart/form-data")
    if await _budget_spent(request, principal):
        _audit(request, principal, "load.start", {"reason": BUDGET_REFUSAL}, "error:RATE_LIMITED")
        return error_response(request, 429, "RATE_LIMITED", BUDGET_REFUSAL)
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
            # every start is in the log before the load runs, or it does not run; and only once
            # nothing else can stop it (a disk full after it left an "ok" start never run: 51, 2)
            before_run=_start_auditor(sink, principal, arguments, getattr(request.state, "request_id", None)),
        )
        started = True
    except UploadRefused as exc:
        return _refuse_room(request, principal, exc, job_id)
    except ValueError as exc:  # UploadError, or a reader that refuses its input at start
        _audit(request, principal, "load.start", {"job": job_id, "reason": str(exc)}, "error:BAD_USER_INPUT")
        return error_response(request, 400, "BAD_USER_INPUT", str(exc))
    except ClientDisconnect:
        log.info("load %s: the client went away during the upload", job_id)
        return error_response(request, 400, "BAD_USER_INPUT", "the upload was cut off")
    except StoreError as exc:
        code, message = public_error(exc)
        log.error("load %s: store unavailable: %s", job_id, exc)
        _audit(request, principal, "load.start", {"job": job_id, "reason": message}, "error:SERVICE_UNAVAILABLE")
        return error_response(request, 503, code if code != "INTERNAL" else "SERVICE_UNAVAILABLE", message)
    except OSError as exc:
        log.exception("load %s: upload or audit write failed", job_id)
        # the refusal audited (the log may be on the disk that failed: then it says nothing of this job)
        _audit(request, principal, "load.start", {"job": job_id, "reason": f"{NOT_STORED} ({exc.strerror or exc})"},
               "error:SERVICE_UNAVAILABLE")
        return error_response(request, 503, "SERVICE_UNAVAILABLE", NOT_STORED)
    finally:
        upload.abandon()
        if not started:  # also on BodyTooLarge and a client that went away: leave nothing behind
            room.release()
            shutil.rmtree(directory, ignore_errors=True)
            _unindex(uploads, principal.agency, job_id)
    href = f"{LOADS_PATH}/{job.id}"
    return JSONResponse({"id": job.id, "state": job.state, "href": href}, status_code=202,
                        headers={"Location": href})
