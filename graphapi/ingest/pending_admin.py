"""An operator's view of pending retraction marks: list them, retry one, drop one (``lintas admin
pending``).

A mark whose finish keeps failing (a poison batch: a type the ontology lost, a batch past the
store's time limit, a bug) stops the loads that would write what it names until it is finished
or dropped (:mod:`graphapi.ingest.pending_retractions`; attack round 41a, 4). The list says why
(attempts, last error, or the earlier mark it waits for: one its finish conflicts with, finished
first). A retry finishes it under the write lease as any writer would. A drop is
an explicit decision, audited before it is made (``pending.drop``, with the mark's source, owner,
items and error and the operator's reason; no audit entry, no drop): what the batch had not done
yet stays undone (values, aliases or the source left on its items with no statement behind them,
until that source's next load of them or a replace).

The quarantined identifiers noted for a recount (:mod:`graphapi.ingest.pending_recounts`: a load
killed between its deletes and its recount leaves them) are listed too, as one entry of kind
``recount`` (id ``quarantine``): a retry recounts them now; they cannot be dropped (a recount
changes no statement, and one left undone keeps a stale mark or flag).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.pending_recounts import RECOUNT_ID, noted, recount_noted
from graphapi.ingest.pending_retractions import Finished, finish_marks, waits_for
from graphapi.ingest.write_lease import WriteLease
from graphapi.security.audit import AuditLog
from graphapi.security.principal import Principal
from graphapi.store.base import GraphStore


@dataclass(frozen=True)
class PendingMark:
    """One mark as an operator sees it."""

    id: str
    kind: str  # del (a DEL's or replace's retraction), rebuild (a replace's), release (a placeholder's), recount
    source: str
    owner: str
    items: int
    attempts: int
    last_error: str | None
    first_failed: str | None
    waits_for: str | None = None  # an earlier mark it conflicts with: finished first (42b, 4; 43a, 2)

    def age_s(self, now: datetime | None = None) -> int | None:
        """Seconds since its first failed finish (None: never failed; the next writer finishes it)."""
        if not self.first_failed:
            return None
        since = datetime.fromisoformat(self.first_failed.replace("Z", "+00:00"))
        return int(((now or datetime.now(UTC)) - since).total_seconds())

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "source": self.source, "owner": self.owner, "items": self.items,
                "attempts": self.attempts, "lastError": self.last_error, "firstFailed": self.first_failed,
                "ageS": self.age_s(), "waitsFor": self.waits_for}


def _mark(row: dict[str, Any], waits: str | None = None) -> PendingMark:
    kind = "release" if row.get("release") else "del" if row.get("source") else "rebuild"
    return PendingMark(str(row["id"]), kind, str(row.get("source") or ""), str(row.get("owner") or ""),
                       len(row.get("ids") or ()), int(row.get("attempts") or 0), row.get("lastError"),
                       row.get("firstFailed"), waits)


async def list_marks(store: GraphStore) -> list[PendingMark]:
    """Every pending mark, oldest first (attack round 43a, 2), with the earlier mark each waits for
    (if any); then the identifiers noted for a recount, if any."""
    rows = await store.read("ingest/pending_retractions", {})
    marks = [_mark(row, waits_for(rows, i)) for i, row in enumerate(rows)]
    ids = await noted(store)
    if ids:
        marks.append(PendingMark(RECOUNT_ID, "recount", "", "", len(ids), 0, None, None))
    return marks


async def retry_mark(store: GraphStore, mark: str) -> Finished:
    """Finish ``mark`` now, under the write lease (a failure is noted on it, as a writer's is);
    one that waits for an earlier mark it conflicts with is left (stuck: "waits for mark <id>"),
    not run out of order. Raises KeyError if there is no such mark."""
    lease = WriteLease(store, what=f"retrying pending mark {mark}")
    async with lease.held():
        finished = await finish_marks(lease.fenced(store), only=mark)
    if not (finished.done or finished.stuck):
        raise KeyError(mark)
    return finished


async def recount_now(store: GraphStore) -> list[str]:
    """Recount the identifiers noted for a recount now, under the write lease, with the policy's
    linking types and limit (seed/exclusions), as an operator's load would; returns their ids
    (KeyError if none is noted)."""
    lease = WriteLease(store, what="recounting the noted quarantined identifiers")
    async with lease.held():
        policy = load_exclusions()
        done = await recount_noted(lease.fenced(store), policy.linking_relationships, policy.correlation_limit)
    if not done:
        raise KeyError(RECOUNT_ID)
    return done


async def drop_mark(store: GraphStore, mark: str, *, audit: AuditLog, operator: str, reason: str) -> PendingMark:
    """Delete ``mark`` without finishing it, once the audit log holds the decision (raises
    AuditFault, dropping nothing, if it cannot be written; KeyError if there is no such mark)."""
    if not reason.strip():
        raise ValueError("a drop needs a reason (--reason): it leaves the batch's rest undone")
    if mark == RECOUNT_ID:
        raise ValueError("the noted recount is not dropped: --retry it (it changes no statement)")
    lease = WriteLease(store, what=f"dropping pending mark {mark}")
    async with lease.held():
        fenced = lease.fenced(store)
        row = next((r for r in await fenced.read("ingest/pending_retractions", {}) if r["id"] == mark), None)
        if row is None:
            raise KeyError(mark)
        dropped = _mark(row)
        audit.record(Principal(subject=operator), "pending.drop", {
            "via": "cli", "mark": mark, "kind": dropped.kind, "source": dropped.source, "owner": dropped.owner,
            "ids": [str(i) for i in (row.get("ids") or ())][:100], "items": dropped.items,
            "attempts": dropped.attempts, "lastError": dropped.last_error, "reason": reason,
        }, None, kind="load")
        await fenced.write("ingest/clear_pending_retraction", {"id": mark})
    return dropped
