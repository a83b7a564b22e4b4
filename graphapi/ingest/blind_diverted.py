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
(never shown), one entry per link and agency (a-67, 3): what the load was told rests on it. Left open:
the link a wrong guess makes is shown on the holder in GraphQL, the diverted one is not (the
loader's own record about its victim's item is not kept apart as its own: docs/security.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.blind_shadow import (
    BLIND_SHADOW,
    HELD_BEFORE,
    link_shadow_text,
    said_in,
    tell_link_by_shadow,
    withdrawn,
)
from graphapi.ingest.blind_values import source_agency

#: the holder's internal list of the links to its load's own victims' quarantined identifiers
#: that victim-blind loads were told written (Entity.yaml): ``[source, link id, text]`` as JSON
BLIND_DIVERTED = "blindDiverted"


def diverted_entry(source: str, link: str, text: str, shadow: str | None = None) -> str:
    """The :data:`BLIND_DIVERTED` entry of the link ``link`` (kept as ``text``) said by ``source``,
    kept by the agency it speaks for (:func:`~graphapi.ingest.blind_values.source_agency`: every
    source of an agency is one for the blind rule, attack round a-67, 3); its JSON starts
    ``["<agency>",`` (what ``ingest/source_node_ids`` looks for). With it, the link a wrong
    guess's records would have made (``shadow``: :func:`~graphapi.ingest.blind_shadow.link_shadow_text`),
    which a reload is told by (a-67, 3: a second source's was an update of the wrong guess's link)."""
    return json.dumps([source_agency(source), link, text, *([shadow] if shadow else [])], ensure_ascii=False)


def entry_shadow(entry: str) -> str | None:
    """The shadow of a :data:`BLIND_DIVERTED` entry (None for one written before a-67)."""
    parts = json.loads(entry)
    return str(parts[3]) if len(parts) > 3 and parts[3] else None


def entry_link(entry: str) -> tuple[str, str]:
    """``(agency, link id)`` of a :data:`BLIND_DIVERTED` entry (one of a source, before a-67: its agency)."""
    source, link = json.loads(entry)[:2]
    return source_agency(str(source)), str(link)


async def tell_diverted(writer: Any, diverted: list[dict[str, Any]], recs: dict[str, Any]) -> None:
    """Count the blind links ``diverted`` (rows ``{id, holder, text, props}``: props as stamped) as a wrong guess's link
    would be counted: created, or, its holder holding its entry from the link's agency before the
    load, as the entry's shadow merged with the record tells (unchanged, seen, updated:
    :func:`~graphapi.ingest.blind_shadow.tell_link_by_shadow`); an entry of before a-67, with no
    shadow, unchanged and seen. The entry :func:`write_untold` writes is noted in the writer's
    ``_diverted_told`` (link id -> its shadow, the stale entries it replaces)."""
    holders = sorted({d["holder"] for d in diverted})
    stored = {str(r["id"]): r["props"] or {}
              for r in await writer.store.read("ingest/existing_nodes", {"ids": holders})}
    for d in diverted:
        rec = recs[d["id"]]
        source = rec.origin.source if rec.origin else writer.source
        held = [e for e in stored.get(d["holder"], {}).get(BLIND_DIVERTED) or ()
                if entry_link(e) == (source_agency(source), d["id"])]
        props = d["props"]
        shadows: list[dict[str, Any]] = []
        told = "created"
        if held and entry_shadow(held[0]) is None:
            told = "seen"
        elif held:
            told = tell_link_by_shadow(writer, d["id"], {BLIND_SHADOW: entry_shadow(held[0])}, props, rec,
                                       writer._rel_multiple(rec.type), shadows)
        else:
            shadows.append({"shadow": link_shadow_text({**props, HELD_BEFORE: []})})
        writer._diverted_told[d["id"]] = (shadows[0]["shadow"] if shadows else entry_shadow(held[0]),
                                          held if shadows else [])
        if told == "created":
            if d["id"] not in writer._created_edges:
                writer._created_edges.add(d["id"])
                writer.counts.relationships_created += 1
        elif told == "updated":
            writer._updated_edges.add(d["id"])
        else:
            writer._unchanged_edges.add(d["id"])
            if told == "seen":
                writer._seen_edges.add(d["id"])


async def write_untold(writer: Any, kept: list[tuple[Any, Any]]) -> None:
    """Keep the blind diverted links ``kept`` (``(holder's text record, link)``) in their holders'
    :data:`BLIND_DIVERTED`, telling the load nothing more (its counts are :func:`tell_diverted`'s)."""
    rows: dict[str, list[str]] = {}
    stale: dict[str, list[str]] = {}
    for rec, link in kept:
        source = link.origin.source if link.origin else writer.source
        shadow, replaced = writer._diverted_told.pop(link.id, (None, []))
        stale.setdefault(rec.id, []).extend(replaced)
        for text in rec.properties["identifiers"]:
            rows.setdefault(rec.id, []).append(diverted_entry(source, link.id, text, shadow))
    async with writer._exclusively():  # on the write lease, as every write of the load
        if any(stale.values()):  # an entry whose shadow the record moved: the new one replaces it
            await take_out(writer.store, stale, writer.batch_size)
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


async def withdraw_entries(store: Any, holders: Mapping[str, Iterable[tuple[str, str]]], batch_size: int) -> int:
    """Withdraw ``holders``' :data:`BLIND_DIVERTED` entries (holder id -> ``(entry, source)``: the
    source whose DEL names its link, or whose replace no longer states it), as of the wrong
    guess's link the entry's shadow is: one another source of the agency said too stays, its
    shadow without the source (retracted, not counted); one only the source said (or of before
    a-67, with no shadow) goes, told deleted; one the source never said is left as it is.
    Returns how many went."""
    gone: dict[str, list[str]] = {}
    kept: dict[str, list[str]] = {}
    for holder, pairs in holders.items():
        for entry, source in pairs:
            shadow = entry_shadow(entry)
            if shadow is not None:
                if not said_in(source, json.loads(shadow).get("sources") or ()):
                    continue
                left = withdrawn(shadow, source, link=True)
                if left is not None:
                    agency, link, text = json.loads(entry)[:3]
                    kept.setdefault(holder, []).append(json.dumps([agency, link, text, left], ensure_ascii=False))
            gone.setdefault(holder, []).append(entry)
    told = await take_out(store, gone, batch_size)
    rows = [{"id": h, "entries": e} for h, e in kept.items()]
    if rows:
        await store.write_batches("ingest/add_blind_diverted", rows, batch_size)
    return told - sum(len(e) for e in kept.values())


async def diverted_deletes(writer: Any) -> int:
    """Take out the :data:`BLIND_DIVERTED` entries a victim-blind ``writer``'s DELs of links name
    (by link id and source, on either end): how many, each told deleted as the wrong guess's
    link would be."""
    said = {(source_agency(source), i): source for (_, source), ids in writer._delete_edges.items() for i in ids
            if i in writer._blind_delete_ends}
    ends = sorted({e for i, pair in writer._blind_delete_ends.items() for e in pair})
    gone: dict[str, list[tuple[str, str]]] = {}
    for i in range(0, len(ends), writer.batch_size):
        for row in await writer.store.read("ingest/existing_nodes", {"ids": ends[i:i + writer.batch_size]}):
            held = (row["props"] or {}).get(BLIND_DIVERTED) or ()
            gone[str(row["id"])] = [(e, said[entry_link(e)]) for e in held if entry_link(e) in said]
    return await withdraw_entries(writer.store, gone, writer.batch_size)


async def reconcile_diverted(writer: Any, created: list[dict[str, Any]], recs: Mapping[str, Any],
                             multiple: frozenset[str], told_as: dict[str, str], shadows: list[dict[str, Any]]) -> int:
    """Of links just written (``created``: rows ``{id, start, end, props}``, an end of the load's
    own victims'), those an end holds a :data:`BLIND_DIVERTED` entry of, from the link's agency:
    said before while the identifier was quarantined, now written (the quarantine lifted: attack
    round a-67, 5). Each is told as a reload of the wrong guess's link, which the entry's shadow
    is, not created again, and its entry is taken out, so a later DEL or replace of it counts one
    link deleted, not the link and the entry. Each link's shadow goes to ``shadows`` (rows
    ``{id, shadow}``), what a reconciled one is told to ``told_as``; returns how many those are."""
    ends = sorted({e for r in created for e in (r["start"], r["end"])})
    stored = {str(r["id"]): r["props"] or {}
              for r in await writer.store.read("ingest/existing_nodes", {"ids": ends})}
    out: dict[str, tuple[str, str]] = {}
    gone: dict[str, list[str]] = {}
    for r in created:
        rec = recs[r["id"]]
        source = rec.origin.source if rec.origin else writer.source
        for end in (r["start"], r["end"]):
            held = [e for e in stored.get(end, {}).get(BLIND_DIVERTED) or ()
                    if entry_link(e) == (source_agency(source), r["id"])]
            if not held:
                continue
            gone.setdefault(end, []).extend(held)
            shadow, rows = entry_shadow(held[0]), []
            if shadow is None:  # an entry of before a-67
                out[r["id"]] = ("seen", link_shadow_text(r["props"]))
            else:
                told = tell_link_by_shadow(writer, r["id"], {BLIND_SHADOW: shadow}, r["props"], rec, multiple, rows)
                out[r["id"]] = (told, rows[0]["shadow"] if rows else shadow)
    if gone:
        await take_out(writer.store, gone, writer.batch_size)
    for r in created:
        # a link the blind load made: none of its sources' statements held before (a-90, 7)
        told, shadow = out.get(r["id"], ("created", link_shadow_text({**r["props"], HELD_BEFORE: []})))
        shadows.append({"id": r["id"], "shadow": shadow})
        if told != "created":
            told_as[r["id"]] = told
    return len(out)
