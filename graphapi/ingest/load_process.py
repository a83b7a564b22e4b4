"""A file load job in a process of its own, so the API worker's event loop keeps serving requests.

Reading and cleaning a file is pure Python. On the event loop, one big FtM file kept every other
request of the worker waiting (27 s for one GraphQL request, measured). A thread keeps the loop
turning (measured: 23 ms longest stall while a thread read 3,000 entities), but shares the
worker's one GIL with every request and cannot be stopped when the server shuts down; a process
has its own CPU and is stopped with the server. :func:`run_load_process` starts ``python -m
graphapi.ingest.load_process``, which opens the same store (the embedded store is shared by
processes, README "Several processes share one embedded store"; Neo4j through its own driver),
runs :func:`graphapi.ingest.pipeline.run_load` and reports back.

Protocol: the job (:class:`LoadSpec` as one JSON line, with the store's connection and any secret
in it) on the child's stdin, never its command line; JSON lines on its stdout: ``{"pid"}`` first,
then ``{"rows", "rejected"}`` as it reads, and the hits on other agencies' data as the writer meets
them, batch by batch, as ``{"hits": [[id, owner], ...]}`` lines of at most :data:`HITS_PER_LINE`
pairs (a load can meet tens of thousands: in one line they outgrew the reader's line limit and
failed the job), then ``{"summary", "restrictedIds"}`` or ``{"error"}`` (a message fit for the
poller: no stack, no server path). Anything else the child prints goes to its stderr, which is the
API's (the server log gets the child's stack traces).

Hits are audited before they show: the API answers each ``{"hits"}`` line with ``ok`` on the
child's stdin once it has handed the hits to ``met`` (the owners' audit), and the child waits for
that before it goes on, so a refusal naming a hidden item reaches the reject report (what the
uploader reads) only after its owner's audit entry is written. A child killed at any moment
(``kill -9``) leaves its hit lines in the pipe, and the API audits them; an API that stops
answering (EOF on stdin) fails the load before any unaudited refusal is written. The API charges
the hits to the uploader's lookup budget first (:func:`graphapi.security.hits.charge_load_hits`) and
answers ``spent`` instead of ``ok`` when it does not cover them: the child then stops with
:data:`BUDGET_SPENT` before they reach the reject report.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import dataclasses
import inspect
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapi.ingest.load_summary import LoadSummary
from graphapi.process_lifetime import PARENT_ENV, close_inherited_descriptors, die_with_the_parent_named_in
from graphapi.store.base import GraphStore

log = logging.getLogger("graphapi.ingest")

#: Seconds a cancelled job's process gets to stop on SIGTERM before it is killed.
STOP_GRACE_S = 5.0
#: Reasons of the writer's refusals that are hits on another agency's data (audited by id).
HIT_REASONS = ("restricted:", "would disclose")
#: Hit pairs per protocol line: ~50 bytes each, so a line stays far under :data:`LINE_LIMIT`.
HITS_PER_LINE = 500
#: Bytes of one protocol line the API reads at most (asyncio's default, 64 KiB, is a safety margin
#: too small for a summary); a longer line fails the job with :data:`UNREADABLE`.
LINE_LIMIT = 16 << 20
#: The job's error when the process's report cannot be read (the details go to the server log).
UNREADABLE = "the load process sent a report that could not be read; see the server log"
#: The API's answer on the child's stdin to each ``{"hits"}`` line, once the hits are audited.
ACK = b"ok\n"
#: The API's answer instead when the uploader's lookup budget does not cover the hits: the child
#: stops before any of them reaches the reject report (:data:`BUDGET_SPENT`).
SPENT = b"spent\n"
#: The job's error then.
BUDGET_SPENT = ("lookup budget exhausted: this load met more of other agencies' restricted items than the "
                "uploader's hourly lookup budget covers; it stopped there (what it wrote stays) and answers no "
                "more of them. Its rows and rejected say what it read up to the stop: every write batch of them "
                "is in the graph but for the rows of the last that met such items (in no count), and the "
                "reader's rejects are in the reject report; the rows past them were not read. Load the file "
                "again when the budget has refilled (what is in the graph converges), or ask an admin for a "
                "budget sized for bulk loads")


class LookupBudgetSpent(ValueError):
    """The API answered :data:`SPENT`: the load stops (a ``ValueError``: its message goes to the poller)."""


class LoadProcessError(RuntimeError):
    """The load failed in its process; the message is the one to show the poller."""


def hit_messages(hits: list[tuple[str, str]] | list[list[str]]) -> list[dict[str, Any]]:
    """The ``{"hits": [...]}`` protocol lines carrying ``hits``, :data:`HITS_PER_LINE` pairs each."""
    return [{"hits": [list(h) for h in hits[i:i + HITS_PER_LINE]]} for i in range(0, len(hits), HITS_PER_LINE)]


async def read_reports(stdout: asyncio.StreamReader, *, progress: Callable[[int, int], None] | None = None,
                       started: Callable[[int], None] | None = None,
                       met: Callable[[list[tuple[str, str]]], Awaitable[None] | None] | None = None,
                       ) -> dict[str, Any] | None:
    """Read the child's protocol lines from ``stdout`` until its end; returns the last
    ``{"summary"}`` or ``{"error"}`` message (``None`` if none came). ``met(pairs)`` gets each
    chunk of hits as it arrives, so the owners' audit has them even if the job then fails.
    Raises :class:`LoadProcessError` (:data:`UNREADABLE`) for a line past the reader's limit."""
    result: dict[str, Any] | None = None
    while True:
        try:
            line = await stdout.readline()
        except ValueError:  # asyncio's "chunk is longer than limit": internal, never shown
            log.exception("load process: a report line past the reader's limit")
            raise LoadProcessError(UNREADABLE) from None
        if not line:
            return result
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if not isinstance(message, dict):  # not the protocol: to the log, never fatal
            log.warning("load process: %r", line[:200])
        elif "pid" in message and started is not None:
            started(message["pid"])
        elif "rows" in message and progress is not None:
            progress(message["rows"], message["rejected"])
        elif "hits" in message:
            if met is not None:
                answered = met([(str(i), str(o)) for i, o in message["hits"]])
                if inspect.isawaitable(answered):  # it charges the lookup budget first
                    await answered
        elif "summary" in message or "error" in message:
            result = message


