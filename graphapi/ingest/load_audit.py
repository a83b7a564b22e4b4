"""The audit trail of file load jobs over HTTP: refusals and starts (:func:`_audit`), each job's
end (``load.done`` / ``load.failed``) and the hits it meets on other agencies' data.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request

from graphapi.ingest.load_job import LoadJob
from graphapi.security.audit import AuditSink
from graphapi.security.hits import RestrictedHit, audit_hits, charge_load_hits
from graphapi.security.principal import Principal
from graphapi.store import GraphStore

log = logging.getLogger("graphapi.ingest")


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
                  "statementsRetracted": s.statements_retracted, "valuesRetracted": s.values_retracted,
                  "replaceSkipped": s.replace_skipped,
                  } if s else {"rowsRead": job.rows, "rowsRejected": job.rejected}
        sink.record(principal, f"load.{job.state}",
                    {"job": job.id, "kind": job.kind, "mapping": job.mapping, "dryRun": job.dry_run,
                     "replace": job.replace,
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


def _hit_charger(request: Request, store: GraphStore | None, principal: Principal
                 ) -> Callable[[LoadJob, list[tuple[str, str]]], Awaitable[bool]]:
    """Each distinct id a job answers as a hit takes a unit of its uploader's lookup budget, as
    ``restrictedLookup`` and ``ingest(records)`` do (attack round 38b, 2); False once it is spent."""
    budget = getattr(getattr(request.app.state, "security", None), "lookup_budget", None)
    sink, request_id = _audit_sink(request), getattr(request.state, "request_id", None)
    charged: set[str] = set()

    async def charge(job: LoadJob, pairs: list[tuple[str, str]]) -> bool:
        new = sorted({i for i, _ in pairs} - charged)
        if not await charge_load_hits(store, principal, new, budget, sink, request_id=request_id):
            return False
        charged.update(new)
        return True

    return charge
