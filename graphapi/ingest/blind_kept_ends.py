"""A victim's mark a victim-blind load keeps keeps the case it is on (attack round a-90, 9).

A colleague with victim-data may enter a case under the agency's shared feed and link the victim
to it there (``INVOLVED_IN {role: victim}``), maybe her only mark. A blind replace of the feed
kept the link (:mod:`~graphapi.ingest.blind_kept_marks`) but no longer stated the case, and a
blind DEL of the case's (visible) id deleted it: either way the case went, its links with it,
and the victim was unprotected, whichever id the loader guessed. So a blind replace or DEL keeps
a node at the end of a link on which its source's statement says the mark, with its statements
and sources, and is told of it what its retraction tells: deleted if no other source holds it,
else retracted, the source's statements on it retracted (as of a kept link). The person at the
link's start is not kept: she is the guess or the loader's own person (a-90, 2)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from graphapi.ingest.blind_held import said_in
from graphapi.ingest.blind_kept_marks import Kept, kept_marks
from graphapi.ingest.retraction import Retractions
from graphapi.ingest.statements import Statement


def marked_ends(kept: Kept, ids: Collection[str]) -> set[str]:
    """Of the node ``ids`` a blind load withdraws, the ends of the ``kept`` mark links."""
    return {end for links in kept.values() for (_, _, end) in links.values() if end in ids}


async def tell_kept_ends(store: Any, ends: Collection[str], *, source: str, owner: str, scoped: bool,
                         batch_size: int) -> Retractions:
    """What a blind load withdrawing ``source`` (for ``owner`` unless ``scoped``) from the kept
    ``ends`` is told: each node as its retraction tells it, its source's statements retracted."""
    told = Retractions()
    ids = sorted(ends)
    for i in range(0, len(ids), batch_size):
        chunk = {"ids": ids[i:i + batch_size]}
        for row in await store.read("ingest/existing_nodes", chunk):
            others = [s for s in (row["props"] or {}).get("sources") or () if not said_in(source, [s])]
            told.nodes_deleted += int(not others)
            told.nodes_retracted += int(bool(others))
        for row in await store.read("provenance/statements_of", chunk):
            stmt = Statement.from_props(row["props"])
            told.statements_retracted += int(not stmt.type and said_in(source, [stmt.source])
                                             and (scoped or stmt.owner == owner))
    return told


async def kept_del_ends(writer: Any) -> tuple[set[str], Retractions]:
    """The nodes a blind DEL (``writer``'s) keeps as the ends of mark links its source states,
    and what it is told of them."""
    kept: set[str] = set()
    told = Retractions()
    for src, named in writer._delete_nodes.items():
        ids = list(named)
        rows = []
        for i in range(0, len(ids), writer.batch_size):
            rows += await writer.store.read("ingest/marked_links_into", {"ids": ids[i:i + writer.batch_size],
                                                                         "source": src})
        if not rows:
            continue
        marks = await kept_marks(writer.store, rows, {}, source=src, owner=writer.prov.owner, scoped=writer.scoped,
                                 batch_size=writer.batch_size)
        ends = marked_ends(marks, named) - kept
        if ends:
            kept |= ends
            done = await tell_kept_ends(writer.store, ends, source=src, owner=writer.prov.owner,
                                        scoped=writer.scoped, batch_size=writer.batch_size)
            told.nodes_deleted += done.nodes_deleted
            told.nodes_retracted += done.nodes_retracted
            told.statements_retracted += done.statements_retracted
    return kept, told
