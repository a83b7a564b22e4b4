"""Items a retraction left held only by narrower statements are re-owned at the widest of them.

After a DEL (or a whole-source replace) withdrew a source, a node or relationship may still have
statements, none seen as widely as the item itself: another agency's AMBER or RED record that
repeated the owner's GREEN values ("adds nothing"), or the owner's own narrower record. Left as
it was, the item stayed at its old level with empty fields: every agency that saw it learnt that
some statement it could not see held it, and its owner could not delete its own node (attack
round 23, C1; new-user trial 8). So the item takes the owner and level of its owner's widest
remaining statement, or, once its owner has none left, of the widest statement that remains
(:func:`unheld`, :func:`widest`), which then follows it: it is seen only by who may see what still
asserts it, and to everyone else it is gone, as if deleted. The other choice, deleting the
narrower statements with it, would lose an agency's own assertion (a value only it holds, once
the owner widened the item past it) because another agency withdrew its own; re-owning loses
nothing and tells nothing (docs/provenance.md).

Except when the statement left is another agency's that the item's owner may not read: a record
kept apart from the item (:func:`graphapi.ingest.write_rules._kept_apart`, VN-MPS's AMBER record
on TH-DSI's GREEN node). Taking the item over at its level told the owner, reloading its own id,
that the item was held by that agency, and made the kept-apart alias a hit for every other agency
(attack round 27, F2). Such an item is *held apart* (``heldApart``, :func:`held_apart`): still
seen by the statement's audience, whose values it keeps, it answers as missing to everyone else
(no hit, no lookup, no audit mask: ``cypher/security``), and the next record of another
owner takes it over as a new item (attack round 30b, H1), the statement kept apart on it again
(``graphapi/ingest/write_nodes.py``). A held-apart node is taken over only by a record of its
own label; another, even one refining it, is refused "held by", as on an id held from the start
(``graphapi/ingest/take_over.py``: a take-over never changes what the holder's record says the
item is, attack round 31).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.statement_values import rebuild_values, usable_statements
from graphapi.ingest.statements import Statement, unasserted
from graphapi.ontology import Model
from graphapi.ontology.tlp import audience, item_audience, reaches_all, visible_to
from graphapi.security.kept_shares import SHARES, widen
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


def widest(stmts: list[Statement]) -> Statement:
    """The statement read by the most agencies (everyone first), the earliest first seen of
    those alike, and by source and owner on a tie (the same on both backends)."""
    def key(s: Statement) -> tuple:
        seen = audience(s.tlp, s.owner, s.shared_with)
        first = min((e[1] for e in s.entries.values()), default="")
        return (seen is not None, -len(seen or ()), first, s.source, s.owner)
    return min(stmts, key=key)


def unheld(props: Mapping[str, Any], stmts: list[Statement], *, owners: bool = False,
           deleting: str = "") -> Statement | None:
    """The statement item ``props`` should take its owner and level from, or None when some
    statement is seen as widely as the item (or none remains, or it is a placeholder). The
    owner's own first: while the owner has any statement left on its item, the item stays its
    own, at the widest of them, whatever other agencies recorded on it (the owner controls what it
    shares, as with ``unshare``); only an item its owner no longer asserts goes to the widest
    other statement. Before, one widest statement of any agency was taken, its tie broken by
    first seen and source name: TH-DSI's source 'a-th' or 'th' decided whether KH-NP kept its own
    RED record of p-1 after a DEL of its GREEN one (attack round 38a, 0); and only the owner's
    statements decide whether it narrows: TH-DSI's GREEN echo kept KH-NP's p-1 GREEN after KH-NP's
    DEL of its GREEN record, though KH-NP said p-1 at RED only (attack round 42a, 7). ``owners``: never
    another agency's (None when the owner has none), as after the owner's own record narrowed
    the item (a replace, a MOD): a record holding no value, its statement none, keeps its item
    (an owner's reload taking over a held-apart link is not handed back to it)."""
    if not stmts or props.get("unresolved"):
        return None
    own = [s for s in stmts if s.owner == props.get("owner")]
    # only the owner's own statements decide its narrowing, as with unshare (attack round 40a, 0),
    # after a retraction too: another agency's record as wide kept the owner's item wide (42a, 7)
    if own:
        return None if usable_statements(own, item_audience(props)) else widest(own)
    if owners:
        return None
    if _only_stated(props, stmts, deleting):
        return widest(stmts)  # its owner asserts it no more: the widest remaining statement's (40a, 0)
    return None if usable_statements(stmts, item_audience(props)) else widest(stmts)


def _only_stated(props: Mapping[str, Any], stmts: list[Statement], deleting: str) -> bool:
    """Whether every source of item ``props`` but ``deleting`` (a DEL's, withdrawn after) is one
    of statements ``stmts`` (or the load source of one of their datasets): no source asserts it
    without a value (as an owner's Membership without a role does), so an owner with no statement
    left asserts it no more."""
    stated = {s.source for s in stmts}
    return all(src in stated or any(x.startswith(src + ":") for x in stated)
               or (deleting and (src == deleting or src.startswith(deleting + ":")))
               for src in props.get("sources") or ())


def held_apart(props: Mapping[str, Any], pick: Statement) -> bool:
    """Whether item ``props``, left held by statement ``pick`` alone, is held apart: ``pick`` is
    another agency's, and the item's owner may not read it (a record kept apart from the item,
    whose existence its owner must not learn from the item's fate)."""
    owner = props.get("owner")
    seen = audience(pick.tlp, pick.owner, pick.shared_with)
    return pick.owner != owner and seen is not None and owner not in seen


def taken_over(stored: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Whether a record of properties ``record`` takes over the stored item ``stored``: the item
    is held apart, or another agency's placeholder (a bare reference, which holds no value), and
    the record's owner may not see it (to whom it answers as missing, as an id nobody loaded: a
    placeholder left by a DEL was refused as "held by" its link's owner, attack round 30b, H2).
    One who may see it (its holder shared it) merges into it as into any other agency's item.
    Only a record seen by everyone who sees the item takes it over: a narrower one (TH's RED
    record on KH's AMBER placeholder) would hide the item from its holder, cutting KH's own link
    (attack round 30c, H1/H2); it is refused as before, which tells that the id is held."""
    if not (stored.get("heldApart") or stored.get("unresolved")) or visible_to(stored, record.get("owner")):
        return False
    return reaches_all(item_audience(record), item_audience(stored))


def _with_shares(props: Mapping[str, Any], pick: Statement) -> Statement:
    """The owner's statement ``pick`` widened by the shares item ``props`` keeps, which no load
    of the owner takes back (:mod:`graphapi.security.kept_shares`): a record it kept narrower
    before sharing the item, left alone, is read by the agencies it shared the item with."""
    if pick.owner != props.get("owner") or not props.get(SHARES):
        return pick
    tlp, shared_with = widen(pick.tlp, pick.shared_with, props[SHARES])
    wide = pick.at_level(tlp or pick.tlp, shared_with)
    return pick if (wide.tlp, set(wide.shared_with)) == (pick.tlp, set(pick.shared_with)) else wide


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


def _on_mark(row: dict[str, Any], was: tuple[str, frozenset[str] | None],
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


async def _hold_for_links(store: GraphStore, ids: list[str],
                          by: Mapping[str, Any] | None = None) -> dict[str, tuple[str, frozenset[str] | None]]:
    """Hold nodes ``ids`` (no statement, no source left but the DEL's) as the placeholder of the
    widest relationship on them: re-owned at its level, ``unresolved``, and held apart with it
    (a link held apart answers as missing: so does its end); returns them as :func:`relevel`
    does. A node with no relationship left is not held (the DEL deleted it)."""
    links = await _links_on(store, ids)
    if not links:
        return {}
    nodes = {r["id"]: r["props"] or {} for r in await store.read("ingest/existing_nodes", {"ids": sorted(links)})}
    rows, out = [], {}
    for nid, found in links.items():
        props = nodes.get(nid, {})
        if props.get("unresolved"):  # a placeholder already (a replace's reference): as its links say
            x = _placeholders_link(props, found)
            if x is None:
                continue
        else:
            x = _holding_link(props.get("owner"), found)
        # the DEL's own source stays for ingest/retract_nodes to withdraw (and count) as ever
        sources = list(dict.fromkeys([*(nodes.get(nid, {}).get("sources") or []), *(x.get("sources") or [])]))
        out[nid] = (str(nodes.get(nid, {}).get("owner") or ""), item_audience(x))
        rows.append(_on_mark(_held_for(nid, x, sources), out[nid], by))
    await store.write("ingest/hold_as_placeholders", {"rows": rows})
    return out


async def hold_ends_for_links(store: GraphStore, ids: list[str], source: str, owner: str, scoped: bool) -> None:
    """Hold the placeholders among ``ids`` (the ends of links a DEL of ``source`` just deleted,
    still linked) at their widest remaining link, when only that source named them (the rule of
    ``ingest/drop_unlinked_placeholders``) and no remaining link is seen as widely as they are:
    TH-DSI's GREEN placeholder o-1 whose last GREEN link went, kept by KH-NP's RED one, answered
    as TH-DSI's GREEN node to every agency, and so told them a hidden link held it (attack round
    32, 3b); alone the DEL deleted it. It takes that link's owner, level and sources, its owner's
    link first (:func:`_placeholders_link`, never by agency names: attack round 42a, 5)."""
    if not ids:
        return
    links = await _links_on(store, ids)
    if not links:
        return
    rows = []
    for r in await store.read("ingest/existing_nodes", {"ids": sorted(links)}):
        props = r["props"] or {}
        if not props.get("unresolved") or not (scoped or props.get("owner") == owner):
            continue
        if not all(s == source or s.startswith(source + ":") for s in props.get("sources") or ()):
            continue
        x = _placeholders_link(props, links[r["id"]])
        if x is not None:
            rows.append(_held_for(r["id"], x, list(x.get("sources") or [])))
    if rows:
        await store.write("ingest/hold_as_placeholders", {"rows": rows})


async def hold_narrowed_ends(store: GraphStore, rel_type: str, ids: list[str],
                             batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """Hold the placeholders at the ends of relationships ``ids`` of ``rel_type`` (an owner's
    replace or MOD just narrowed them, or was to: a run again after a kill finds them narrowed)
    at their widest link, when no link is seen as widely as they are, as a load of the link at
    that level leaves them: KH-NP's GREEN placeholder o-1 of its Membership narrowed to RED
    stayed an empty GREEN node, and told every agency a hidden link held it (attack round 40a, 2;
    round 32, 3b). It takes that link's owner, level and sources, as after a DEL, its owner's link
    first, or another agency's link that takes it over as from the start (:func:`_placeholders_link`:
    attack round 42a, 2 and 5)."""
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


async def hold_ends_left_by(store: GraphStore, rel_type: str, ids: list[str], owner: str) -> None:
    """Hold the placeholders of ``owner`` at the ends of relationships ``ids`` of ``rel_type``
    on which ``owner`` links nothing any more (its DEL just handed them to the echoing agency:
    :func:`graphapi.ingest.echoes.reown_to_echoes`) at their widest link, as a load of that link
    leaves its ends: KH-NP's RED placeholders of m-1 handed to TH-DSI at GREEN stayed KH-NP's,
    TH-DSI and every other agency read nothing of TH-DSI's own link, and KH-NP owned both ends
    of a link it had deleted (attack round 45c, 2). Run again (a finish after a kill) it finds
    them held."""
    if not ids:
        return
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


async def relevel(store: GraphStore, ids: list[str], rel_type: str | None = None,
                  batch_size: int = DEFAULT_BATCH_SIZE, *, retracted: Collection[str] = (),
                  withdrawn: str = "", owners: bool = False, deleting: str = "",
                  mark: str = "", by: str = "") -> dict[str, tuple[str, frozenset[str] | None]]:
    """Re-own the nodes ``ids`` (relationships of ``rel_type``) left held only by narrower
    statements; returns the ids re-owned, each with its owner before and the agencies that see
    it now (None: everyone). The widest statement is written again as one that
    follows its item, so the new owner's shares carry it. A node the DEL of ``withdrawn`` left
    with no statement and no other source (``retracted``: those it took statements from), kept
    only as the end of relationships, is held as their placeholder (:func:`_hold_for_links`).
    Who takes it: :func:`unheld`, its owner first (``owners``: its owner only; ``deleting``: the
    source a DEL withdraws from them after this). ``mark``: the retraction batch's pending mark (of
    owner ``by``), where the same write keeps what it re-owns (:func:`_on_mark`)."""
    out: dict[str, tuple[str, frozenset[str] | None]] = {}
    batch = {"mark": mark, "owner": by, "retracted": set(retracted)} if mark else None
    for i in range(0, len(ids), batch_size):
        chunk = ids[i:i + batch_size]
        if rel_type is None:
            items = await store.read("ingest/existing_nodes", {"ids": chunk})
        else:
            items = await store.read("ingest/existing_relationships", {"ids": chunk}, type=rel_type)
        by_item: dict[str, list[Statement]] = {}
        for row in await store.read("provenance/statements_of", {"ids": chunk}):
            stmt = Statement.from_props(row["props"])
            by_item.setdefault(stmt.entity, []).append(stmt)
        rows, moved, old, was = [], [], [], {}
        linked: list[str] = []
        for item in items:
            stmts = by_item.get(item["id"], [])
            if rel_type is None and not stmts and unasserted(item["id"], item["props"] or {}, retracted, withdrawn):
                linked.append(item["id"])
            stated = unheld(item["props"] or {}, stmts, owners=owners, deleting=deleting)
            if stated is None:
                continue
            pick = _with_shares(item["props"] or {}, stated)
            was[item["id"]] = (str((item["props"] or {}).get("owner") or ""),
                               audience(pick.tlp, pick.owner, pick.shared_with))
            rows.append(_on_mark({"id": item["id"], "owner": pick.owner, "tlp": pick.tlp,
                                  "sharedWith": list(pick.shared_with) or None,
                                  "heldApart": True if held_apart(item["props"] or {}, pick) else None},
                                 was[item["id"]], batch))
            if not pick.follows or pick is not stated:
                moved.append(pick.at_level(pick.tlp, pick.shared_with, follows=True))
                if stated.id != moved[-1].id:
                    old.append(stated.id)
        if linked:
            out.update(await _hold_for_links(store, linked, batch))
        if not rows:
            continue
        # narrowed first: killed before the rest, the item is seen by fewer, never by more
        if rel_type is None:
            await store.write("ingest/relevel_nodes", {"rows": rows})
        else:
            await store.write("ingest/relevel_relationships", {"rows": rows}, type=rel_type)
        if moved:
            rows = [s.row() for s in moved]
            await store.write("provenance/write_statements", {"rows": rows})
            await store.write("provenance/delete_statements", {"ids": old})
        out.update(was)
    return out


async def follow_again(store: GraphStore, ids: list[str], rel_type: str | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """Nodes ``ids`` (relationships of ``rel_type``) a killed retraction batch re-owned (its
    mark's ``reowned``): the statement they took their level from follows them, as
    :func:`relevel` writes it after re-owning them. Killed in between, the finish finds each its
    new owner's already and re-owns nothing, so the statement stayed at its level (or both stayed:
    the old one and the one that follows)."""
    for i in range(0, len(ids), batch_size):
        chunk = ids[i:i + batch_size]
        if rel_type is None:
            items = await store.read("ingest/existing_nodes", {"ids": chunk})
        else:
            items = await store.read("ingest/existing_relationships", {"ids": chunk}, type=rel_type)
        props = {r["id"]: r["props"] or {} for r in items}
        own: dict[str, list[Statement]] = {}
        for row in await store.read("provenance/statements_of", {"ids": chunk}):
            stmt = Statement.from_props(row["props"])
            if stmt.entity in props and stmt.owner == props[stmt.entity].get("owner"):
                own.setdefault(stmt.entity, []).append(stmt)
        moved, old = [], []
        for nid, stmts in own.items():
            follows = {(s.source, s.tlp, frozenset(s.shared_with)) for s in stmts if s.follows}
            if follows:  # killed after writing it: the one it was moved from goes
                old += [s.id for s in stmts if not s.follows
                        and (s.source, s.tlp, frozenset(s.shared_with)) in follows]
                continue
            stated = widest(stmts)
            pick = _with_shares(props[nid], stated)
            moved.append(pick.at_level(pick.tlp, pick.shared_with, follows=True))
            if stated.id != moved[-1].id:
                old.append(stated.id)
        if moved:
            await store.write("provenance/write_statements", {"rows": [s.row() for s in moved]})
        if old:
            await store.write("provenance/delete_statements", {"ids": old})


async def narrow_to_owner(store: GraphStore, model: Model, rel_type: str, ids: list[str],
                          batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Items ``ids`` (nodes, or relationships of ``rel_type``) whose owner's own records now say
    them only more narrowly than the item is seen (a replace of the same records to fewer
    agencies: sharedWith LA-POL -> none, GREEN -> RED; a MOD at a narrower level) narrow to the
    owner's widest remaining statement, their values rebuilt at that level, as a fresh load of
    the new version leaves them. Before, the wider statement went and the item was rebuilt from
    none it could use: no name, no sources, still seen by LA-POL (attack round 35, 0). Returns
    the items narrowed: the load counts them updated (round 36: they were counted unchanged).
    Other agencies' statements on them stay, each at its own level (docs/provenance.md: the owner
    keeps control of what it shares, as with ``unshare``)."""
    reowned = await relevel(store, ids, rel_type or None, batch_size, owners=True)
    if rel_type:
        if reowned:
            await rebuild_relationship_values(store, model, {rel_type: sorted(reowned)}, batch_size)
        # every one, once rebuilt (their sources): a run again after a kill finds them narrowed
        await hold_narrowed_ends(store, rel_type, ids, batch_size)
    elif reowned:
        await rebuild_values(store, model, sorted(reowned), batch_size)
    return sorted(reowned)
