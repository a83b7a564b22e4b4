"""The quarantined identifiers a load's deletes may have left stale, noted durably until recounted.

A retraction batch (:mod:`graphapi.ingest.retraction`: a DEL's, a replace's, a MOD's stale links)
keeps on its pending mark the ends of every link it deleted, read from the store. Before the mark
goes, the quarantined identifiers among those ends are noted in one set of ``PendingRecount``
nodes, one node per identifier found by its index (``cypher/ingest/note_quarantine_recount``: one
list on one node made each note and clear scan every id noted so far, quadratic on a big DEL:
attack round a-89, 6; a graph's old list is still read, and dropped once recounted), so:

- a load recounts only identifiers whose links it really deleted, not any a DEL record names (a
  DEL/ADD pair naming a hidden hub by id made a full recount per pair: attack round a-58, 4), and
  each once, after its deletes (:meth:`graphapi.ingest.writer.Writer.close`, and after a replace's
  retraction), however many batches noted it;
- a load killed between its deletes and the recount leaves them noted: the rerun's deletes find
  nothing left to delete, and it recounts what is noted (a-58, 3), as does any later load that deletes;
- a replace's retraction of links is noted as a DEL's is (a-58, 2), and so is a relevel of
  linking relationships or holders (:func:`note_relevelled`: narrowed in place, they left some
  views as a retraction does, a-62, 7).
"""

from __future__ import annotations

from collections.abc import Iterable

from graphapi.ingest.quarantine_recount import quarantined_near, recount_all
from graphapi.store.base import GraphStore

#: The mark's label and properties (the Cypher linter's schema: tests/test_cypher_lint.py).
PENDING_RECOUNT_LABEL = "PendingRecount"
PENDING_RECOUNT_PROPERTIES = ("id", "identifier", "ids")
#: The set the identifiers to recount are noted in.
RECOUNT_ID = "quarantine"
#: Ids per note or clear: one statement for all of them took 13.3 s for 100k on Neo4j, in one
#: transaction, near the statement timeout at about 220k (attack round a-95, 5).
BATCH = 1_000


async def note_ids(store: GraphStore, set_id: str, ids: Iterable[str]) -> list[str]:
    """Note identifiers ``ids`` in set ``set_id``, :data:`BATCH` a statement; returns them. Each
    batch stands alone (MERGE): killed part way, the rest is noted by the rerun before its write."""
    ids = sorted(set(ids))
    for i in range(0, len(ids), BATCH):
        await store.write("ingest/note_quarantine_ids", {"id": set_id, "ids": ids[i:i + BATCH]})
    return ids


async def note(store: GraphStore, mark: str) -> None:
    """Note the quarantined identifiers at the ends of the links retraction batch ``mark`` deleted,
    before the mark goes."""
    await store.write("ingest/note_quarantine_recount", {"mark": mark, "id": RECOUNT_ID})


async def note_relevelled(store: GraphStore, ends: Iterable[str], near: Iterable[str], types: Iterable[str]) -> bool:
    """Note the quarantined identifiers among ``ends`` (of linking relationships relevelled) and
    linked to nodes ``near`` (holders relevelled); True if any was noted. A write of the caller's."""
    found = await quarantined_near(store, ends, near, types)
    await note_ids(store, RECOUNT_ID, found)
    return bool(found)


async def noted_in(store: GraphStore, set_id: str) -> tuple[list[str], bool]:
    """The identifiers noted in set ``set_id`` and not yet recounted, and whether an old list
    (a graph written before a-89, 6) is among them."""
    rows = await store.read("ingest/pending_recounts", {"id": set_id})
    return (list(rows[0]["ids"]), bool(rows[0]["listed"])) if rows else ([], False)


async def unnote_in(store: GraphStore, set_id: str, ids: Iterable[str], listed: bool = False) -> None:
    """Unnote ``ids`` of set ``set_id`` once counted, and with ``listed`` its old list (all of
    whose ids the caller recounted: nothing adds to it any more). :data:`BATCH` a statement: killed
    part way, what is left noted is recounted once more by the next writer, which is harmless."""
    ids = sorted(set(ids))
    for i in range(0, len(ids), BATCH):
        await store.write("ingest/clear_pending_recounts", {"id": set_id, "ids": ids[i:i + BATCH]})
    if listed:
        await store.write("ingest/clear_listed_recounts", {"id": set_id})


async def noted(store: GraphStore) -> list[str]:
    """The identifiers noted and not yet recounted."""
    return (await noted_in(store, RECOUNT_ID))[0]


async def recount_noted(store: GraphStore, types: Iterable[str], limit: int) -> list[str]:
    """Recount every identifier noted (once each), then unnote them; returns their ids. A write of
    the caller's (the store's write lease, where it takes one)."""
    ids, listed = await noted_in(store, RECOUNT_ID)
    if ids:
        await recount_all(store, ids, types, limit)
        await unnote_in(store, RECOUNT_ID, ids, listed)
    return ids
