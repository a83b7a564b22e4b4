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

import uuid
from collections.abc import Mapping
from typing import Any

from graphapi.ingest.echoes import echoed
from graphapi.ingest.placeholder_holds import hold_narrowed_ends
from graphapi.ontology.tlp import item_audience, reaches_all
from graphapi.security.kept_shares import widened


def narrows(stored: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Whether record properties ``record`` are the stored item's owner's, said to fewer
    agencies than see the item (``stored``), once widened by the shares the item keeps (a share
    is never taken back by a load: :mod:`graphapi.security.kept_shares`): a replace or MOD of
    them may narrow it."""
    if stored.get("unresolved") or stored.get("heldApart") or record.get("owner") != stored.get("owner"):
        return False
    return not reaches_all(item_audience(widened(stored, record)), item_audience(stored))


async def narrow_valueless(store: Any, levels: Mapping[str, Mapping[str, Mapping[str, Any]]], source: str,
                           batch_size: int, *, held: set[str] | None = None) -> set[str]:
    """Narrow the relationships ``levels`` (type -> id -> the owner, tlp and sharedWith its
    owner's narrower record gave it in a whole-source replace or a MOD of ``source``) that hold no
    value and that no other source of their owner asserts: they have no statement for
    :func:`graphapi.ingest.relevel.narrow_to_owner` to narrow to, and kept their old level (a
    Membership without a role stayed GREEN after its replace at RED, and after its MOD at RED,
    attack round 38a, 4). One another source of the owner asserts too keeps it; another agency's
    echo of it (:mod:`graphapi.ingest.echoes`) never does, as only the owner's statements decide a
    node's narrowing (attack round 42a, 3). Returns those narrowed; ``held`` gains the
    placeholders held anew at their ends (as :func:`graphapi.ingest.relevel.narrow_to_owner`)."""
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
                echoed_ = echoed(props)
                if not all(s == source or str(s).startswith(source + ":") or s in echoed_
                           for s in props.get("sources") or ()):
                    continue  # another source of its owner still says it as widely
                level = widened(props, level)  # its owner's shares stay
                rows.append({"id": r["id"], "owner": level.get("owner"), "tlp": level.get("tlp"),
                             "sharedWith": level.get("sharedWith"), "heldApart": None})
            if rows:
                await store.write("ingest/relevel_relationships", {"rows": rows}, type=rel_type)
                done.update(row["id"] for row in rows)
            ends = await hold_narrowed_ends(store, rel_type, chunk, batch_size)  # their placeholders with them
            if held is not None:
                held.update(ends)
    return done


async def mark_narrowing(store: Any, rel_type: str, ids: list[str], owner: str, batch_size: int) -> list[str]:
    """Mark items ``ids`` (relationships of ``rel_type``, "" for nodes) that the owner's MOD is
    about to narrow pending a rebuild (``cypher/ingest/mark_rebuild``), before its first write of
    them; returns the marks, cleared by :func:`clear_marks` once narrowed. Killed between its
    statement write and the narrowing, the MOD left p-1 GREEN with no name and no sources, and its
    rerun was refused "would disclose" (issue 10): the next writer finishes the mark as a
    replace's, rebuilding and narrowing them (graphapi.ingest.pending_retractions)."""
    marks = []
    for i in range(0, len(ids), batch_size):
        marks.append(uuid.uuid4().hex)
        await store.write("ingest/mark_rebuild", {"mark": marks[-1], "type": rel_type, "ids": ids[i:i + batch_size],
                                                  "said": [], "owner": owner, "referred": [], "referrer": ""})
    return marks


async def clear_marks(store: Any, marks: list[str]) -> None:
    for mark in marks:
        await store.write("ingest/clear_pending_retraction", {"id": mark})
