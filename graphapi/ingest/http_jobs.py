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
    read and validate, write nothing). Files: for ``ofac`` the parts ``sdn`` (required), ``add``
    and ``alt`` (optional) in OFAC's legacy CSV; for ``ftm`` and ``csv`` one or more ``file``
    parts, loaded in the order sent. Uploads are streamed to
    ``<LINTAS_DATA_DIR>/uploads/<job id>/files/`` under the client's file name (reduced to a
    safe base name), and deleted when the load ends.
    Answers ``202 {"id", "state", "href"}`` with ``Location: /loads/<id>``.
``GET /loads/{id}``
    The job: ``{id, kind, state, rows, rejected, error, summary, owner, createdBy, tlp,
    sharedWith, dryRun, mapping, files, createdAt, startedAt, finishedAt, href, rejectsHref}``.
    ``state``: ``queued`` | ``running`` | ``done`` | ``failed``; ``rows``/``rejected``: rows read
    and rejected so far; ``summary``: ``null`` until done, then the loader's closing summary
    (``LoadSummary.as_dict()``, the same keys as ``lintas load --json``: ``rows_read``,
    ``rows_loaded``, ``rows_rejected``, ``nodes_written``, ``relationships_written``,
    ``seconds``, ...; ``reject_report`` is the rejects URL); ``error``: why it failed. A load that
    read rows and loaded none of them (every row rejected; dry run or not) ends ``failed`` with
    ``error`` "every row read was rejected; nothing loaded", its summary and rejects kept, as
    ``lintas load`` exits 1 for it.
``GET /loads/{id}/rejects``
    The reject report as JSON lines (``application/x-ndjson``), one
    ``{"file", "line", "reason", "raw"}`` per rejected row; empty until the load has run (while
    it runs, the complete lines written so far).
