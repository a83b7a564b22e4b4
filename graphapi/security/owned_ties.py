"""The acting agency's relationships that a share, an unshare or an access grant moves with its
entities (among them, and toward nodes the receiving agencies already see), and the rebuild of
the fields of the items whose level moved. Shared by :mod:`graphapi.security.share` and
:mod:`graphapi.security.grant_shares`."""

from __future__ import annotations

from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ontology import TLP_LEVELS, load_model
from graphapi.store import GraphStore


async def rebuild_items(store: GraphStore, nodes: list[str], rels: list[dict]) -> None:
    """The changed items' fields rebuilt from the statements seen at least as widely as each item
    now is (after the owner's statements moved, :mod:`graphapi.security.statement_levels`): a
    wider audience never reads values another agency shared with the owner alone (attack round
    3, G5), and a narrower one reads them again. ``rels``: rows with ``id`` and ``type``."""
    if nodes:
        await rebuild_values(store, load_model(), nodes)
    if rels:
        by_type: dict[str, list[str]] = {}
        for r in rels:
            by_type.setdefault(r["type"], []).append(r["id"])
        await rebuild_relationship_values(store, load_model(), by_type)


async def owned_among(store: GraphStore, ids: list[str], agency: str,
                 levels: dict[str, dict] | None = None) -> dict[str, list[dict]]:
    """The relationships ``agency`` owns between two of ``ids``, by type (rows id, start, end);
    their ``tlp`` and ``sharedWith`` by id into ``levels`` if given."""
    among = set(ids)
    by_type: dict[str, list[dict]] = {}
    for r in await store.read("security/owned_relationships_from", {"ids": ids, "agency": agency}):
        if r["end"] in among:
            by_type.setdefault(r["type"], []).append({"id": r["id"], "start": r["start"], "end": r["end"]})
            if levels is not None:
                levels[r["id"]] = {"id": r["id"], "tlp": r["tlp"], "sharedWith": r["sharedWith"]}
    return by_type


async def owned_toward_seen(store: GraphStore, ids: list[str], agency: str, agencies: list[str], *,
                            shown: bool = False) -> dict[tuple[str, ...], dict[str, list[dict]]]:
    """The relationships ``agency`` owns between one of ``ids`` and a node outside them that both
    ``agency`` and some of ``agencies`` see, those agencies not the relationship yet (``shown``: or
    already), decided in Cypher, one read per agency, grouped by the agencies that see the far end
    and then by type. A person's crossings to a public checkpoint are such; a link to a node an
    agency cannot see is never shared with it."""
    among = set(ids)

    async def seen(viewer: str) -> list[dict]:
        params = {"ids": ids, "owner": agency, "agency": viewer}
        return [r for r in await store.read("security/owned_relationships_to_seen", params) if r["far"] not in among]

    # a far end the acting agency cannot see stays out: its result would tell it whether a third
    # agency shared its node with the others
    own = {r["id"] for r in await seen(agency)}
    rows: dict[str, tuple[str, dict]] = {}
    seen_by: dict[str, list[str]] = {}
    for other in agencies:
        for r in await seen(other):
            if (r["shown"] and not shown) or r["id"] not in own:
                continue
            rows[r["id"]] = (r["type"], {"id": r["id"], "start": r["start"], "end": r["end"]})
            if other not in seen_by.setdefault(r["id"], []):
                seen_by[r["id"]].append(other)
    groups: dict[tuple[str, ...], dict[str, list[dict]]] = {}
    for rel_id, who in seen_by.items():
        rel_type, row = rows[rel_id]
        groups.setdefault(tuple(who), {}).setdefault(rel_type, []).append(row)
    return groups


async def owned_shared_out(store: GraphStore, ids: list[str], agency: str, agencies: list[str],
                      levels: dict[str, dict]) -> dict[str, list[dict]]:
    """The relationships ``agency`` owns between one of ``ids`` and a node outside them that are
    shared with any of ``agencies``, by type: those :func:`owned_toward_seen` gave them; their ``tlp``
    and ``sharedWith`` by id into ``levels``."""
    among = set(ids)
    by_type: dict[str, dict[str, dict]] = {}
    params = {"ids": ids, "agency": agency, "agencies": agencies}
    for r in await store.read("security/owned_relationships_shared_with", params):
        if r["far"] not in among:
            by_type.setdefault(r["type"], {})[r["id"]] = {"id": r["id"], "start": r["start"], "end": r["end"]}
            levels[r["id"]] = {"id": r["id"], "tlp": r["tlp"], "sharedWith": r["sharedWith"]}
    return {t: list(rows.values()) for t, rows in by_type.items()}


def stricter_than(tlp: str | None) -> list[str]:
    """The TLP levels stricter than ``tlp`` (none for None: keep every level)."""
    return list(TLP_LEVELS[TLP_LEVELS.index(tlp) + 1:]) if tlp is not None else []
