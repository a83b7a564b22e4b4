"""Whether the owner's narrower record may narrow its item, decided before the record is written.

A whole-source replace of the owner's records at a narrower audience, or its MOD at a narrower
level, narrows the item to the owner's widest remaining statement
(:func:`graphapi.ingest.relevel.narrow_to_owner`). That is right while every agency holding its
own statement on the item still reads it at the narrowed audience (KH-NP's GREEN node narrowed to
AMBER shared with TH-DSI, TH-DSI's AMBER record on it). Otherwise it cut that agency's view of its
own record by a load it cannot see, and told it the owner narrowed (attack round 36, 0: KH-NP's
replace at RED hid p-1, TH-DSI's AMBER record and its phone, from TH-DSI). So that record is
refused "held by" that agency, as a record on an id another agency holds is: a hit; the item stays
exactly as it was (a replace with a refused row retracts nothing), and the owner may still DEL it.
Decided on the stored statements before anything of the record is written: a load killed at any
point has narrowed nothing it would refuse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from graphapi.ingest.statement_values import usable_statements
from graphapi.ingest.statements import Statement
from graphapi.ontology.tlp import audience, item_audience, reaches_all


def narrows(stored: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Whether record properties ``record`` are the stored item's owner's, said to fewer
    agencies than see the item (``stored``): a replace or MOD of them may narrow it."""
    if stored.get("unresolved") or stored.get("heldApart") or record.get("owner") != stored.get("owner"):
        return False
    return not reaches_all(item_audience(record), item_audience(stored))


def cut_off(stored: Mapping[str, Any], record: Mapping[str, Any], stmts: list[Statement], source: str,
            sources: Collection[str] | None) -> str | None:
    """The agency (first by name) whose own statement on the stored item a narrowing by
    ``record`` would hide from it, or None when the item does not narrow or every such agency
    still reads it. ``stmts``: the item's statements; the owner's of ``sources`` (None: of
    ``source`` and its datasets) go, the record's own takes their place."""
    owner = stored.get("owner")
    item_sees = item_audience(stored)

    def goes(s: Statement) -> bool:
        if s.owner != owner:
            return False
        if sources is None:
            return s.source == source or s.source.startswith(source + ":")
        return s.source in sources

    left = [s for s in stmts if not goes(s)]
    if usable_statements(left, item_sees):
        return None  # a statement seen as widely as the item still holds it where it is
    seen = [item_audience(record), *(audience(s.tlp, s.owner, s.shared_with) for s in left if s.owner == owner)]
    narrowed = min(seen, key=lambda a: (a is not None, -len(a or ()), sorted(a or ())))
    if narrowed is None or reaches_all(narrowed, item_sees):
        return None
    holders = sorted({s.owner for s in left if s.owner != owner and s.owner not in narrowed})
    return holders[0] if holders else None


def narrowing_refused(item_id: str, holder: str) -> str:
    """The reason given for a narrowing record refused: in the words of a record refused on an id
    another agency holds (``write_rules._restricted``), a hit audited for ``holder``."""
    return (f"restricted: {item_id} is held by {holder} too, who would no longer see it at your record's "
            "level; not narrowed (load it at a level they may see, or delete it)")


async def cut_offs(store: Any, candidates: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]],
                   source: str, *, whole_source: bool) -> dict[str, str]:
    """For ``candidates`` (item id -> stored properties, record properties) that :func:`narrows`,
    the holder each narrowing would cut off (:func:`cut_off`); ids it would not are left out. A
    whole-source replace replaces the owner's statements of ``source`` and its datasets; a MOD
    those of the record's sources. One read of their statements."""
    if not candidates:
        return {}
    by_item: dict[str, list[Statement]] = {}
    for row in await store.read("provenance/statements_of", {"ids": sorted(candidates)}):
        stmt = Statement.from_props(row["props"])
        by_item.setdefault(stmt.entity, []).append(stmt)
    out = {}
    for item_id, (stored, record) in candidates.items():
        sources = None if whole_source else frozenset(record.get("sources") or ()) | {source}
        holder = cut_off(stored, record, by_item.get(item_id, []), source, sources)
        if holder is not None:
            out[item_id] = holder
    return out


async def narrow_valueless(store: Any, levels: Mapping[str, Mapping[str, Mapping[str, Any]]], source: str,
                           batch_size: int) -> set[str]:
    """Narrow the relationships ``levels`` (type -> id -> the owner, tlp and sharedWith its
    owner's narrower record gave it in a whole-source replace of ``source``) that hold no value
    and that only that source asserts: they have no statement for
    :func:`graphapi.ingest.relevel.narrow_to_owner` to narrow to, and kept their old level (a
    Membership without a role stayed GREEN after its replace at RED). One another source asserts
    too keeps it. Returns those narrowed."""
    done: set[str] = set()
    for rel_type, by_id in levels.items():
        ids = sorted(by_id)
        for i in range(0, len(ids), batch_size):
            chunk = ids[i:i + batch_size]
            stated = {str(r["props"]["entity"]) for r in await store.read("provenance/statements_of", {"ids": chunk})}
            rows = []
            for r in await store.read("ingest/existing_relationships", {"ids": chunk}, type=rel_type):
                props, level = r["props"] or {}, by_id[r["id"]]
                if r["id"] in stated or not narrows(props, level):
                    continue
                if not all(s == source or str(s).startswith(source + ":") for s in props.get("sources") or ()):
                    continue
                rows.append({"id": r["id"], "owner": level["owner"], "tlp": level["tlp"],
                             "sharedWith": level["sharedWith"], "heldApart": None})
            if rows:
                await store.write("ingest/relevel_relationships", {"rows": rows}, type=rel_type)
                done.update(row["id"] for row in rows)
    return done