``GET /loads``
    ``{"jobs": [job, ...]}``, newest first: the caller's agency's jobs (an admin's: all).

Who may, always with an agency (else 403 ``FORBIDDEN``):

- start a load: the ``loader`` or ``admin`` role (else 403); the caller's agency owns what the load
  writes;
- see a job's status and the list: also the agency's ``analyst`` and ``supervisor`` (they follow
  their agency's loads; the status holds counts, file names and the error, no row of data);
- read a job's reject report: ``loader`` or ``admin`` only (else 403), since it holds the raw
  rows, unredacted (victims' names among them, which analysts without ``victim-data`` never see).

A job is visible only to principals of the agency that started it and to admins; anyone else
gets 404 ``NOT_FOUND``, as for an id that does not exist, so ids leak nothing (they are random
uuid4 hex as well).

Audit (kind ``load``): ``load.start`` when a job starts (kind, mapping, files, bytes, tlp,
sharedWith, dryRun) and ``load.done`` / ``load.failed`` when it ends (row and write counts,
error), both under the starting principal and request id; refusals (400, 403, 404) with their
outcome. Polls that succeed are not audited.

Errors are GraphQL-shaped JSON, ``{"data": null, "errors": [{"message", "extensions": {"code",
"requestId"}}]}``: 400 ``BAD_USER_INPUT`` (bad kind, field, mapping, TLP, a missing file, a body
that is not multipart), 403, 404, 503 ``SERVICE_UNAVAILABLE`` (store or audit log down); never a
stack trace.

Jobs live in the worker process that took the upload (``LoadJobs``): with ``lintas serve
--workers N`` a poll that reaches another worker answers 404, and a restart forgets them (a rerun
of the same file is idempotent). Each load runs in a process of its own
(``graphapi.ingest.load_process``), at most two at once per worker (the others wait ``queued``),
so requests to the worker are served while it loads.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect

from graphapi.errors import public_error
from graphapi.ingest.load_jobs import LoadJob, LoadJobs, shipped_mappings
from graphapi.ingest.options import normalise_tlp, parse_shared_with
from graphapi.security.audit import AuditSink
from graphapi.security.hits import RestrictedHit, audit_hits
from graphapi.security.http import error_body
from graphapi.security.principal import Principal
from graphapi.settings import Settings
from graphapi.store import GraphStore, StoreError
from graphapi.store.embedded_server import pid_alive

__all__ = ["LOADS_PATH", "install_load_jobs"]

log = logging.getLogger("graphapi.ingest")

LOADS_PATH = "/loads"
#: Roles that may start load jobs and read their reject reports (as for the ``ingest(records)`` mutation).
WRITER_ROLES = frozenset({"loader", "admin"})
#: Roles that may see their agency's jobs (status, list): the writers, and those who follow the loads.
STATUS_ROLES = WRITER_ROLES | {"analyst", "supervisor"}
STATUS_REFUSAL = "load jobs are seen by the loader, admin, analyst or supervisor role"
REJECTS_REFUSAL = "a reject report holds raw rows: it needs the loader or admin role"
#: File parts each kind takes; ``sdn`` is required for ofac, one ``file`` at least for the others.
FILE_PARTS = {"ofac": ("sdn", "add", "alt"), "ftm": ("file",), "csv": ("file",)}
TEXT_FIELDS = ("kind", "mapping", "tlp", "sharedWith", "dryRun")
MAX_FILES = 16
MAX_TEXT_FIELDS = 32
#: Longest text field value, bytes.
MAX_FIELD_BYTES = 4_096
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_BOOLS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False,
          "off": False, "": False}


class UploadError(ValueError):
    """A bad upload request: answered 400 ``BAD_USER_INPUT`` with this message."""


@dataclass
class StoredFile:
    """One uploaded file part: its form ``part`` name, where it was stored, its size in bytes."""

    part: str
    path: Path
    size: int = 0


def safe_name(filename: str, fallback: str) -> str:
    """The client's file name reduced to a safe base name (no directories, no leading dot,
    ``[A-Za-z0-9._-]`` only, at most 100 characters), or ``fallback`` if nothing is left."""
    base = re.split(r"[\\/]", filename)[-1]
    name = _UNSAFE.sub("_", base).lstrip(".")[:100]
    return name if name.strip("_") else fallback


@dataclass
class MultipartUpload:
    """A streaming ``multipart/form-data`` parser: text fields to memory (each at most
    :data:`MAX_FIELD_BYTES`), file parts to ``directory/<n>/<safe name>`` as they arrive (so two
    files of the same name never collide and the reject report names the client's file).
    ``write(chunk)`` per body chunk, then ``finish()``. Raises :class:`UploadError`."""

    boundary: bytes
    directory: Path
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)
    complete: bool = False

    def __post_init__(self) -> None:
        self._headers: dict[str, str] = {}
        self._hfield, self._hvalue = bytearray(), bytearray()
        self._name: str | None = None
        self._text: bytearray | None = None
        self._file: StoredFile | None = None
        self._fh: BinaryIO | None = None
        self._texts = 0
        try:
            self._parser = MultipartParser(self.boundary, callbacks={
                "on_part_begin": self._part_begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
                "on_part_end": self._part_end, "on_end": self._end,
            })
        except FormParserError as exc:
            raise UploadError(f"bad multipart body: {exc}") from None

    def write(self, chunk: bytes) -> None:
        """Feed one chunk of the request body."""
        try:
            self._parser.write(chunk)
        except FormParserError as exc:
            raise UploadError(f"bad multipart body: {exc}") from None

    def finish(self) -> None:
        """End of body: raises :class:`UploadError` if the multipart document was cut short."""
        self.close()
        if not self.complete:
            raise UploadError("bad multipart body: it ends before its closing boundary")

    def close(self) -> None:
        """Close a file left open by a body that ended early."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    # -- parser callbacks ------------------------------------------------------------------------
    def _part_begin(self) -> None:
        self._headers, self._name, self._text, self._file = {}, None, None, None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._hfield += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._hvalue += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._hfield.decode("latin-1").lower()] = self._hvalue.decode("latin-1")
        self._hfield, self._hvalue = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise UploadError("every multipart part needs Content-Disposition: form-data; name=...")
        self._name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            self._texts += 1
            if self._texts > MAX_TEXT_FIELDS:
                raise UploadError(f"at most {MAX_TEXT_FIELDS} form fields")
            self._text = bytearray()
            return
        if len(self.files) >= MAX_FILES:
            raise UploadError(f"at most {MAX_FILES} files per upload")
        filename = options[b"filename"].decode("utf-8", "replace")
        slot = self.directory / str(len(self.files) + 1)
        slot.mkdir(parents=True)
        self._file = StoredFile(self._name, slot / safe_name(filename, self._name), 0)
        self._fh = self._file.path.open("wb")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._fh is not None and self._file is not None:
            self._fh.write(data[start:end])
            self._file.size += end - start
        elif self._text is not None:
            self._text += data[start:end]
            if len(self._text) > MAX_FIELD_BYTES:
                raise UploadError(f"form field {self._name!r} is over {MAX_FIELD_BYTES} bytes")

    def _part_end(self) -> None:
        if self._fh is not None and self._file is not None:
            self.close()
            self.files.append(self._file)
        elif self._text is not None and self._name is not None:
            try:
                value = self._text.decode("utf-8")
            except UnicodeDecodeError:
                raise UploadError(f"form field {self._name!r} is not UTF-8") from None
            self.fields.setdefault(self._name, []).append(value)

    def _end(self) -> None:
        self.complete = True


@dataclass(frozen=True)
class LoadRequest:
    """A checked upload: what :meth:`LoadJobs.start` needs."""

    kind: str
    paths: list[Path | None]
    mapping: Path | None
    tlp: str
    shared_with: tuple[str, ...]
    dry_run: bool


def _one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name) or []
    if len(values) > 1:
        raise UploadError(f"form field {name!r} given {len(values)} times; give it once")
    return values[0].strip() if values else None


def check_request(fields: dict[str, list[str]], files: list[StoredFile]) -> LoadRequest:
    """Validate the form of an upload (see the module docstring); raises :class:`UploadError`."""
    unknown = sorted(set(fields) - set(TEXT_FIELDS))
    if unknown:
        raise UploadError(f"unknown form field(s) {unknown}; fields: {', '.join(TEXT_FIELDS)}")
    kind = _one(fields, "kind")
    if kind not in FILE_PARTS:
        raise UploadError(f"kind must be one of {', '.join(FILE_PARTS)}; got {kind!r}")
    allowed = FILE_PARTS[kind]
    # A browser sends an empty, nameless part for a file input left empty: not a file.
    files = [f for f in files if f.size or f.path.name != f.part]
    stray = sorted({f.part for f in files} - set(allowed))
    if stray:
        raise UploadError(f"kind {kind} takes file part(s) {', '.join(allowed)}; not {stray}")
    by_part = {part: [f.path for f in files if f.part == part] for part in allowed}
    if kind == "ofac":
        for part in allowed:
            if len(by_part[part]) > 1:
                raise UploadError(f"one {part} file at most")
        if not by_part["sdn"]:
            raise UploadError("kind ofac needs an sdn file part (OFAC sdn.csv); add and alt are optional")
        paths: list[Path | None] = [(by_part[p] or [None])[0] for p in allowed]
    else:
        if not by_part["file"]:
            raise UploadError(f"kind {kind} needs at least one file part named 'file'")
        paths = list(by_part["file"])
    mapping_name = _one(fields, "mapping")
    mapping: Path | None = None
    if kind == "csv":
        shipped = shipped_mappings()
        if not mapping_name:
            raise UploadError(f"kind csv needs a mapping: one of {', '.join(shipped)}")
        if mapping_name not in shipped:
            raise UploadError(f"unknown mapping {mapping_name!r}; one of {', '.join(shipped)}")
        mapping = shipped[mapping_name]
    elif mapping_name:
        raise UploadError("mapping is only for kind csv")
    try:
        tlp = normalise_tlp(_one(fields, "tlp") or "AMBER")
    except ValueError as exc:
        raise UploadError(f"tlp {exc}") from None
    try:
        shared = parse_shared_with(fields.get("sharedWith") or [])
    except ValueError as exc:
        raise UploadError(f"sharedWith: {exc}") from None
    flag = (_one(fields, "dryRun") or "").lower()
    if flag not in _BOOLS:
        raise UploadError(f"dryRun must be true or false; got {flag!r}")
    return LoadRequest(kind, paths, mapping, tlp, shared, _BOOLS[flag])


# -- HTTP ----------------------------------------------------------------------------------------
def _error(request: Request, status: int, code: str, message: str) -> Response:
    rid = getattr(request.state, "request_id", None) or ""
    return Response(error_body(code, message, rid), status_code=status, media_type="application/json")


def _audit_sink(request: Request) -> AuditSink | None:
    runtime = getattr(request.app.state, "security", None)
    return getattr(runtime, "audit", None)


def _audit(request: Request, principal: Principal | None, operation: str, arguments: dict[str, Any],
           outcome: str) -> None:
    sink = _audit_sink(request)
    if sink is None:
        return
    try:
        sink.record(principal, operation, arguments, None, kind="load", outcome=outcome,
                    request_id=getattr(request.state, "request_id", None))
    except OSError:  # a refusal stands even if the log cannot be written
        log.exception("audit write failed (request %s)", getattr(request.state, "request_id", None))


def _view(job: LoadJob) -> dict[str, Any]:
    view = job.as_dict()
    href = f"{LOADS_PATH}/{job.id}"
    view.update(href=href, rejectsHref=f"{href}/rejects")
    if view["summary"] is not None:
        view["summary"]["reject_report"] = view["rejectsHref"]  # not the server's path
    return view


def _end_auditor(sink: AuditSink | None, principal: Principal, request_id: str | None
                 ) -> Callable[[LoadJob], None]:
    def record(job: LoadJob) -> None:
        if sink is None:
            return
        s = job.summary
        counts = {"rowsRead": s.rows_read, "rowsLoaded": s.rows_loaded, "rowsRejected": s.rows_rejected,
                  "nodesWritten": s.nodes_written, "relationshipsWritten": s.relationships_written,
                  "unresolved": s.unresolved,
                  # hits on other agencies' restricted data met by this load (hit / no-hit rule)
                  "restricted": s.restricted,
                  "restrictedIds": job.restricted_ids[:100],
                  "nodesDeleted": s.nodes_deleted, "relationshipsDeleted": s.relationships_deleted,
                  "nodesRetracted": s.nodes_retracted, "relationshipsRetracted": s.relationships_retracted,
                  } if s else {"rowsRead": job.rows, "rowsRejected": job.rejected}
        sink.record(principal, f"load.{job.state}",
                    {"job": job.id, "kind": job.kind, "mapping": job.mapping, "dryRun": job.dry_run,
                     **counts, "error": job.error},
                    s.rows_loaded if s else None, kind="load", outcome="ok" if job.state == "done" else "error",
                    request_id=request_id)

    return record


def _hit_auditor(sink: AuditSink | None, principal: Principal, request_id: str | None
                 ) -> Callable[[LoadJob, list[tuple[str, str]]], None]:
    """The owners' trail gets each chunk of the job's hits on their data as the load meets them,
    before the refusals show in the reject report (so a crash never shows an unaudited hit)."""
    def record(job: LoadJob, pairs: list[tuple[str, str]]) -> None:
        audit_hits(sink, principal, "load", [RestrictedHit(agency=o, id=i) for i, o in pairs],
                   {"job": job.id}, request_id=request_id)

    return record


#: In each upload directory: the pid of the API worker whose job it is.
OWNER_FILE = "worker.pid"


def sweep_orphaned_uploads(uploads: Path) -> list[str]:
    """Delete the upload directories (uploaded files and reject reports, raw rows included) of
    jobs whose API worker is gone (restarted, killed): nobody can poll or finish them any more.
    Directories of live workers are left alone (``lintas serve --workers N`` share ``uploads``).
    Returns the job ids removed."""
    removed: list[str] = []
    if not uploads.is_dir():
        return removed
    for directory in uploads.iterdir():
        try:
            pid = int((directory / OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            pid = None  # no owner recorded (older layout) or unreadable: orphaned
        if pid is not None and (pid == os.getpid() or pid_alive(pid)):
            continue
        shutil.rmtree(directory, ignore_errors=True)
        removed.append(directory.name)
    if removed:
        log.info("removed %d upload directories of load jobs whose worker is gone", len(removed))
    return removed


def install_load_jobs(app: FastAPI, settings: Settings,
                      store_of: Callable[[FastAPI], Awaitable[GraphStore]]) -> LoadJobs:
    """Mount the ``/loads`` routes on ``app`` and keep their :class:`LoadJobs` on
    ``app.state.load_jobs``. ``store_of(app)``: the app's open store (raises ``StoreError``).
    The caller gates :data:`LOADS_PATH` (``install_security(upload_paths=...)``)."""
    jobs = LoadJobs(settings=settings)
    app.state.load_jobs = jobs
    uploads = Path(settings.data_dir) / "uploads"
    sweep_orphaned_uploads(uploads)
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
        job_id = LoadJobs.new_id()
        directory = uploads / job_id
        upload = MultipartUpload(options[b"boundary"], directory / "files")
        started = False
        try:
            directory.mkdir(parents=True)
            (directory / OWNER_FILE).write_text(str(os.getpid()))  # so a later start can sweep it
            async for chunk in request.stream():
                upload.write(chunk)
            upload.finish()
            req = check_request(upload.fields, upload.files)
            store = None if req.dry_run else await store_of(request.app)
            arguments = {"job": job_id, "kind": req.kind, "mapping": req.mapping.stem if req.mapping else None,
                         "files": [f.path.name for f in upload.files], "bytes": sum(f.size for f in upload.files),
                         "tlp": req.tlp, "sharedWith": list(req.shared_with), "dryRun": req.dry_run}
            sink = _audit_sink(request)
            if sink is not None:  # every start is in the log before the load runs, or it does not run
                sink.record(principal, "load.start", arguments, None, kind="load", outcome="ok",
                            request_id=getattr(request.state, "request_id", None))
            job = jobs.start(
                store, req.kind, req.paths, owner=principal.agency, tlp=req.tlp, mapping=req.mapping,
                reject_report=directory / "rejects.jsonl", shared_with=req.shared_with, dry_run=req.dry_run,
                created_by=principal.subject, job_id=job_id, directory=directory, inputs=directory / "files",
                on_finish=_end_auditor(sink, principal, getattr(request.state, "request_id", None)),
                on_hits=_hit_auditor(sink, principal, getattr(request.state, "request_id", None)),
            )
            started = True
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
            upload.close()
            if not started:  # also on BodyTooLarge and a client that went away: leave nothing behind
                shutil.rmtree(directory, ignore_errors=True)
        href = f"{LOADS_PATH}/{job.id}"
        return JSONResponse({"id": job.id, "state": job.state, "href": href}, status_code=202,
                            headers={"Location": href})

    @router.get("")
    async def list_loads(request: Request) -> Response:
        """``{"jobs": [...]}``: the caller's agency's jobs, newest first (an admin's: every job)."""
        principal = caller(request, "load.list", {}, STATUS_ROLES, STATUS_REFUSAL)
        if isinstance(principal, Response):
            return principal
        owner = None if principal.has_role("admin") else principal.agency
        return JSONResponse({"jobs": [_view(j) for j in jobs.list(owner)]})

    def job_for(request: Request, job_id: str, operation: str, roles: frozenset[str], refusal: str
                ) -> LoadJob | Response:
        """The caller's job ``job_id``, or the refusal to send (401/403 for ``roles``, or 404 if not
        their agency's)."""
        principal = caller(request, operation, {"job": job_id[:64]}, roles, refusal)
        if isinstance(principal, Response):
            return principal
        job = jobs.get(job_id)
        if job is None or not (job.owner == principal.agency or principal.has_role("admin")):
            _audit(request, principal, operation, {"job": job_id[:64]}, "error:NOT_FOUND")
            return _error(request, 404, "NOT_FOUND", f"no load job {job_id[:64]!r}")
        return job

    @router.get("/{job_id}")
    async def load_status(request: Request, job_id: str) -> Response:
        """The job's state, progress, summary and error (module docstring); 404 if not your agency's."""
        job = job_for(request, job_id, "load.status", STATUS_ROLES, STATUS_REFUSAL)
        if isinstance(job, Response):
            return job
        return JSONResponse(_view(job))

    @router.get("/{job_id}/rejects")
    async def load_rejects(request: Request, job_id: str) -> Response:
        """The reject report, JSON lines ``{"file", "line", "reason", "raw"}`` (loader, admin); 404 if
        not your agency's."""
        job = job_for(request, job_id, "load.rejects", WRITER_ROLES, REJECTS_REFUSAL)
        if isinstance(job, Response):
            return job
        path = job.reject_report
        if path is None or not path.exists():
            return Response(b"", media_type="application/x-ndjson")
        size = path.stat().st_size

        async def lines() -> AsyncIterator[bytes]:
            with path.open("rb") as fh:
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
