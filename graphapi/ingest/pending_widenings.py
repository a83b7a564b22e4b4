"""The identifiers a widening write may take past the breaker's limit, noted durably until checked.

The breaker checks a widening once its write is made: a new link (``ingest/add_relationships``), a
holder or link re-owned to a wider statement by a DEL or a replace (``ingest/relevel_nodes``; a node
the replace only refers to too), a holder an owner's MOD widens in place
(``ingest/set_node_levels``), a share. A run killed between that write and the check left the
widening unchecked for good: its rerun finds the link stored, or nothing left to re-own, and TH-DSI
saw 6 holders of a limit of 5, unmarked (attack round a-82, 4 and 5; a share: 3). So, as with a
retraction's pending mark (:mod:`graphapi.ingest.pending_retractions`), the obligation is noted in
the store before the write that makes it (or, a retraction batch's relevel, while the batch's mark
still stands: its finish re-owns again, or reads what was re-owned from the mark; the hand-over of a
valueless link to its echoing agency keeps nothing on the mark, so before its write: a-86, 1), in a
set of ``PendingRecount`` nodes of its own (:data:`WIDENED_ID`, one node per identifier:
:mod:`graphapi.ingest.pending_recounts`), and unnoted once the breaker has counted them. Whatever a
killed writer left noted is recounted (:func:`graphapi.ingest.quarantine_recount.recount`, for
everyone, each agency owning a holder or link not public, and those seeing holders through shares
past the limit: a-89, 2 and 5) by the next writer when it takes the write lease
(:meth:`graphapi.ingest.write_turns.WriteTurns._exclusively`), and by the next share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.guard import load_exclusions
from graphapi.ingest.pending_recounts import note_ids, noted_in, unnote_in
from graphapi.ingest.quarantine_recount import recount_all
from graphapi.ingest.widened_links import gained_links
from graphapi.store.base import GraphStore

#: The ``PendingRecount`` set the widenings are noted in (``ingest/note_quarantine_ids``).
WIDENED_ID = "widened"
#: Ids per read.
BATCH = 1_000


def linking(rel_type: str) -> bool:
    """Whether relationships of ``rel_type`` are of the policy's linking types (their ends counted)."""
    return rel_type in load_exclusions().linking_relationships


async def link_ends(store: GraphStore, rel_type: str, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The stored ``(start, end)`` of relationships ``ids`` of ``rel_type``, one read per
    :data:`BATCH`: read once for a re-own's note and kept for the breaker's count of it
    (``Retractions.reowned_ends``)."""
    ids, out = list(dict.fromkeys(ids)), {}
    for i in range(0, len(ids), BATCH):
        for row in await store.read("ingest/existing_relationships", {"ids": ids[i:i + BATCH]}, type=rel_type):
            out[str(row["id"])] = (str(row["start"]), str(row["end"]))
    return out


async def widened_identifiers(store: GraphStore, nodes: Iterable[str] = (), ends: Iterable[str] = (),
                              gains: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """The identifier nodes among ``nodes`` and linked (by the policy's linking types) to them,
    and among ``ends`` (of linking relationships widened: :func:`link_ends`): those a widening of
    them may take past the limit. A node widened may be the identifier itself: a share of LA-POL's
    phone opens its links to holders outside the ids, and only the identifiers linked to the ids
    were noted, so a share killed before its count left nothing to recount (attack round a-86, 2).
    ``gains`` (node id -> :func:`graphapi.ingest.widened_links.gain`): nodes widened whose links are
    followed only where an agency gaining them sees them (attack round a-95, 1)."""
    from graphapi.ingest.widened_breaker import identifiers_among  # it reads write_rules

    kinds = sorted(load_exclusions().linking_relationships)
    nodes = list(dict.fromkeys(nodes))
    gains = dict(gains or {})
    found: dict[str, None] = {**dict.fromkeys(nodes), **dict.fromkeys(gains), **dict.fromkeys(ends)}
    found.update(dict.fromkeys(r["end"] for r in await gained_links(store, gains, kinds)))
    for i in range(0, len(nodes), BATCH):
        for row in await store.read("ingest/linked_identifiers", {"ids": nodes[i:i + BATCH], "types": kinds}):
            found[row["i"]] = None
    return await identifiers_among(store, list(found)) if found else []


async def note(store: GraphStore, ids: Iterable[str]) -> list[str]:
    """Note identifiers ``ids`` before the write that may widen their views; returns them."""
    return await note_ids(store, WIDENED_ID, ids)


async def unnote(store: GraphStore, ids: Iterable[str]) -> None:
    """Unnote identifiers ``ids``, once the breaker has counted them."""
    await unnote_in(store, WIDENED_ID, ids)


async def recount_left(store: GraphStore, types: Iterable[str], limit: int) -> list[str]:
    """Recount what a killed writer left noted (once each), then unnote it; returns the ids. A
    write of the caller's, holding the write lease."""
    ids, listed = await noted_in(store, WIDENED_ID)
    if ids:
        await recount_all(store, ids, types, limit, widened=True)  # share-only views too (a-89, 2 and 5)
        await unnote_in(store, WIDENED_ID, ids, listed)
    return ids