@dataclass(frozen=True)
class LoadSpec:
    """One load job: what :func:`graphapi.ingest.load_kinds.make_reader` and ``run_load`` need.
    ``store``: :func:`store_connection` of the store to write to (``None`` for a dry run);
    ``directory``: the job's directory, cut from error messages."""

    kind: str
    paths: list[str | None]
    source: str
    owner: str
    tlp: str = "AMBER"
    shared_with: list[str] = field(default_factory=list)
    mapping: str | None = None
    dry_run: bool = False
    replace: bool = False
    tz: str | None = None
    #: the uploader holds victim-data (else another agency's victims are hidden from the load)
    victim_data: bool = False
    reject_report: str | None = None
    #: the report's bytes at most (graphapi.ingest.reject_report); None: unbounded
    reject_report_limit: int | None = None
    directory: str | None = None
    store: dict[str, Any] | None = None
    #: the gazetteers' node ids (:func:`graphapi.ingest.reference_data.reference_ids`) as the API
    #: read them, so the process need not read and clean the gazetteers again; None: it reads them
    reference_ids: list[str] | None = None


def store_connection(store: GraphStore | None, settings: Any = None) -> dict[str, Any] | None:
    """How another process opens ``store``: ``{"backend": "falkordb", "data_dir", "graph",
    "timeout_ms"}`` for the embedded store (read from the store itself), ``{"backend": "neo4j",
    "uri", "user", "password", "token", "database", "timeout_ms"}`` from the store's own settings,
    else ``settings`` (``Settings``; the environment's if ``None``). Raises ``TypeError`` for a
    store of no known backend."""
    if store is None:
        return None
    dialect = getattr(store, "dialect", None)
    if dialect == "falkordb" and hasattr(store, "data_dir"):
        return {"backend": "falkordb", "data_dir": str(store.data_dir), "graph": store.graph_name,
                "timeout_ms": store.timeout_ms}
    if dialect == "neo4j":
        from graphapi.settings import get_settings

        # the store's own connection settings first: the app's may not name it (a store passed in)
        n = getattr(store, "settings", None) or (settings or get_settings()).neo4j
        token = n.token.get_secret_value() if n.token is not None else None
        return {"backend": "neo4j", "uri": n.uri, "user": n.user, "password": n.password.get_secret_value(),
                "token": token,
                "database": getattr(store, "database", n.database),
                "timeout_ms": round(getattr(store, "timeout_s", 30.0) * 1000)}
    raise TypeError(f"a load job cannot open a {type(store).__name__} in its own process")


