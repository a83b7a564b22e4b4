"""A relationship's values rebuilt from its statements (per-value provenance on relationships).

After a DEL, a MOD or a whole-source replace changed the statements about a relationship, its
ordinary properties (a transfer's ``amount``, an ``INVOLVED_IN`` ``role``, a call's
``durationS``) are set from what the remaining statements say (and an INVOLVED_IN / HELD_AT link's
``victimMarkOwners``: :mod:`graphapi.ingest.victim_marks`), by the rule nodes follow
(:func:`graphapi.ingest.statement_values.asserted_values`): only statements seen at least as
widely as the relationship feed them, a value stays only while a statement asserts it, and
``recordId`` names the first record of the earliest statement that remains. A relationship with
no statement at all (written before relationships had statements) is left as it is; one with any
is rebuilt from its statements alone, as a node is, even if some of its sources have none (the
owner's record that asserted no value): before, such a relationship was skipped, and a share
left another agency's narrower value in the fields the new agency read (attack round 6, G5).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from graphapi.ingest.blind_stated import others_first
from graphapi.ingest.statement_values import LevelChange, asserted_values, usable_statements
from graphapi.ingest.statements import Statement, asserted_relationship_properties, unasserted
from graphapi.ingest.victim_marks import MARK_OWNERS, MARKS, mark_owners
from graphapi.ontology import Model, RelationshipType
from graphapi.ontology.tlp import item_audience
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


def derive_relationship_values(rel_type: RelationshipType, props: Mapping[str, Any],
                               stmts: list[Statement]) -> dict[str, Any]:
    """The relationship's asserted values, ``conflicts`` and ``recordId`` as ``stmts`` give them
    (absent values ``None``)."""
    names = asserted_relationship_properties(rel_type)
    spec = {n: rel_type.properties[n] for n in names}
    out = asserted_values(spec, props, stmts)
    usable = usable_statements(stmts, item_audience(props))
    firsts = sorted((first, rid) for s in usable for rid, first, _ in s.entries.values())
    out["recordId"] = firsts[0][1] if firsts else props.get("recordId")
    if rel_type.name in MARKS:  # whoever says the victim mark, whatever value won the role (a-75, 5b)
        out[MARK_OWNERS] = mark_owners(rel_type.name, stmts)
    # a blind load's statements alone never win a victim's role (a-84, 5)
    return others_first(rel_type.name, spec, props, stmts, out, lambda said: asserted_values(spec, props, said))


async def rebuild_relationship_values(store: GraphStore, model: Model, ids: Mapping[str, list[str]],
                                      batch_size: int = DEFAULT_BATCH_SIZE, *,
                                      at_level: LevelChange | None = None,
                                      levels: Mapping[str, Mapping[str, Any]] | None = None,
                                      retracted: Collection[str] = (), withdrawn: str = "",
                                      emptied: Collection[str] = ()) -> int:
    """Set the values of the relationships ``ids`` (type -> ids) from their remaining statements;
    returns how many relationships changed. ``at_level`` and ``levels`` (id -> ``tlp`` and
    ``sharedWith`` to come): as for :func:`graphapi.ingest.statement_values.rebuild_values`, the
    values they will have once shared or widened; ``retracted``, ``withdrawn`` and ``emptied``: as
    for nodes, rebuilt with no statement left when no other source remains, or when it just lost
    its last statement."""
    changed = 0
    for type_name, all_ids in ids.items():
        rel_type = model.relationship(type_name)
        for i in range(0, len(all_ids), batch_size):
            chunk = all_ids[i:i + batch_size]
            rels = await store.read("ingest/existing_relationships", {"ids": chunk}, type=type_name)
            by_rel: dict[str, list[Statement]] = {}
            for row in await store.read("provenance/statements_of", {"ids": chunk}):
                stmt = Statement.from_props(row["props"])
                by_rel.setdefault(stmt.entity, []).append(stmt)
            rows = []
            for rel in rels:
                props = dict(rel["props"] or {})
                stmts = by_rel.get(rel["id"], [])
                if not stmts and rel["id"] not in emptied and not unasserted(rel["id"], props, retracted, withdrawn):
                    continue
                if at_level is not None:
                    if props.get("owner") != at_level.agency:
                        continue
                    seen, moved = at_level.applied(props, stmts)
                    new = derive_relationship_values(rel_type, seen, moved)
                elif levels and rel["id"] in levels:
                    new = derive_relationship_values(rel_type, {**props, **levels[rel["id"]]}, stmts)
                else:
                    new = derive_relationship_values(rel_type, props, stmts)
                if any(props.get(k) != v for k, v in new.items()):
                    full = {k: v for k, v in {**props, **new}.items() if v is not None}
                    rows.append({"id": rel["id"], "start": rel["start"], "end": rel["end"],
                                 "props": {**full, "id": rel["id"]}})
            if rows:
                await store.write_batches("ingest/replace_relationship_properties", rows, batch_size, type=type_name)
                changed += len(rows)
    return changed
