"""What an access grant's share gives the requester, noted before the share, and taking back
exactly that when the grant fails.

A grant's share adds the requester to the granted nodes, to the owner's relationships among them
and toward nodes the requester sees, and relaxes those stricter than AMBER to AMBER. So before the
share the grant notes (:func:`also_shared`) the items the requester is not on yet (``nodes``,
``ties``) and the level of each item the share relaxes (``levels``); a failed or killed grant
takes back exactly that (:func:`take_back_also`): the requester withdrawn from the noted items,
and a relaxed level put back where the item still has the level the share gave it. A failed
grant of a hidden phone and two CLEAR people left the owner's AMBER tie between them shared
(attack round 39a, 4); one left a RED tie AMBER, read by every agency on its sharedWith, and one
withdrew the requester from a RED id and ties shared with it before (round 41a, 1). Taking back
reads the items as they are now, so a take-back cut short and run again converges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graphapi.security.owned_ties import owned_among, owned_toward_seen, rebuild_items, stricter_than
from graphapi.security.statement_levels import follow_sharing
from graphapi.store import GraphStore

#: Keys of a noted relationship (the rows ``security/take_back_relationships`` takes, with its type).
TIE_KEYS = ("id", "type", "start", "end")
#: The level a grant's share opens items to (:func:`graphapi.security.access_decide.decide`).
GRANT_TLP = "AMBER"


def _tie(r: dict, rel_type: str) -> dict[str, str]:
    return {"id": r["id"], "type": rel_type, "start": r["start"], "end": r["end"]}


async def _relationship_levels(store: GraphStore, owner: str, ties: list[dict[str, str]]) -> dict[str, dict]:
    """The owner's relationships ``ties`` as they are now: id -> row (id, type, start, end, tlp, sharedWith)."""
    wanted = {t["id"] for t in ties}
    starts = sorted({t["start"] for t in ties})
    rows = await store.read("security/owned_relationships_from", {"ids": starts, "agency": owner}) if starts else []
    return {r["id"]: r for r in rows if r["id"] in wanted}


async def also_shared(store: GraphStore, owner: str, wanted: list[str], requester: str,
                      noted: Mapping[str, str] | None = None, covered: Sequence[dict[str, str]] = ()
                      ) -> tuple[list[str], list[dict[str, str]], list[dict[str, str]]]:
    """Before the share, in the grant's turn: what the share of ``wanted`` to ``requester`` at
    AMBER changes. Returns ``(nodes, ties, levels)``: the ``wanted`` nodes ``owner`` owns that are
    not shared with the requester, the relationships the share may give it that are not shared with
    it (rows id, type, start, end), and the items the share relaxes with their level before (rows
    id, tlp; a relationship's with its type, start and end). ``noted``: the levels another killed
    grant of the owner's noted (id -> tlp), before which an item still AMBER was at that level: the
    share takes them over (:func:`graphapi.security.access_notes.hand_over_levels`), so this
    grant's take-back puts them back. ``covered``: the relationships the share gives the requester
    whether it is on them or not (:func:`covered_ties`): one it is on already, still AMBER where
    another killed grant noted its level, is taken over too (the grant lists it as its own)."""
    if not wanted:
        return [], [], []
    stricter = set(stricter_than(GRANT_TLP))
    noted = noted or {}

    def before(item: dict) -> str | None:
        """The item's level before any grant relaxed it, if the share relaxes it; else None."""
        tlp = item["tlp"] or "RED"
        return tlp if tlp in stricter else noted.get(item["id"]) if tlp == GRANT_TLP else None

    params = {"ids": wanted, "agency": owner}
    owned = await store.read("security/owned_node_levels", params)
    nodes = sorted(r["id"] for r in owned if requester not in (r["sharedWith"] or []))
    levels = [{"id": r["id"], "tlp": tlp} for r in owned if (tlp := before(r)) is not None]
    mine = sorted(r["id"] for r in owned)  # the share's relationships are from the ids it shares only
    touched: dict[str, dict[str, str]] = {}
    for rel_type, rows in (await owned_among(store, mine, owner)).items():
        touched.update({r["id"]: _tie(r, rel_type) for r in rows})
    for by_type in (await owned_toward_seen(store, mine, owner, [requester])).values():
        for rel_type, rows in by_type.items():  # those the requester does not see yet
            touched.update({r["id"]: _tie(r, rel_type) for r in rows})
    every = {**{t["id"]: dict(t) for t in covered}, **touched}
    now = await _relationship_levels(store, owner, list(every.values()))
    ties = [touched[k] for k in sorted(now) if k in touched and requester not in (now[k]["sharedWith"] or [])]
    levels += [{**every[k], "tlp": tlp} for k in sorted(now) if (tlp := before(now[k])) is not None]
    return nodes, ties, levels


