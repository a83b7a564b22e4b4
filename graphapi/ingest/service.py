"""Ingest services for the API: small record batches (GraphQL ``ingest(records)``) and file load
jobs (HTTP upload) whose progress can be polled. The GraphQL and HTTP layers stay thin and call
these; they get plain dataclasses back.

Records from partner systems go through the same path as the bulk loaders: every value is cleaned
by the ontology's value type (``graphapi.ontology.types``), ids come from the natural keys
(``Model.node_id``), the identifier guard applies the exclusion list and the circuit breaker, and
the writer merges provenance. A bad record is a rejection (index + reason), never an exception.

Input record shape (JSON-ready dicts)::

    {"kind": "node", "label": "Phone", "properties": {"number": "081 234 5678"},
     "hints": {"country": "TH"}, "key": "optional caller-side reference"}
    {"kind": "relationship", "type": "CALLED", "from": <ref>, "to": <ref>,
     "properties": {"at": "2026-03-01T10:00:00+07:00", "durationS": 30}, "discriminator": "cdr-1"}

where ``<ref>`` is a Lintas node id or the ``key`` of a node record in the same batch.
"""

from __future__ import annotations

import asyncio
import csv
import logging
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphapi.ingest.pipeline import LoadSummary, run_load
from graphapi.ingest.readers.base import Item, ReadStats
from graphapi.ingest.record_shape import record_problem
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ingest.writer import Provenance
from graphapi.ontology import Model, OntologyError, load_model
from graphapi.ontology.ids import canonical_id
from graphapi.ontology.types import get_type
from graphapi.store.base import GraphStore

#: Most records one ``ingest(records)`` call accepts; bigger loads go through a file job.
MAX_RECORDS = 5_000

log = logging.getLogger("graphapi.ingest")


@dataclass
class IngestResult:
    """Outcome of :func:`ingest_records`: ``ids`` per accepted input index, rejections by index."""

    accepted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    ids: dict[int, str] = field(default_factory=dict)
    summary: LoadSummary | None = None


class _ListReader:
    """Adapts already-built items to the reader protocol (one input record = one row)."""

    def __init__(self, items: list[Item], rows: int, rejected: int) -> None:
        self._items = items
        self.stats = ReadStats(rows=rows, rejected=rejected)

    def records(self) -> Iterator[Item]:
        yield from self._items


#: Properties the loader itself keeps (merge bookkeeping, derived text, the circuit breaker's
#: flag): a partner record may not set them (a forged conflict would read as another source's).
_LOADER_KEPT = frozenset({"id", "conflicts", "caption", "searchText", "unresolved", "quarantined"})


