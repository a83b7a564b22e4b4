"""What an unshare withdrew, kept until it ends, so that a run cut short and run again answers it.

An unshare withdraws the relationships first and the nodes last, so a rerun still finds the nodes
shared (attack round 37, 3). But a rerun after the relationships' write found those out of the
nodes to other nodes shared no more: it answered and audited without them (the cut run audits
nothing, its audit comes at its end) and skipped rebuilding their values (attack round 39a, 5).
So before that write the unshare notes the relationships on a ``PendingUnshare`` node keyed by its
arguments (``cypher/security/note_pending_unshare``), with any a cut-short run of it noted; its
rerun answers those too, and its end deletes the mark.
"""

from __future__ import annotations

import hashlib
import json

from graphapi.store import GraphStore

#: The mark's label and properties (the Cypher linter's schema: tests/test_cypher_lint.py).
PENDING_UNSHARE_LABEL = "PendingUnshare"
PENDING_UNSHARE_PROPERTIES = ("id", "owner", "rels", "types", "starts", "ends")


def mark_id(agency: str, agencies: list[str], targets: list[str]) -> str:
    """The mark of an unshare by ``agency`` of ``targets`` from ``agencies`` (its rerun's too)."""
    key = json.dumps([agency, sorted(agencies), sorted(targets)], separators=(",", ":"))
    return "unshare:" + hashlib.sha256(key.encode()).hexdigest()[:32]


async def withdrawn_before(store: GraphStore, mark: str) -> list[dict]:
    """The relationships a cut-short run of this unshare noted (rows id, type, start, end)."""
    rows = await store.read("security/pending_unshare", {"id": mark})
    if not rows:
        return []
    r = rows[0]
    return [{"id": i, "type": t, "start": s, "end": e}
            for i, t, s, e in zip(r["rels"] or [], r["types"] or [], r["starts"] or [], r["ends"] or [], strict=True)]


async def note(store: GraphStore, mark: str, agency: str, rows: list[dict]) -> None:
    """Note ``rows`` (id, type, start, end, each once) before they are withdrawn."""
    await store.write("security/note_pending_unshare", {
        "id": mark, "owner": agency, "rels": [r["id"] for r in rows], "types": [r["type"] for r in rows],
        "starts": [r["start"] for r in rows], "ends": [r["end"] for r in rows]})


async def clear(store: GraphStore, mark: str) -> None:
    await store.write("security/clear_pending_unshare", {"id": mark})
