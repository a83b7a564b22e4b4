"""What an unshare withdrew, kept until it ends, so that a run cut short and run again answers it.

An unshare withdraws the relationships first and the nodes last, so a rerun still finds the nodes
shared (attack round 37, 3). But a rerun after the relationships' write found those out of the
nodes to other nodes shared no more: it answered and audited without them (the cut run audits
nothing, its audit comes at its end) and skipped rebuilding their values (attack round 39a, 5).
So before that write the unshare notes the relationships on a ``PendingUnshare`` node keyed by its
arguments (``cypher/security/note_pending_unshare``), with any a cut-short run of it noted; its
rerun answers those too.

A mark is for that rerun only (attack round 41a, 3: one never rerun was read by a later unshare
with the same arguments, which answered and audited a link it did not withdraw). So it carries
its ids, agencies and time: a mark older than :data:`MARK_TTL_S` is not read, and when a share or
an unshare of some of its ids with some of its agencies ends (:func:`settle`), the marks of those,
and every mark past its time, go.
"""

from __future__ import annotations

import hashlib
import json

from graphapi.security.timeutil import utc_now
from graphapi.store import GraphStore

#: The mark's label and properties (the Cypher linter's schema: tests/test_cypher_lint.py).
PENDING_UNSHARE_LABEL = "PendingUnshare"
PENDING_UNSHARE_PROPERTIES = ("id", "owner", "rels", "types", "starts", "ends", "ids", "agencies", "at")
#: How long a cut-short unshare's rerun may come after it (a client's retry after a 504, a restart).
MARK_TTL_S = 3600.0


def mark_id(agency: str, agencies: list[str], targets: list[str]) -> str:
    """The mark of an unshare by ``agency`` of ``targets`` from ``agencies`` (its rerun's too)."""
    key = json.dumps([agency, sorted(agencies), sorted(targets)], separators=(",", ":"))
    return "unshare:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def _expired() -> str:
    """Marks written before this time are past theirs."""
    return utc_now("milliseconds", plus_s=-MARK_TTL_S)


async def withdrawn_before(store: GraphStore, mark: str) -> list[dict]:
    """The relationships a cut-short run of this unshare noted, within :data:`MARK_TTL_S` (rows id,
    type, start, end)."""
    rows = await store.read("security/pending_unshare", {"id": mark, "since": _expired()})
    if not rows:
        return []
    r = rows[0]
    return [{"id": i, "type": t, "start": s, "end": e}
            for i, t, s, e in zip(r["rels"] or [], r["types"] or [], r["starts"] or [], r["ends"] or [], strict=True)]


async def note(store: GraphStore, mark: str, agency: str, agencies: list[str], targets: list[str],
               rows: list[dict]) -> None:
    """Note ``rows`` (id, type, start, end, each once) before they are withdrawn."""
    await store.write("security/note_pending_unshare", {
        "id": mark, "owner": agency, "ids": targets, "agencies": agencies, "at": utc_now("milliseconds"),
        "rels": [r["id"] for r in rows], "types": [r["type"] for r in rows],
        "starts": [r["start"] for r in rows], "ends": [r["end"] for r in rows]})


async def settle(store: GraphStore, agency: str, agencies: list[str], targets: list[str]) -> None:
    """A share or unshare by ``agency`` of ``targets`` with ``agencies`` ended: the marks of
    ``agency`` for some of those ids and agencies go (an unshare's own too: a rerun now is a new
    unshare), and every mark past :data:`MARK_TTL_S`."""
    ids, removed = set(targets), set(agencies)
    rows = await store.read("security/pending_unshares", {"owner": agency, "since": _expired()})
    gone = [r["id"] for r in rows if r["expired"] or (
        r["owner"] == agency and ids & set(r["ids"] or []) and removed & set(r["agencies"] or []))]
    if gone:
        await store.write("security/clear_pending_unshare", {"ids": gone})