async def covered_ties(store: GraphStore, owner: str, wanted: list[str], requester: str) -> list[dict[str, str]]:
    """Before the share, in the grant's turn: the owner's relationships the share of ``wanted``
    gives ``requester``, whether it is on them already or not (rows id, type, start, end, by id): those a
    granted request holds (:attr:`graphapi.security.access.AccessRequest.shared_ties`), whose share
    entry a killed grant's take-back leaves. A tie the share does not give (toward a node the
    requester does not see) is not the granted request's, though it touches one of its ids: a
    killed grant's entry on it outlived the owner's record (attack round 45b, 1)."""
    if not wanted:
        return []
    mine = sorted(r["id"] for r in await store.read("security/owned_node_levels", {"ids": wanted, "agency": owner}))
    rows: dict[str, dict[str, str]] = {}
    for found in [await owned_among(store, mine, owner),
                  *(await owned_toward_seen(store, mine, owner, [requester], shown=True)).values()]:
        for rel_type, tie_rows in found.items():
            rows.update({r["id"]: _tie(r, rel_type) for r in tie_rows})
    return [rows[k] for k in sorted(rows)]


async def take_back_also(store: GraphStore, owner: str, nodes: list[str], ties: list[dict[str, str]],
                         requester: str, levels: list[dict[str, str]] | None = None) -> list[str]:
    """Take back what :func:`also_shared` noted: ``requester`` withdrawn from the ``nodes`` and
    ``ties`` it is on now, and each of ``levels`` put back where the item still has the level the
    grant's share gave it (the statements narrowed first, as an unshare does; the items' values
    rebuilt whatever changed, so a rerun after a cut finishes them); returns the ids changed."""
    levels = levels or []
    before = {r["id"]: r["tlp"] for r in levels}
    withdraw = set(nodes) | {t["id"] for t in ties}
    node_ids = sorted(set(nodes) | {r["id"] for r in levels if "type" not in r})
    all_ties = {t["id"]: t for t in [*ties, *(r for r in levels if "type" in r)]}

    def change(row: dict) -> dict | None:
        """The item's row as it will be, or None if the take-back leaves it as it is."""
        shared_with = row["sharedWith"] or []
        out = row["id"] in withdraw and requester in shared_with
        tlp = before.get(row["id"]) if row["tlp"] == GRANT_TLP else None
        if not out and tlp is None:
            return None
        return {"id": row["id"], "withdraw": out, "tlp": tlp,
                "sharedWith": [x for x in shared_with if x != requester] if out else shared_with,
                "level": tlp or row["tlp"]}

    now_nodes = await store.read("security/owned_node_levels", {"ids": node_ids, "agency": owner}) if node_ids else []
    now_ties = await _relationship_levels(store, owner, list(all_ties.values()))
    node_rows = [c for c in map(change, now_nodes) if c is not None]
    tie_rows = {k: c for k, c in ((k, change(r)) for k, r in now_ties.items()) if c is not None}
    await follow_sharing(store, owner, [  # the statements first: a cut run leaves none wider than their item
        {"id": c["id"], "tlp": c["level"], "sharedWith": c["sharedWith"]} for c in [*node_rows, *tie_rows.values()]])
    params = {"requester": requester, "raised": GRANT_TLP, "agency": owner}
    by_type: dict[str, list[dict]] = {}
    for k, c in tie_rows.items():
        t = all_ties[k]
        by_type.setdefault(t["type"], []).append(
            {"id": k, "start": t["start"], "end": t["end"], "withdraw": c["withdraw"], "tlp": c["tlp"]})
    for rel_type, rows in sorted(by_type.items()):
        await store.write_batches("security/take_back_relationships", rows, params=params, type=rel_type)
    if node_rows:
        await store.write("security/take_back_nodes", {
            **params, "rows": [{"id": c["id"], "withdraw": c["withdraw"], "tlp": c["tlp"]} for c in node_rows]})
    await rebuild_items(store, [r["id"] for r in now_nodes], [{"id": k, "type": all_ties[k]["type"]} for k in now_ties])
    return sorted([*(c["id"] for c in node_rows), *tie_rows])
