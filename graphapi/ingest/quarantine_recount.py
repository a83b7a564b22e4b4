"""The circuit breaker's recount of an identifier: its holders counted again in the store, per
audience, and its quarantine settled on the count (the ``quarantined`` flag everyone reads from the
holders everyone may see, each agency's internal mark in ``quarantinedFor`` from the holders that
agency may see). An analyst's review asks for it (:mod:`graphapi.security.quarantine_review`); so
does every change that may leave a quarantine stale: an unshare (:mod:`graphapi.security.share`)
and a load's deletes of linking relationships (:class:`graphapi.ingest.writer.Writer`), for the
quarantined identifiers at the ends of the links changed (attack round 55, 5: a partner's mark
outlived the sharing that made it). A quarantine lifts only once its holders fall below the limit
(the breaker leaves exactly ``limit`` of them linked when it stops a load's links, and more links
bring it back); a new one needs more than the limit, as in the breaker. When the flag lifts, the
agencies it covered that still see enough holders through items shared with them (owning none of
them, so not counted as owners) keep a mark of their own (``ingest/identifier_shared_views``,
attack round a-58, 6). A load's deletes recount once, after them, what they noted
(:mod:`graphapi.ingest.pending_recounts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphapi.ingest.guard import load_exclusions
from graphapi.store.base import GraphStore

#: Ids per read of ``ingest/quarantined_near``.
BATCH = 1_000
#: Agencies one recount counts with ``identifier_holders`` at most (the caller, then the owners of
#: items not public): it costs holders x agencies (a-57, 4). The marks of the others are counted in
#: one pass (``identifier_marked_views``), and at most this many agencies keep a mark of their own
#: when the flag lifts (``identifier_shared_views``).
MAX_AGENCIES = 32


@dataclass(frozen=True)
class Recount:
    """A recount of one identifier: ``flag`` for everyone, the agencies it is ``marks``ed for, and
    ``views``: each agency concerned's row of ``ingest/identifier_holders`` (holders it may see)."""

    flag: bool
    marks: list[str]
    views: dict[str, dict[str, Any]]


def still_quarantined(holders: int, limit: int, *, before: bool) -> bool:
    """The breaker's decision on a recount: past the limit, or (already quarantined) at it."""
    return holders >= limit if before else holders > limit


async def recount(store: GraphStore, node_id: str, types: list[str], limit: int,
                  agency: str | None = None, *, widened: bool = False) -> Recount | None:
    """Count identifier ``node_id``'s holders again (by the linking ``types``) for everyone, for
    ``agency`` and for every agency whose view may differ, and settle its flag and marks (written
    only if they change); None if no node has that id (deleted since it was noted: a load deleting
    a link and then the phone it quarantined, attack round a-62, 1). ``widened``: a widening's
    recount (:mod:`graphapi.ingest.pending_widenings`), which marks too the agencies that see the
    holders only through shares and pass the limit (``identifier_shared_views``), as the breaker's
    own check of a widening does: counting owners alone left TH-DSI at 6 of 5, unmarked, for good
    (attack round a-89, 2 and 5). A write of the caller's (the store's write lease, where it takes
    one)."""
    agencies = [agency] if agency is not None else []
    agencies += sorted(await _audiences(store, node_id, types) - set(agencies))
    row = await _holders(store, node_id, types, agencies[:MAX_AGENCIES])
    if row is None:
        return None
    views = {v["agency"]: v for v in row["audience"]}
    # every mark of an agency not counted is counted too: those whose links went since, those the cap
    # cut (past 32 owners, a late one's mark outlived its DEL: a-58, 5), and those shared with only,
    # each of them: cut at 32, made-up ones pushed a real agency's out (a-62, 3b)
    stale = sorted(set(row["marks"]) - set(views))
    if stale:
        beyond = await _marked_views(store, node_id, types, stale)
        views.update((a, {"agency": a, "holders": row["holders"] + beyond.get(a, 0), "quarantined": True})
                     for a in stale)
    flag = still_quarantined(row["holders"], limit, before=bool(row["quarantined"]))
    marks = {a for a, v in views.items() if still_quarantined(v["holders"], limit, before=bool(v["quarantined"]))}
    if row["quarantined"] and not flag:  # the flag lifts: those it covered who still see enough keep theirs
        marks |= await _shared_views(store, node_id, types, limit, row["holders"], known=set(views))
    elif widened and not flag and row["holders"] + row["hidden"] > limit:  # no view passes it otherwise
        marks |= await _shared_views(store, node_id, types, limit, row["holders"], known=set(views) | set(row["marks"]),
                                     before=False)
    before = set(row["marks"])
    lift, add = sorted((before & set(views)) - marks), sorted(marks - before)
    if flag != bool(row["quarantined"]) or lift or add:
        # a change, not the list read above: a mark a load writes meanwhile stays (a-57, 5)
        await store.write("ingest/settle_quarantine", {"id": node_id, "flag": flag if flag != bool(
            row["quarantined"]) else None, "lift": lift, "add": add})
    return Recount(flag, sorted(marks | (before - set(views))), views)