async def _open(connection: dict[str, Any]) -> GraphStore:
    from graphapi.settings import Neo4jSettings, Settings
    from graphapi.store import open_store

    if connection["backend"] == "neo4j":
        neo4j = Neo4jSettings(uri=connection["uri"], user=connection["user"], password=connection["password"],
                              token=connection.get("token"), database=connection["database"])
        return await open_store(Settings(neo4j=neo4j, statement_timeout_ms=connection["timeout_ms"]))
    return await open_store(Settings(data_dir=Path(connection["data_dir"]), graph=connection["graph"],
                                     statement_timeout_ms=connection["timeout_ms"], neo4j=Neo4jSettings(uri=None)))


async def _finish_pending(connection: dict[str, Any]) -> None:
    """Finish the retraction batches a killed load process left pending
    (:mod:`graphapi.ingest.pending_retractions`); a failure is logged, the next writer finishes them."""
    from graphapi.ingest.pending_retractions import finish_pending_now

    try:
        store = await _open(connection)
    except Exception:
        log.exception("could not open the store to finish a killed load's retraction")
        return
    try:
        await finish_pending_now(store)
    finally:
        await store.close()


def _summary(fields: dict[str, Any]) -> LoadSummary:
    names = {f.name for f in dataclasses.fields(LoadSummary)} - {"rejections", "unlinked"}
    return LoadSummary(**{k: v for k, v in fields.items() if k in names})


async def run_load_process(spec: LoadSpec, *, progress: Callable[[int, int], None] | None = None,
                           started: Callable[[int], None] | None = None,
                           met: Callable[[list[tuple[str, str]]], Awaitable[bool] | None] | None = None,
                           ) -> tuple[LoadSummary, list[str]]:
    """Run the load ``spec`` in a new process; returns its summary (without the rejection
    lists: they are in the reject report; ``hits`` holds every hit) and the ids of the hits on
    other agencies' data it met. ``started(pid)`` once the process runs; ``progress(rows,
    rejected)`` as it reads; ``met(pairs)`` for each chunk of hits as it arrives (awaited if it is
    a coroutine: False from it, the lookup budget spent, stops the load with :data:`BUDGET_SPENT`).
    Cancelling stops the process (SIGTERM, then SIGKILL after :data:`STOP_GRACE_S`); what it
    wrote stays written, and a rerun converges. Raises :class:`LoadProcessError`."""
    if spec.store is not None and not spec.dry_run and spec.reference_ids is None:
        from graphapi.ingest.reference_data import reference_ids

        spec = dataclasses.replace(spec, reference_ids=await asyncio.to_thread(reference_ids))  # cached after the first
    root = str(Path(__file__).resolve().parents[2])  # this checkout's graphapi, not another one
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
           PARENT_ENV: str(os.getpid())}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "graphapi.ingest.load_process", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, env=env, limit=LINE_LIMIT)
    assert proc.stdin is not None and proc.stdout is not None
    hits: list[tuple[str, str]] = []

    async def collect(pairs: list[tuple[str, str]]) -> None:
        hits.extend(pairs)
        answered = True
        if met is not None:  # the owners' audit (raising stops the child before the hits show), the budget
            outcome = met(pairs)
            answered = (await outcome if inspect.isawaitable(outcome) else outcome) is not False
        if not proc.stdin.is_closing():
            proc.stdin.write(ACK if answered else SPENT)

    try:
        proc.stdin.write(json.dumps(dataclasses.asdict(spec)).encode() + b"\n")
        await proc.stdin.drain()
        result = await read_reports(proc.stdout, progress=progress, started=started, met=collect)
        code = await proc.wait()
    except BaseException:
        await _stop(proc)
        raise
    finally:
        proc.stdin.close()
    if result is None:
        if spec.store is not None and not spec.dry_run:  # killed: what it left half-way is finished now
            await _finish_pending(spec.store)
        raise LoadProcessError(f"the load process ended without a result (exit status {code})")
    if "error" in result:
        raise LoadProcessError(result["error"])
    summary = _summary(result["summary"])
    summary.hits = hits
    return summary, list(result["restrictedIds"])


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), STOP_GRACE_S)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()


