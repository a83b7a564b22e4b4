"""Placeholders held at the links left on them: a node with no statement of its own, only the end
of relationships (``unresolved``), takes the owner, level and sources of the link it is held at,
so that it is seen exactly as widely as what still links it (docs/provenance.md, placeholders).
A DEL, a replace or an owner's narrowing that changes the links on such a node holds it again
here; :mod:`graphapi.ingest.relevel` re-owns the items that still have statements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphapi.ontology.tlp import item_audience, reaches_all
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


def _widest_link(links: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The link read by the most agencies, the earliest first seen of those alike; by owner and
    sources only on the same first seen (the same on both backends)."""
    def key(x: Mapping[str, Any]) -> tuple:
        seen = item_audience(x)
        return (seen is not None, -len(seen or ()), str(x.get("firstSeen") or ""), str(x.get("owner")),
                sorted(x.get("sources") or []))
    return min(links, key=key)


def _holding_link(owner: Any, links: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The link of ``links`` a placeholder of ``owner`` is held at: the widest of its owner's,
    the owner keeping it whatever other agencies are named (ID-POLRI's AMBER link took KH-NP's
    placeholder from KH-NP's own narrowed RED one, where TH-DSI's did not: attack round 42a, 5),
    unless another agency's link is seen by everyone who sees that one: that link takes the
    placeholder over, as it takes over a placeholder its agency may not see from the start, and
    the placeholder no longer names the owner's source (attack round 42a, 2). With no link of its
    owner, the widest link."""
    own = [x for x in links if x.get("owner") == owner]
    if not own:
        return _widest_link(links)
    mine = _widest_link(own)
    over = [x for x in links if x.get("owner") != owner and reaches_all(item_audience(x), item_audience(mine))]
    return _widest_link(over) if over else mine


def _placeholders_link(props: Mapping[str, Any], links: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The link placeholder ``props`` is held at once its links changed (``links``, those left
    on it; :func:`_holding_link`), or None when it stays as it is: a link of its owner is seen
    as widely as it (or, its owner linking it no more, any link)."""
    wide, own = item_audience(props), [x for x in links if x.get("owner") == props.get("owner")]
    if any(reaches_all(item_audience(x), wide) for x in own or links):
        return None  # a link seen as widely still holds it where it is
    return _holding_link(props.get("owner"), links)


async def _links_on(store: GraphStore, ids: list[str]) -> dict[str, list[Mapping[str, Any]]]:
    """The relationships on nodes ``ids`` (``ingest/link_levels``: owner, level, sources), by node;
    a node with none is left out."""
    links: dict[str, list[Mapping[str, Any]]] = {}
    for row in await store.read("ingest/link_levels", {"ids": ids}):
        links.setdefault(row["id"], []).append(row)
    return links


def _held_for(nid: str, link: Mapping[str, Any], sources: list[str]) -> dict[str, Any]:
    """The ``ingest/hold_as_placeholders`` row holding node ``nid`` as ``link``'s placeholder:
    its owner, level and held-apart flag, with ``sources``."""
    return {"id": nid, "owner": link.get("owner"), "tlp": link.get("tlp"), "sharedWith": link.get("sharedWith"),
            "sources": sources or None, "heldApart": link.get("heldApart") or None}


def on_mark(row: dict[str, Any], was: tuple[str, frozenset[str] | None],
             by: Mapping[str, Any] | None) -> dict[str, Any]:
    """Re-owning ``row`` (``was``: its owner before, who sees it now) for a retraction batch ``by``
    (its ``mark``, ``owner`` and the items it took statements from, ``retracted``): the same write
    keeps on the batch's mark whether the node leaves the batch's owner (``away``) or, one it took
    a statement from, its sight (``unseen``). Killed after it, the batch's finish finds the node
    re-owned already and would withdraw nothing from it nor delete the owner's links on it
    (attack round 45a, 3: the deleted record's phone stayed published)."""
    if not by:
        return row
    owner, seen = by["owner"], was[1]
    return {**row, "mark": by["mark"], "away": was[0] == owner or None,
            "unseen": (row["id"] in by["retracted"] and seen is not None and owner not in seen) or None}


async def holds_for_links(store: GraphStore, ids: list[str]) -> dict[str, tuple[tuple[str, Any], dict[str, Any]]]:
    """How to hold nodes ``ids`` (no statement, no source left but the DEL's) as the placeholder of
    the widest relationship on them: re-owned at its level, ``unresolved``, and held apart with it
    (a link held apart answers as missing: so does its end). Per node held, its owner before with
    who sees it once held (the level of the link it is held at), and its row, unwritten
    (:func:`write_holds`): read first, who gains it is known before the write (relevel's
    ``before``: attack round a-98, 2). A node with no relationship left is not held (the DEL
    deleted it)."""
    links = await _links_on(store, ids)
    if not links:
        return {}
    nodes = {r["id"]: r["props"] or {} for r in await store.read("ingest/existing_nodes", {"ids": sorted(links)})}
    out = {}
    for nid, found in links.items():
        props = nodes.get(nid, {})
        if props.get("unresolved"):  # a placeholder already (a replace's reference): as its links say
            x = _placeholders_link(props, found)
            if x is None:
                continue
        else:
            x = _holding_link(props.get("owner"), found)
        # the DEL's own source stays for ingest/retract_nodes to withdraw (and count) as ever
        sources = list(dict.fromkeys([*(props.get("sources") or []), *(x.get("sources") or [])]))
        out[nid] = ((str(props.get("owner") or ""), item_audience(x)), _held_for(nid, x, sources))
    return out


async def write_holds(store: GraphStore, holds: Mapping[str, tuple[tuple[str, Any], dict[str, Any]]],
                      by: Mapping[str, Any] | None = None) -> dict[str, tuple[str, frozenset[str] | None]]:
    """Write the ``holds`` of :func:`holds_for_links` (on the batch's mark ``by``: :func:`on_mark`);
    returns them as :func:`graphapi.ingest.relevel.relevel` does."""
    if not holds:
        return {}
    await store.write("ingest/hold_as_placeholders", {"rows": [on_mark(row, was, by) for was, row in holds.values()]})
    return {nid: was for nid, (was, _) in holds.items()}


async def hold_ends_for_links(store: GraphStore, ids: list[str], source: str, owner: str, scoped: bool) -> list[str]:
    """Hold the placeholders among ``ids`` (the ends of links a DEL of ``source`` just deleted,
    still linked) at their widest remaining link, when only that source named them (the rule of
    ``ingest/drop_unlinked_placeholders``) and no remaining link is seen as widely as they are:
    TH-DSI's GREEN placeholder o-1 whose last GREEN link went, kept by KH-NP's RED one, answered
    as TH-DSI's GREEN node to every agency, and so told them a hidden link held it (attack round
    32, 3b); alone the DEL deleted it. It takes that link's owner, level and sources, its owner's
    link first (:func:`_placeholders_link`, never by agency names: attack round 42a, 5). Returns
    the placeholders held anew: another agency may see them now (the breaker's bounds,
    :mod:`graphapi.ingest.holder_bounds`, attack round a-68, 2)."""
    if not ids:
        return []
    # the placeholders first, then their links: an end that is a hub is no placeholder, and its
    # every link read per DEL of one link to it made a delta of DEL/ADD pairs read it per pair (a-62, 6)
    held: dict[str, dict[str, Any]] = {}
    for r in await store.read("ingest/existing_nodes", {"ids": sorted(set(ids))}):
        props = r["props"] or {}
        if not props.get("unresolved") or not (scoped or props.get("owner") == owner):
            continue
        if all(s == source or s.startswith(source + ":") for s in props.get("sources") or ()):
            held[r["id"]] = props
    links = await _links_on(store, sorted(held)) if held else {}
    rows = []
    for nid in sorted(links):
        x = _placeholders_link(held[nid], links[nid])
        if x is not None:
            rows.append(_held_for(nid, x, list(x.get("sources") or [])))
    if rows:
        await store.write("ingest/hold_as_placeholders", {"rows": rows})
    return [r["id"] for r in rows]


async def hold_narrowed_ends(store: GraphStore, rel_type: str, ids: list[str],
                             batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Hold the placeholders at the ends of relationships ``ids`` of ``rel_type`` (an owner's
    replace or MOD just narrowed them, or was to: a run again after a kill finds them narrowed)
    at their widest link, when no link is seen as widely as they are, as a load of the link at
    that level leaves them: KH-NP's GREEN placeholder o-1 of its Membership narrowed to RED
    stayed an empty GREEN node, and told every agency a hidden link held it (attack round 40a, 2;
    round 32, 3b). It takes that link's owner, level and sources, as after a DEL, its owner's link
    first, or another agency's link that takes it over as from the start (:func:`_placeholders_link`:
    attack round 42a, 2 and 5). Returns the placeholders held anew (as :func:`hold_ends_for_links`)."""
    out: list[str] = []
    for i in range(0, len(ids), batch_size):
        rels = await store.read("ingest/existing_relationships", {"ids": ids[i:i + batch_size]}, type=rel_type)
        ends = sorted({str(e) for r in rels for e in (r["start"], r["end"]) if e is not None})
        nodes = await store.read("ingest/existing_nodes", {"ids": ends}) if ends else []
        held = {r["id"]: r["props"] or {} for r in nodes if (r["props"] or {}).get("unresolved")}
        links = await _links_on(store, sorted(held)) if held else {}
        rows = []
        for nid, found in sorted(links.items()):
            x = _placeholders_link(held[nid], found)
            if x is not None:
                rows.append(_held_for(nid, x, list(x.get("sources") or [])))
        if rows:
            await store.write("ingest/hold_as_placeholders", {"rows": rows})
            out += [r["id"] for r in rows]
    return out


async def hold_ends_left_by(store: GraphStore, rel_type: str, ids: list[str], owner: str) -> list[str]:
    """Hold the placeholders of ``owner`` at the ends of relationships ``ids`` of ``rel_type``
    on which ``owner`` links nothing any more (its DEL just handed them to the echoing agency:
    :func:`graphapi.ingest.echoes.reown_to_echoes`) at their widest link, as a load of that link
    leaves its ends: KH-NP's RED placeholders of m-1 handed to TH-DSI at GREEN stayed KH-NP's,
    TH-DSI and every other agency read nothing of TH-DSI's own link, and KH-NP owned both ends
    of a link it had deleted (attack round 45c, 2). Run again (a finish after a kill) it finds
    them held. Returns the placeholders held anew (as :func:`hold_ends_for_links`)."""
    if not ids:
        return []
    rels = await store.read("ingest/existing_relationships", {"ids": ids}, type=rel_type)
    ends = sorted({str(e) for r in rels if (r["props"] or {}).get("owner") != owner
                   for e in (r["start"], r["end"]) if e is not None})  # another agency's now
    nodes = await store.read("ingest/existing_nodes", {"ids": ends}) if ends else []
    held = {r["id"]: r["props"] or {} for r in nodes
            if (r["props"] or {}).get("unresolved") and (r["props"] or {}).get("owner") == owner}
    links = await _links_on(store, sorted(held)) if held else {}
    rows = [_held_for(nid, x, list(x.get("sources") or [])) for nid, found in sorted(links.items())
            if not any(f.get("owner") == owner for f in found) for x in [_widest_link(found)]]
    if rows:
        await store.write("ingest/hold_as_placeholders", {"rows": rows})
    return [r["id"] for r in rows]
