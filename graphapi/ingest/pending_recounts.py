"""The quarantined identifiers a load's deletes may have left stale, noted durably until recounted.

A retraction batch (:mod:`graphapi.ingest.retraction`: a DEL's, a replace's, a MOD's stale links)
keeps on its pending mark the ends of every link it deleted, read from the store. Before the mark
goes, the quarantined identifiers among those ends are noted on one
``PendingRecount`` node (``cypher/ingest/note_quarantine_recount``), so:

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
PENDING_RECOUNT_PROPERTIES = ("id", "ids")
#: The one node the identifiers to recount are noted on.
RECOUNT_ID = "quarantine"


async def note(store: GraphStore, mark: str) -> None:
    """Note the quarantined identifiers at the ends of the links retraction batch ``mark`` deleted,
    before the mark goes."""
    await store.write("ingest/note_quarantine_recount", {"mark": mark, "id": RECOUNT_ID})


async def note_relevelled(store: GraphStore, ends: Iterable[str], near: Iterable[str], types: Iterable[str]) -> bool:
    """Note the quarantined identifiers among ``ends`` (of linking relationships relevelled) and
    linked to nodes ``near`` (holders relevelled); True if any was noted. A write of the caller's."""
    found = await quarantined_near(store, ends, near, types)
    if found:
        await store.write("ingest/note_quarantine_ids", {"id": RECOUNT_ID, "ids": found})
    return bool(found)


async def noted(store: GraphStore) -> list[str]:
    """The identifiers noted and not yet recounted."""
    rows = await store.read("ingest/pending_recounts", {"id": RECOUNT_ID})
    return list(rows[0]["ids"]) if rows else []


async def recount_noted(store: GraphStore, types: Iterable[str], limit: int) -> list[str]:
    """Recount every identifier noted (once each), then unnote them; returns their ids. A write of
    the caller's (the store's write lease, where it takes one)."""
    ids = await noted(store)
    if ids:
        await recount_all(store, ids, types, limit)
        await store.write("ingest/clear_pending_recounts", {"id": RECOUNT_ID, "ids": ids})
    return ids