async def recount_near(store: GraphStore, ends: Iterable[str], near: Iterable[str] = (), *,
                       types: Iterable[str] | None = None, limit: int | None = None) -> list[str]:
    """Recount the quarantined identifiers (a flag or marks) among ``ends`` (the ends of links
    changed) and linked to nodes ``near`` (holders whose audience changed); the rest are left as
    they are (a new quarantine is the breaker's, when links come). ``types`` and ``limit``: the
    linking relationship types and correlation limit, by default the policy's (seed/exclusions).
    Returns the ids recounted."""
    if types is None or limit is None:
        ex = load_exclusions()
        types = ex.linking_relationships if types is None else types
        limit = ex.correlation_limit if limit is None else limit
    found = await quarantined_near(store, ends, near, types)
    await recount_all(store, found, types, limit)
    return found


async def quarantined_near(store: GraphStore, ends: Iterable[str], near: Iterable[str],
                           types: Iterable[str]) -> list[str]:
    """The identifiers with a flag or marks among ``ends`` and linked to nodes ``near`` by the
    linking ``types`` (read in batches): before a change that takes their links away, those to
    recount once it is done (:func:`recount_all`)."""
    ends, near, kinds = list(dict.fromkeys(ends)), list(dict.fromkeys(near)), sorted(types)
    found: dict[str, None] = {}
    for i in range(0, max(len(ends), len(near)), BATCH):
        for row in await store.read("ingest/quarantined_near", {"ids": ends[i:i + BATCH],
                                                                "near": near[i:i + BATCH], "types": kinds}):
            found[row["id"]] = None
    return list(found)


async def recount_all(store: GraphStore, ids: Iterable[str], types: Iterable[str], limit: int, *,
                      widened: bool = False) -> None:
    """:func:`recount` each identifier of ``ids`` (one deleted since is passed over)."""
    kinds = sorted(types)
    for node_id in ids:
        await recount(store, node_id, kinds, limit, widened=widened)


async def _holders(store: GraphStore, node_id: str, types: list[str],
                   agencies: list[str]) -> dict[str, Any] | None:
    """``ingest/identifier_holders`` of one identifier: for everyone, and each of ``agencies``;
    None if there is no such node."""
    rows = await store.read("ingest/identifier_holders", {"ids": [node_id], "types": types, "agencies": agencies})
    return rows[0] if rows else None


async def _shared_views(store: GraphStore, node_id: str, types: list[str], limit: int, public: int, *,
                        known: set[str], before: bool = True) -> set[str]:
    """The agencies not ``known`` (counted already) that see past the limit, or at it (``before``:
    the flag lifting covered them), with the items not public they may see (shared with them, or
    their own) beside the ``public`` holders: at most :data:`MAX_AGENCIES`, those seeing most first
    (attack round a-58, 6), those owning an item of the graph before the others, and the others by
    turns of the owners whose items name them (a-62, 3; a-63, 3: docs/security.md, "Agencies")."""
    rows = await store.read("ingest/identifier_shared_views", {
        "id": node_id, "types": types, "known": sorted(known), "at": max(limit - public + (0 if before else 1), 1),
        "max": MAX_AGENCIES})
    return {r["agency"] for r in rows
            if still_quarantined(public + r["holders"], limit, before=before)}


async def _marked_views(store: GraphStore, node_id: str, types: list[str], agencies: list[str]) -> dict[str, int]:
    """How many holders not public each of ``agencies`` (marked, not counted) sees
    (``ingest/identifier_marked_views``, one pass however many); one seeing none is left out."""
    out: dict[str, int] = {}
    for i in range(0, len(agencies), BATCH):
        out.update((r["agency"], int(r["holders"])) for r in await store.read(
            "ingest/identifier_marked_views", {"id": node_id, "types": types, "agencies": agencies[i:i + BATCH]}))
    return out


async def _audiences(store: GraphStore, node_id: str, types: list[str]) -> set[str]:
    """The agencies whose view of the identifier's holders may differ from everyone's: the owners
    of its links and holders not public."""
    out: set[str] = set()
    for row in await store.read("ingest/identifier_audiences", {"id": node_id, "types": types}):
        out.update(owner for owner in (row["link"], row["holder"]) if owner is not None)
    return out