def _clean_props(model: Model, props_spec: dict[str, Any], raw: dict[str, Any], hints: dict[str, Any],
                 what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in (raw or {}).items():
        prop = props_spec.get(name)
        if prop is None or prop.internal or name in _LOADER_KEPT:
            raise OntologyError(f"{what} has no property {name!r}")
        extra = {"values": prop.values} if prop.type == "enum" else {}
        vtype = get_type(prop.type)
        if prop.multiple:
            values = value if isinstance(value, list) else [value]
            cleaned = [vtype.clean(v, **hints, **extra) for v in values]
            if any(c is None for c in cleaned):
                raise OntologyError(f"{what}.{name}: invalid {prop.type} value in {values!r}")
            out[name] = list(dict.fromkeys(cleaned))
        else:
            cleaned = vtype.clean(value, **hints, **extra)
            if cleaned is None:
                raise OntologyError(f"{what}.{name}: invalid {prop.type} value {value!r}")
            out[name] = cleaned
    return out


def build_records(records: list[dict[str, Any]], source: str, model: Model | None = None
                  ) -> tuple[list[Item], dict[int, str]]:
    """Validate and normalise input dicts into records; returns ``(items, ids by index)``.

    Items include a :class:`Rejection` (``file`` = ``"request"``, ``line`` = 1-based index) for
    each bad record: first its shape (:func:`graphapi.ingest.record_shape.record_problem`), then
    its label or type, values and keys.
    """
    model = model or load_model()
    items: list[Item] = []
    ids: dict[int, str] = {}
    keys: dict[str, str] = {}
    for i, rec in enumerate(records, start=1):
        origin = Origin(source, "request", i)
        problem = record_problem(rec, model)
        if problem is not None:  # unreadable or misread as it stands: its values are not cleaned
            items.append(Rejection("request", i, problem, rec))
            continue
        try:
            kind = rec.get("kind") or ("relationship" if "type" in rec else "node")
            hints = dict(rec.get("hints") or {})
            if kind == "node":
                lb = model.label(str(rec.get("label")))
                if lb.abstract:
                    raise OntologyError(f"label {lb.name} is abstract")
                props = _clean_props(model, lb.properties, rec.get("properties") or {}, hints, lb.name)
                if lb.key == ("id",):
                    if not rec.get("id"):
                        raise OntologyError(f"{lb.name} needs an id")
                    node_id = canonical_id(rec["id"])  # trimmed, NFC: as every loader does
                else:
                    node_id = model.node_id(lb.name, props)
                missing = [p.name for p in lb.properties.values() if p.required and p.name not in props
                           and p.name != "id"]
                if missing:
                    raise OntologyError(f"{lb.name} lacks {missing}")
                if rec.get("key"):
                    keys[str(rec["key"])] = node_id
                ids[i] = node_id
                items.append(NodeRecord(lb.name, node_id, props, origin))
            elif kind == "relationship":
                rt = model.relationship(str(rec.get("type")))
                if not rec.get("from") or not rec.get("to"):
                    raise OntologyError(f"{rt.name} needs from and to")
                start = keys.get(rec["from"]) or canonical_id(rec["from"])
                end = keys.get(rec["to"]) or canonical_id(rec["to"])
                props = _clean_props(model, rt.properties, rec.get("properties") or {}, hints, rt.name)
                rid = model.relationship_id(rt.name, start, end, str(rec.get("discriminator") or ""))
                ids[i] = rid
                items.append(EdgeRecord(rt.name, rid, start, end, props, origin))
            else:
                raise OntologyError(f"unknown record kind {kind!r}")
        except (OntologyError, TypeError, ValueError) as exc:
            items.append(Rejection("request", i, str(exc), rec))
    return items, ids


async def ingest_records(store: GraphStore, records: list[dict[str, Any]], *, source: str, owner: str,
                         tlp: str = "AMBER", shared_with: tuple[str, ...] = (), dry_run: bool = False
                         ) -> IngestResult:
    """Validate, normalise and write a small batch of records (GraphQL ``ingest(records)``).

    ``owner`` should be the calling principal's agency. Raises ``ValueError`` for more than
    :data:`MAX_RECORDS` records or a bad ``tlp``; per-record problems are rejections.
    """
    if len(records) > MAX_RECORDS:
        raise ValueError(f"at most {MAX_RECORDS} records per call; upload a file instead")
    items, ids = build_records(records, source)
    bad = [r for r in items if isinstance(r, Rejection)]
    reader = _ListReader(items, rows=len(records), rejected=len(bad))
    summary = await run_load(None if dry_run else store, reader, source=source, dry_run=dry_run,
                             provenance=Provenance(owner=owner, tlp=tlp, shared_with=shared_with),
                             checkpoint=False,  # small batches: the server's own AOF policy suffices
                             viewer=owner)
    # What the writer refused (merging into what the caller may not see) or could not link
    # (an endpoint missing, or one the caller may not see: the same answer) is a rejection too.
    rejected = {r.line: r.reason for r in bad}
    for r in [*summary.rejections, *summary.unlinked]:
        if r.file == "request":
            rejected.setdefault(r.line, r.reason)
    return IngestResult(accepted=len(records) - len(rejected), rejected=sorted(rejected.items()),
                        ids={k: v for k, v in ids.items() if k not in rejected},
                        summary=summary)


# -- file load jobs ------------------------------------------------------------------------------
#: Job states, in order; ``done`` and ``failed`` are final.
JOB_STATES = ("queued", "running", "done", "failed")
#: Finished jobs one :class:`LoadJobs` keeps (oldest evicted first, with their directories).
KEEP_FINISHED = 200


def _now() -> str:
    """Now, ISO 8601 UTC to the millisecond with a ``Z`` suffix (as the audit log writes it)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _job_error(exc: BaseException, directory: Path | None) -> str:
    """What a poller may read about a failed load: no stack, no server paths."""
    from graphapi.errors import LintasError, public_error
    from graphapi.store.errors import StoreError

    if isinstance(exc, UnicodeDecodeError):
        return "a file is not UTF-8 text"
    if isinstance(exc, LintasError | StoreError) or not isinstance(exc, ValueError | csv.Error):
        return public_error(exc)[1]
    text = str(exc)
    return text.replace(str(directory), "") if directory is not None else text


@dataclass
class LoadJob:
    """A file load running in the API process.

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
    mapping: str | None = None
    files: list[str] = field(default_factory=list)
    state: str = "queued"
    rows: int = 0
    rejected: int = 0
    error: str | None = None
    summary: LoadSummary | None = None
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    reject_report: Path | None = field(default=None, repr=False)
    directory: Path | None = field(default=None, repr=False)
    task: asyncio.Task | None = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        """True once the job is ``done`` or ``failed``."""
        return self.state in ("done", "failed")

    def as_dict(self) -> dict[str, Any]:
        """Poll view: ``{id, kind, state, rows, rejected, error, summary}`` (``summary`` is
        :meth:`LoadSummary.as_dict`, ``None`` until done) plus ``owner``, ``createdBy``, ``tlp``,
        ``sharedWith``, ``dryRun``, ``mapping``, ``files``, ``createdAt``, ``startedAt``,
        ``finishedAt``."""
        return {"id": self.id, "kind": self.kind, "state": self.state, "rows": self.rows,
                "rejected": self.rejected, "error": self.error,
                "summary": self.summary.as_dict() if self.summary else None,
                "owner": self.owner, "createdBy": self.created_by, "tlp": self.tlp,
                "sharedWith": list(self.shared_with), "dryRun": self.dry_run, "mapping": self.mapping,
                "files": list(self.files), "createdAt": self.created_at, "startedAt": self.started_at,
                "finishedAt": self.finished_at}


class LoadJobs:
    """In-process registry of file load jobs (one per API worker; jobs are lost on restart, and a
    rerun of the same file is idempotent).

    A job that reads rows and loads none of them (every row rejected: the wrong mapping or file,
    most likely) ends ``failed`` with :attr:`ALL_REJECTED`, its summary and reject report kept,
    as ``lintas load`` exits 1 for the same file, dry run or not.

    A job given a ``directory`` owns it: its ``inputs`` (a directory) are deleted when the job
    ends, the reject report stays for polling, and the whole directory goes when the job is
    evicted: past ``keep`` finished jobs, the oldest finished first.
    """

    #: A job's error when it read rows and loaded none (dry run or not; the CLI exits 1 then too).
    ALL_REJECTED = "every row read was rejected; nothing loaded"

    def __init__(self, *, keep: int = KEEP_FINISHED) -> None:
        self._jobs: dict[str, LoadJob] = {}
        self.keep = keep

    @staticmethod
    def new_id() -> str:
        """A fresh job id: 32 hex digits of ``uuid4`` (not guessable, so ids reveal nothing)."""
        return uuid.uuid4().hex

    def start(self, store: GraphStore | None, kind: str, paths: list[Path], *, owner: str,
              tlp: str = "AMBER", mapping: str | Path | None = None, source: str | None = None,
              reject_report: Path | None = None, shared_with: tuple[str, ...] = (),
              dry_run: bool = False, created_by: str | None = None, job_id: str | None = None,
              directory: Path | None = None, inputs: Path | None = None,
              on_finish: Callable[[LoadJob], None] | None = None) -> LoadJob:
        """Start loading ``paths`` (kind ``ofac`` [sdn, add, alt: ``None`` for a missing one],
        ``ftm`` or ``csv`` with ``mapping``) in the background; returns the job at once.

        ``dry_run`` reads and validates without writing (``store`` may then be ``None``).
        ``source``: the dataset id stamped on what the job writes; by default the loader's own
        (``ofac-sdn``, ``ftm``, the mapping's) followed by ``@<owner>``, so that two agencies'
        uploads of one kind are two sources (a DEL withdraws only its own agency's assertions).
        ``on_finish(job)`` is called once the job is done or failed (e.g. to audit it).
        Raises ``ValueError`` (or ``MappingError``, a ``ValueError``) for a bad kind or mapping.
        """
        reader, src = make_reader(kind, paths, mapping=mapping, source=source, agency=owner)
        job = LoadJob(id=job_id or self.new_id(), kind=kind, owner=owner, created_by=created_by, tlp=tlp,
                      shared_with=tuple(shared_with), dry_run=dry_run,
                      mapping=Path(mapping).stem if mapping else None,
                      files=[p.name for p in paths if p is not None], reject_report=reject_report,
                      directory=directory)
        self._jobs[job.id] = job

        def progress(stats: ReadStats) -> None:
            job.rows, job.rejected = stats.rows, stats.rejected

        async def run() -> None:
            job.state, job.started_at = "running", _now()
            try:
                job.summary = await run_load(
                    None if dry_run else store, reader, source=src, progress=progress, dry_run=dry_run,
                    provenance=Provenance(owner=owner, tlp=tlp, shared_with=tuple(shared_with)),
                    reject_report=reject_report, viewer=owner)
                if job.summary.rows_read and not job.summary.rows_loaded:  # as `lintas load` exits 1
                    job.state, job.error = "failed", self.ALL_REJECTED
                else:
                    job.state = "done"
            except asyncio.CancelledError:
                job.state, job.error = "failed", "cancelled: the server shut down; upload the file again"
                raise
            except Exception as exc:  # reported to the poller; a rerun resumes
                log.exception("load job %s failed", job.id)
                job.state, job.error = "failed", _job_error(exc, directory)
            finally:
                job.finished_at = _now()
                if inputs is not None:
                    shutil.rmtree(inputs, ignore_errors=True)
                if on_finish is not None:
                    try:
                        on_finish(job)
                    except Exception:  # the job's outcome stands even if, e.g., the audit write fails
                        log.exception("on_finish of load job %s failed", job.id)
                self._evict()

        job.task = asyncio.get_running_loop().create_task(run())
        return job

    def get(self, job_id: str) -> LoadJob | None:
        """The job with ``job_id``, or ``None``."""
        return self._jobs.get(job_id)

    def list(self, owner: str | None = None) -> list[LoadJob]:
        """Jobs newest first; only those of agency ``owner`` when given."""
        return [j for j in reversed(self._jobs.values()) if owner is None or j.owner == owner]

    def _evict(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished]  # in start order
        for job in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[job.id]
            if job.directory is not None:
                shutil.rmtree(job.directory, ignore_errors=True)

    async def close(self) -> None:
        """Cancel running jobs (app shutdown); they end ``failed`` and their inputs are deleted."""
        tasks = [j.task for j in self._jobs.values() if j.task is not None and not j.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def shipped_mappings() -> dict[str, Path]:
    """The CSV mappings shipped in ``seed/mappings``: name (file stem, e.g. ``cdr``) -> path.
    The HTTP upload accepts only these names, never a path."""
    from graphapi.ingest.readers.mapped_csv import MAPPINGS

    return {p.stem: p for p in sorted(MAPPINGS.glob("*.yaml"))}


def make_reader(kind: str, paths: list[Path], *, mapping: str | Path | None = None, source: str | None = None,
                agency: str | None = None):
    """``(reader, source id)`` for a loader kind: ``ofac`` (paths: sdn[, add[, alt]], ``None`` for
    a missing one), ``ftm``, ``csv`` (needs ``mapping``: a path, or a name in ``seed/mappings``).
    Without ``source`` the loader's own is used (``ofac-sdn``, ``ftm``, the mapping's), followed by
    ``@<agency>`` when ``agency`` is given. Raises ``ValueError`` for anything else
    (``MappingError`` for a bad mapping)."""

    def own(default: str) -> str:
        return source or (f"{default}@{agency}" if agency else default)

    if kind == "ofac":
        from graphapi.ingest.readers.ofac import SOURCE, read_ofac

        src = own(SOURCE)
        return read_ofac(*paths[:3], source=src), src
    if kind == "ftm":
        from graphapi.ingest.readers.ftm import SOURCE as FTM
        from graphapi.ingest.readers.ftm import FtmReader

        src = own(FTM)
        return FtmReader(paths, source=src), src
    if kind == "csv" and mapping:
        from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping

        loaded = load_mapping(mapping)
        src = own(loaded.source)
        return MappedCsvReader(loaded, paths, source=src), src
    raise ValueError(f"unknown load kind {kind!r} (ofac, ftm, csv with a mapping)")


async def load_demo_samples(store: GraphStore, *, owner: str = "partner", tlp: str = "GREEN") -> list[LoadSummary]:
    """Load the four SYNTHETIC sample feeds of ``seed/samples`` (for ``lintas demo``)."""
    from graphapi.ingest.readers.mapped_csv import MAPPINGS, MappedCsvReader, load_mapping
    from graphapi.ingest.synthetic import FEEDS

    samples = MAPPINGS.parent / "samples"
    out = []
    for feed in FEEDS:
        reader = MappedCsvReader(load_mapping(feed), [samples / f"{feed}.synthetic.csv"])
        out.append(await run_load(store, reader, source=reader.source,
                                  provenance=Provenance(owner=owner, tlp=tlp)))
    return out
