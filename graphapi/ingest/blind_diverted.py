"""A victim-blind load's links to its own victims' quarantined identifiers (attack rounds a-60, 1d
and a-65, 3).

The circuit breaker holds for them as for any link: a new link to a quarantined identifier is not
written (the victim's identifier gains no link). But the load may not be told the identifier is
quarantined, nor that it exists (:mod:`graphapi.ingest.blind_values`): a right guess of a victim's
quarantined phone would be told diverted, a wrong one's new phone linked. So such a diverted link
is told as a wrong guess's link would be: created the first time its source says it, unchanged
and seen after, with no warning line and no quarantine counted; deleted when a DEL of its source
names it or a replace of its source no longer states it. And it is not kept as text in the
holder's ``identifiers``, which the loader reads in GraphQL (``Phone:+66...`` there, and no link,
told it the link was diverted: a-65, 3), but in the holder's internal :data:`BLIND_DIVERTED`
(never shown), one entry per link and source: what the load was told rests on it. Left open:
the link a wrong guess makes is shown on the holder in GraphQL, the diverted one is not (the
loader's own record about its victim's item is not kept apart as its own: docs/security.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

#: the holder's internal list of the links to its load's own victims' quarantined identifiers
#: that victim-blind loads were told written (Entity.yaml): ``[source, link id, text]`` as JSON
BLIND_DIVERTED = "blindDiverted"


def diverted_entry(source: str, link: str, text: str) -> str:
    """The :data:`BLIND_DIVERTED` entry of the link ``link`` (kept as ``text``) said by ``source``;
    its JSON starts ``["<source>",`` (what ``ingest/source_node_ids`` looks for)."""
    return json.dumps([source, link, text], ensure_ascii=False)


def entry_link(entry: str) -> tuple[str, str]:
    """``(source, link id)`` of a :data:`BLIND_DIVERTED` entry."""
    source, link, _ = json.loads(entry)
    return str(source), str(link)


async def tell_diverted(writer: Any, diverted: list[dict[str, Any]], recs: dict[str, Any]) -> None:
    """Count the blind links ``diverted`` (rows ``{id, holder, text}``) as a wrong guess's link
    would be counted: created, or, its holder holding its entry from the link's source before the
    load, unchanged and seen."""
    holders = sorted({d["holder"] for d in diverted})
    stored = {str(r["id"]): r["props"] or {}
              for r in await writer.store.read("ingest/existing_nodes", {"ids": holders})}
    for d in diverted:
        rec = recs[d["id"]]
        source = rec.origin.source if rec.origin else writer.source
        held = stored.get(d["holder"], {}).get(BLIND_DIVERTED) or ()
        if any(entry_link(e) == (source, d["id"]) for e in held):
            writer._unchanged_edges.add(d["id"])
            writer._seen_edges.add(d["id"])
        elif d["id"] not in writer._created_edges:
            writer._created_edges.add(d["id"])
            writer.counts.relationships_created += 1


async def write_untold(writer: Any, kept: list[tuple[Any, Any]]) -> None:
    """Keep the blind diverted links ``kept`` (``(holder's text record, link)``) in their holders'
    :data:`BLIND_DIVERTED`, telling the load nothing more (its counts are :func:`tell_diverted`'s)."""
    rows: dict[str, list[str]] = {}
    for rec, link in kept:
        source = link.origin.source if link.origin else writer.source
        for text in rec.properties["identifiers"]:
            rows.setdefault(rec.id, []).append(diverted_entry(source, link.id, text))
    async with writer._exclusively():  # on the write lease, as every write of the load
        done = await writer.store.write_batches("ingest/add_blind_diverted",
                                                [{"id": i, "entries": e} for i, e in rows.items()], writer.batch_size)
    writer.counts.batches += done.batches


async def take_out(store: Any, holders: Mapping[str, Iterable[str]], batch_size: int) -> int:
    """Take the :data:`BLIND_DIVERTED` entries ``holders`` (holder id -> entries) out; their links
    are told deleted, as a wrong guess's would be: returns how many."""
    rows = [{"id": h, "entries": sorted(set(e))} for h, e in holders.items()]
    rows = [r for r in rows if r["entries"]]
    if rows:
        await store.write_batches("ingest/remove_blind_diverted", rows, batch_size)
    return sum(len(r["entries"]) for r in rows)


async def diverted_deletes(writer: Any) -> int:
    """Take out the :data:`BLIND_DIVERTED` entries a victim-blind ``writer``'s DELs of links name
    (by link id and source, on either end): how many, each told deleted as the wrong guess's
    link would be."""
    said = {(source, i) for (_, source), ids in writer._delete_edges.items() for i in ids
            if i in writer._blind_delete_ends}
    ends = sorted({e for i, pair in writer._blind_delete_ends.items() for e in pair})
    gone: dict[str, list[str]] = {}
    for i in range(0, len(ends), writer.batch_size):
        for row in await writer.store.read("ingest/existing_nodes", {"ids": ends[i:i + writer.batch_size]}):
            held = (row["props"] or {}).get(BLIND_DIVERTED) or ()
            gone[str(row["id"])] = [e for e in held if entry_link(e) in said]
    return await take_out(writer.store, gone, writer.batch_size)
