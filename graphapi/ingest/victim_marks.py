"""Who marks a person a victim on a link, whatever value won the link's ``role`` (attack round
a-75, 5b; docs/security.md "Who is a victim").

A single-valued ``role`` is rebuilt first seen first when a source withdraws (a MOD, a DEL, a
replace), and a merge keeps the stored one: feeds that said the victim's case link (INVOLVED_IN)
with ``witness`` before her owner said ``victim`` won the slot, and the victim rule, reading the
stored ``role``, no longer marked her. So every INVOLVED_IN / HELD_AT link keeps
``victimMarkOwners``: the agencies whose statements on it (at any level) say the mark
(:data:`MARKS`), derived from its statements wherever they change: the rebuild of its values
(:mod:`graphapi.ingest.relationship_values`) sets it whole, a merge's new statements add to it
(:func:`add_mark_owners`: statements of a merge only grow), and ``init_schema`` backfills a graph
written before it (``schema/repair_victim_mark_owners``). ``cypher/fragments/victim_mark`` counts
the person's owner in it for everyone, as an owner's stored mark always counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from graphapi.ingest.statements import Statement
from graphapi.store.base import GraphStore

#: The relationship types whose ``role`` marks their start person a victim, and the mark.
MARKS = {"INVOLVED_IN": "victim", "HELD_AT": "trafficked"}
#: The derived property (relationships.yaml, internal: no source writes it).
MARK_OWNERS = "victimMarkOwners"


def mark_owners(rel_type: str, stmts: Iterable[Statement]) -> list[str] | None:
    """The agencies whose statements ``stmts`` say ``rel_type``'s mark, sorted (None: none)."""
    mark = MARKS.get(rel_type)
    if mark is None:
        return None
    return sorted({s.owner for s in stmts if ("role", mark) in s.entries}) or None


async def add_mark_owners(store: GraphStore, rel_type: str,
                          statements: Mapping[str, list[tuple[Statement, bool]]], accepted: Iterable[str],
                          created: Collection[str], batch_size: int) -> list[str]:
    """Add to ``victimMarkOwners`` of the ``accepted`` links of ``rel_type`` the owners of their
    new ``statements`` that say the mark; returns the ids written: only links the list lacked one
    of them (none for a load saying no mark: no statement run). A link written keeps its digest
    only if this batch ``created`` it, so a reload of the same file still skips its victim links."""
    if rel_type not in MARKS:
        return []
    rows = []
    for rid in accepted:
        owners = mark_owners(rel_type, (s for s, _ in statements.get(rid, ())))
        if owners:
            rows.append({"id": rid, "owners": owners, "created": rid in created})
    if not rows:
        return []
    done = await store.write_batches("ingest/add_victim_mark_owners", rows, batch_size, type=rel_type)
    return [r["id"] for r in done.returned]
