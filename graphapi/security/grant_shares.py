"""What an access grant's share gives the requester besides the ids it opens, noted before the
share, and taking back exactly that when the grant fails.

A grant notes the ids the requester did not see (``opened``) and takes them back if it fails, with
their relationships (:func:`graphapi.security.share.unshare`). Its share also shares the owner's
relationships among the granted ids and toward nodes the requester sees, and adds the requester to
the granted nodes it saw already (a CLEAR person): a failed grant of a hidden phone and two CLEAR
people left the owner's AMBER tie between them shared after the owner refused (attack round 39a,
4). So the grant also notes those (``also``): the granted nodes the requester sees that are not
shared with it, and the relationships the share may give it that are not shared with it yet. Only
what was not shared with the requester before is noted, so taking it back never takes back what
was (a tie shared earlier stays); taking back reads what of it is shared now, so a take-back cut
short and run again converges.
"""

from __future__ import annotations

from graphapi.security.share import _among, _change, _rebuild, _toward_seen
from graphapi.security.statement_levels import follow_sharing
from graphapi.store import GraphStore

#: Keys of a noted relationship (the rows ``security/unshare_relationships`` takes, with its type).
TIE_KEYS = ("id", "type", "start", "end")


async def also_shared(store: GraphStore, owner: str, wanted: list[str], seen: set[str],
                      requester: str) -> tuple[list[str], list[dict[str, str]]]:
    """Before the share, in the grant's turn: the ``wanted`` ids the requester sees already (in
    ``seen``) and the relationships among ``wanted`` and toward nodes it sees that ``owner`` owns,
    none of them shared with the requester yet; returns ``(node ids, relationship rows)``."""
    if not wanted:
        return [], []
    params = {"ids": wanted, "agencies": [requester], "agency": owner}
    shared = {r["id"] for r in await store.read("security/owned_nodes_shared_with", params)}
    nodes = [i for i in wanted if i in seen and i not in shared]
    levels: dict[str, dict] = {}
    ties: dict[str, dict[str, str]] = {}
    for rel_type, rows in (await _among(store, wanted, owner, levels)).items():
        for r in rows:
            if requester not in (levels[r["id"]]["sharedWith"] or []):
                ties[r["id"]] = {"id": r["id"], "type": rel_type, "start": r["start"], "end": r["end"]}
    for by_type in (await _toward_seen(store, wanted, owner, [requester])).values():
        for rel_type, rows in by_type.items():  # not shown to the requester: not shared with it
            for r in rows:
                ties.setdefault(r["id"], {"id": r["id"], "type": rel_type, "start": r["start"], "end": r["end"]})
    return nodes, [ties[k] for k in sorted(ties)]


async def take_back_also(store: GraphStore, owner: str, nodes: list[str], ties: list[dict[str, str]],
                         requester: str) -> list[str]:
    """Withdraw ``requester`` from the ``ties`` and ``nodes`` noted by :func:`also_shared` that are
    shared with it now (relationships first, their statements narrowed first, as an unshare does);
    returns the ids withdrawn."""
    noted = {t["id"]: t for t in ties}
    ends = sorted({t[k] for t in ties for k in ("start", "end")})
    params = {"ids": ends, "agency": owner, "agencies": [requester]}
    rows = [r for r in await store.read("security/owned_relationships_shared_with", params)
            if r["id"] in noted] if ends else []
    levels = {r["id"]: r for r in rows}  # a relationship among the ends comes back once per end
    by_type: dict[str, list[dict]] = {}
    for r in levels.values():
        by_type.setdefault(r["type"], []).append({"id": r["id"], "start": r["start"], "end": r["end"]})
    await follow_sharing(store, owner, [
        {**r, "sharedWith": [x for x in r["sharedWith"] or [] if x != requester]} for r in levels.values()])
    rels = await _change(store, "security/unshare_relationships", by_type, {"agencies": [requester], "agency": owner})
    params = {"ids": nodes, "agencies": [requester], "agency": owner}
    had = sorted(r["id"] for r in await store.read("security/owned_nodes_shared_with", params)) if nodes else []
    unshared = await store.write("security/unshare_nodes", {**params, "ids": had}) if had else []
    await follow_sharing(store, owner, unshared)
    await _rebuild(store, had, rels)
    return [*had, *sorted(r["id"] for r in rels)]
