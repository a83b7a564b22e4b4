"""When the owner's narrower record narrows its item: the owner keeps control of what it shares.

A whole-source replace of the owner's records at a narrower audience, or its MOD at a narrower
level, narrows the item to the owner's widest remaining statement
(:func:`graphapi.ingest.relevel.narrow_to_owner`), whatever other agencies recorded on it, as
``unshare`` takes agencies off the owner's item whatever they recorded on it. Their statements are
never deleted: each stays on the item at its own level, read again by its own audience once the
owner opens the item to it again (``share``). Until then the item is, to such an agency, an id
another agency holds at a level it cannot see: its record of it is refused "held by" the owner.
Refusing the narrowing instead (attack round 36) let another agency's echo of the owner's name
lock the owner out of restricting its own id (attack round 38a, 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphapi.ingest.relevel import hold_narrowed_ends
from graphapi.ontology.tlp import item_audience, reaches_all


def narrows(stored: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Whether record properties ``record`` are the stored item's owner's, said to fewer
    agencies than see the item (``stored``): a replace or MOD of them may narrow it."""
    if stored.get("unresolved") or stored.get("heldApart") or record.get("owner") != stored.get("owner"):
        return False
    return not reaches_all(item_audience(record), item_audience(stored))


async def narrow_valueless(store: Any, levels: Mapping[str, Mapping[str, Mapping[str, Any]]], source: str,
                           batch_size: int) -> set[str]:
    """Narrow the relationships ``levels`` (type -> id -> the owner, tlp and sharedWith its
    owner's narrower record gave it in a whole-source replace or a MOD of ``source``) that hold no
    value and that only that source asserts: they have no statement for
    :func:`graphapi.ingest.relevel.narrow_to_owner` to narrow to, and kept their old level (a
    Membership without a role stayed GREEN after its replace at RED, and after its MOD at RED,
    attack round 38a, 4). One another source asserts too keeps it. Returns those narrowed."""
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
                rows.append({"id": r["id"], "owner": level.get("owner"), "tlp": level.get("tlp"),
                             "sharedWith": level.get("sharedWith"), "heldApart": None})
            if rows:
                await store.write("ingest/relevel_relationships", {"rows": rows}, type=rel_type)
                done.update(row["id"] for row in rows)
            await hold_narrowed_ends(store, rel_type, chunk, batch_size)  # their placeholders with them
    return done
