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

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any

from graphapi.ingest.placeholder_holds import hold_narrowed_ends, holds_for_links, on_mark, write_holds
from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.statement_values import rebuild_values, usable_statements
from graphapi.ingest.statements import Statement, unasserted
from graphapi.ingest.widened_links import gain
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


async def items_and_statements(store: GraphStore, ids: list[str], rel_type: str | None
                                 ) -> tuple[list[dict[str, Any]], dict[str, list[Statement]]]:
    """Nodes ``ids`` (relationships of ``rel_type``) as stored, and their statements by item."""
    if rel_type is None:
        items = await store.read("ingest/existing_nodes", {"ids": ids})
    else:
        items = await store.read("ingest/existing_relationships", {"ids": ids}, type=rel_type)
    by_item: dict[str, list[Statement]] = {}
    for row in await store.read("provenance/statements_of", {"ids": ids}):
        stmt = Statement.from_props(row["props"])
        by_item.setdefault(stmt.entity, []).append(stmt)
    return items, by_item


async def relevel(store: GraphStore, ids: list[str], rel_type: str | None = None,
                  batch_size: int = DEFAULT_BATCH_SIZE, *, retracted: Collection[str] = (),
                  withdrawn: str = "", emptied: Collection[str] = (), owners: bool = False, deleting: str = "",
                  mark: str = "", by: str = "",
                  before: Callable[[dict[str, dict[str, Any]]], Awaitable[Any]] | None = None
                  ) -> dict[str, tuple[str, frozenset[str] | None]]:
    """Re-own the nodes ``ids`` (relationships of ``rel_type``) left held only by narrower
    statements; returns the ids re-owned, each with its owner before and the agencies that see
    it now (None: everyone). The widest statement is written again as one that
    follows its item, so the new owner's shares carry it. A node the DEL of ``withdrawn`` left
    with no statement and no other source (``retracted``: those it took statements from), kept
    only as the end of relationships, is held as their placeholder (:func:`holds_for_links`), as is
    one of ``emptied`` (it had statements, taken now) left with none, whatever source remains.
    Who takes it: :func:`unheld`, its owner first (``owners``: its owner only; ``deleting``: the
    source a DEL withdraws from them after this). ``mark``: the retraction batch's pending mark (of
    owner ``by``), where the same write keeps what it re-owns (:func:`on_mark`). ``before`` is told
    the ids it is about to re-own or hold, each with who gains it (:func:`widened_links.gain`; one
    held, at the level of the link it is held at), before it writes (to
    note them: killed after the write, a rerun finds nothing left to re-own)."""
    out: dict[str, tuple[str, frozenset[str] | None]] = {}
    batch = {"mark": mark, "owner": by, "retracted": {*retracted, *emptied}} if mark else None
    for i in range(0, len(ids), batch_size):
        items, by_item = await items_and_statements(store, ids[i:i + batch_size], rel_type)
        rows, moved, old, was = [], [], [], {}
        linked: list[str] = []
        gains: dict[str, dict[str, Any]] = {}
        for item in items:
            stmts = by_item.get(item["id"], [])
            said = item["props"] or {}
            if rel_type is None and not stmts and (item["id"] in emptied
                                                   or unasserted(item["id"], said, retracted, withdrawn)):
                linked.append(item["id"])
            stated = unheld(item["props"] or {}, stmts, owners=owners, deleting=deleting)
            if stated is None:
                continue
            pick = _with_shares(item["props"] or {}, stated)
            was[item["id"]] = (str((item["props"] or {}).get("owner") or ""),
                               audience(pick.tlp, pick.owner, pick.shared_with))
            gains[item["id"]] = gain(item_audience(item["props"] or {}), was[item["id"]][1])
            rows.append(on_mark({"id": item["id"], "owner": pick.owner, "tlp": pick.tlp,
                                  "sharedWith": list(pick.shared_with) or None,
                                  "heldApart": True if held_apart(item["props"] or {}, pick) else None},
                                 was[item["id"]], batch))
            if not pick.follows or pick is not stated:
                moved.append(pick.at_level(pick.tlp, pick.shared_with, follows=True))
                if stated.id != moved[-1].id:
                    old.append(stated.id)
        # a held placeholder is seen at the level of the link it is held at: gained only by who
        # sees that link and did not see it (not every agency outside: VN-MPS's hidden link on p-1
        # held at KH-NP's own link added writes and a read, attack round a-98, 2)
        holds = await holds_for_links(store, linked) if linked else {}
        props = {item["id"]: item["props"] or {} for item in items}
        gains.update({nid: gain(item_audience(props[nid]), seen) for nid, ((_, seen), _) in holds.items()})
        if before is not None and gains:
            await before(gains)
        out.update(await write_holds(store, holds, batch))
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
        items, by_item = await items_and_statements(store, ids[i:i + batch_size], rel_type)
        props = {r["id"]: r["props"] or {} for r in items}
        own = {nid: mine for nid, stmts in by_item.items() if nid in props
               for mine in [[s for s in stmts if s.owner == props[nid].get("owner")]] if mine}
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
                          batch_size: int = DEFAULT_BATCH_SIZE, *, held: set[str] | None = None) -> list[str]:
    """Items ``ids`` (nodes, or relationships of ``rel_type``) whose owner's own records now say
    them only more narrowly than the item is seen (a replace of the same records to fewer
    agencies: sharedWith LA-POL -> none, GREEN -> RED; a MOD at a narrower level) narrow to the
    owner's widest remaining statement, their values rebuilt at that level, as a fresh load of
    the new version leaves them. Before, the wider statement went and the item was rebuilt from
    none it could use: no name, no sources, still seen by LA-POL (attack round 35, 0). Returns
    the items narrowed: the load counts them updated (round 36: they were counted unchanged).
    Other agencies' statements on them stay, each at its own level (docs/provenance.md: the owner
    keeps control of what it shares, as with ``unshare``). ``held`` gains the placeholders held
    anew at the narrowed relationships' ends: another agency may see them now (the breaker's
    bounds, :mod:`graphapi.ingest.holder_bounds`; attack round a-68, 2)."""
    reowned = await relevel(store, ids, rel_type or None, batch_size, owners=True)
    if rel_type:
        if reowned:
            await rebuild_relationship_values(store, model, {rel_type: sorted(reowned)}, batch_size)
        # every one, once rebuilt (their sources): a run again after a kill finds them narrowed
        ends = await hold_narrowed_ends(store, rel_type, ids, batch_size)
        if held is not None:
            held.update(ends)
    elif reowned:
        await rebuild_values(store, model, sorted(reowned), batch_size)
    return sorted(reowned)