def job_error(exc: BaseException, directory: Path | None) -> str:
    """What a poller may read about a failed load: no stack, no server paths."""
    from graphapi.errors import LintasError, public_error
    from graphapi.store.errors import StoreError

    if isinstance(exc, UnicodeDecodeError):
        return "a file is not UTF-8 text"
    if isinstance(exc, LintasError | StoreError) or not isinstance(exc, ValueError | csv.Error):
        return public_error(exc)[1]
    text = str(exc)
    return text.replace(str(directory), "") if directory is not None else text


async def _child(spec: LoadSpec, emit: Callable[[dict[str, Any]], None],
                 acknowledged: Callable[[], str]) -> None:
    from graphapi.ingest.load_kinds import make_reader
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.reference_data import ensure_reference_data
    from graphapi.ingest.writer import Provenance

    emit({"pid": os.getpid()})
    store = reader = None

    async def met(pairs: list[tuple[str, str]]) -> None:
        loop = asyncio.get_running_loop()
        for message in hit_messages(pairs):
            emit(message)
            answer = await loop.run_in_executor(None, acknowledged)
            if answer == SPENT.decode():  # none of them reaches the reject report
                raise LookupBudgetSpent(BUDGET_SPENT)
            if answer != ACK.decode():
                raise LoadProcessError("the API stopped answering before the hits were audited")

    try:
        paths = [Path(p) if p is not None else None for p in spec.paths]
        reader, _ = make_reader(spec.kind, paths, mapping=spec.mapping, source=spec.source, tz=spec.tz)
        store = None if spec.dry_run or spec.store is None else await _open(spec.store)
        if store is not None:  # before a feed names a bank, checkpoint or compound (B1; round 16, R1d)
            await ensure_reference_data(store, spec.reference_ids)
        summary = await run_load(
            store, reader, source=spec.source, dry_run=spec.dry_run,
            progress=lambda stats: emit({"rows": stats.rows, "rejected": stats.rejected}),
            provenance=Provenance(owner=spec.owner, tlp=spec.tlp, shared_with=tuple(spec.shared_with)),
            reject_report=Path(spec.reject_report) if spec.reject_report else None, viewer=spec.owner,
            met=met, replace=spec.replace, victim_blind=not spec.victim_data,
            reject_report_limit=spec.reject_report_limit)
    except LookupBudgetSpent as exc:  # what it read up to the stop, so the uploader knows what to load again
        if reader is not None:
            emit({"rows": reader.stats.rows, "rejected": reader.stats.rejected})
        emit({"error": str(exc)})
        return
    except Exception as exc:  # the stack to the server log, a plain reason to the poller
        log.exception("load job process failed")
        emit({"error": job_error(exc, Path(spec.directory) if spec.directory else None)})
        return
    finally:
        if store is not None:
            await store.close()
    hits = [r.raw.get("id") for r in summary.rejections
            if r.reason.startswith(HIT_REASONS) and isinstance(r.raw, dict)]
    # the hits went as they were met (met above); as_dict leaves them out
    emit({"summary": summary.as_dict(), "restrictedIds": hits[:100]})


def main() -> None:
    """The child: read the :class:`LoadSpec` from stdin, run it, report on stdout (see the
    module docstring). It dies with the API worker that started it, and holds none of its
    descriptors (its listening socket kept a restart from binding the port: attack round 19, K1)."""
    close_inherited_descriptors()
    die_with_the_parent_named_in(os.environ)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not break the protocol

    def emit(message: dict[str, Any]) -> None:
        out.write(json.dumps(message, default=str) + "\n")
        out.flush()

    spec = LoadSpec(**json.loads(sys.stdin.readline()))
    asyncio.run(_child(spec, emit, sys.stdin.readline))
    out.close()


if __name__ == "__main__":
    main()
