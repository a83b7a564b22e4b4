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
from dataclasses import dataclass, field

from graphapi.security.owned_ties import owned_among, owned_toward_seen, rebuild_items, stricter_than
from graphapi.security.statement_levels import follow_sharing
from graphapi.store import GraphStore

#: Keys of a noted relationship (the rows ``security/take_back_relationships`` takes, with its type).
TIE_KEYS = ("id", "type", "start", "end")
#: Levels every agency reads an item at, shared or not: a grant never needs to hold such a tie.
READ_BY_ALL = frozenset({"CLEAR", "GREEN"})
#: The level a grant's share opens items to (:func:`graphapi.security.access_decide.decide`).
GRANT_TLP = "AMBER"


@dataclass(frozen=True)
class KilledNotes:
    """What the pending killed grants of a requester's agency noted: the node ids they opened or
    withdraw (``places``) and the relationships they withdraw the requester from (``ties``: id ->
    the ids of the requests that noted it)."""

    places: frozenset[str] = frozenset()
    ties: Mapping[str, frozenset[str]] = field(default_factory=dict)


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


async def covered_ties(store: GraphStore, owner: str, wanted: list[str], requester: str,
                       killed: KilledNotes, noted: Mapping[str, str]) -> list[dict[str, str]]:
    """Before the share, in the grant's turn: the owner's relationships a granted request holds
    (:attr:`graphapi.security.access.AccessRequest.shared_ties`, rows id, type, start, end, by id),
    whose place and share entry a killed grant's take-back and its entry's removal leave, and whose
    noted levels the grant takes over. Only what a pending killed grant notes (``killed.ties``, or
    a level in ``noted``) needs holding: a later grant never notes a tie the requester is on. Of
    those, a tie this share gives: not CLEAR or GREEN (every agency reads those without it), and
    one the share writes (the requester not on it yet) or, the requester on it already, one between
    two ``wanted`` ids or toward a node it sees apart from the killed grants' noted places
    (``killed.places``). Each row also names the killed requests it is held ``against``. A grant
    of the near end adopted a tie only a killed grant's share had opened, so that grant's entry
    outlived the owner's record and its refusal, and its noted RED was handed over, leaving the tie
    AMBER to a third agency (attack round 46b, 1 and 3); every public call of a busy phone was
    listed (46b, 4)."""
    at_stake = {*killed.ties, *noted}
    if not (wanted and at_stake):
        return []
    mine = sorted(r["id"] for r in await store.read("security/owned_node_levels", {"ids": wanted, "agency": owner}))
    among = {r["id"]: _tie(r, rel_type) for rel_type, rows in (await owned_among(store, mine, owner)).items()
             for r in rows}
    toward = {r["id"]: _tie(r, rel_type)
              for by_type in (await owned_toward_seen(store, mine, owner, [requester], shown=True)).values()
              for rel_type, rows in by_type.items() for r in rows}
    candidates = {k: t for k, t in {**toward, **among}.items() if k in at_stake}
    now = await _relationship_levels(store, owner, list(candidates.values()))
    ends = set(mine)

    def held(k: str) -> bool:
        row = now[k]
        if (row["tlp"] or "RED") in READ_BY_ALL:
            return False
        if requester not in (row["sharedWith"] or []) or k in among:
            return True  # the share writes it, or both its ends are granted
        return not ({row["start"], row["end"]} - ends) & killed.places

    # each held against the killed grants that noted it then: a tie deleted and asserted again
    # (derived ids come back alike) is not held against a grant killed since (attack round 46b, 2)
    return [{**candidates[k], "against": sorted(killed.ties.get(k, ()))}
            for k in sorted(now) if k in candidates and held(k)]


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
