"""Values a node held before the statement model, adopted as statements when a load first states it.

A node written before the statement model holds values and no statement. Once a load states it
(another agency's record, or another source of its owner's), its values are mixed with the new
source's, and a DEL of that source's statement (or a replace that now only refers to the node)
took the node's last statement: it was emptied, and the values no statement ever gave went with
the DEL's (attack round a-103, 1: VN-MPS's DEL of its nationality erased KH-NP's pre-model name).
So before the first statement about such a node is written, its values as they stood are adopted
as statements: one per source in its ``sources`` (each said them all, as the rule before the model
had it: the values stay while any of those sources remains), of its owner, at the node's level,
kept there (not following the node: attack round 4, H5). Every value of a stated node then has a
statement, and a DEL takes only what it said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.derive import derived_properties
from graphapi.ingest.merge import BOOKKEEPING, DERIVED
from graphapi.ingest.statements import Statement, asserted_entries, asserted_properties
from graphapi.ingest.write_rules import _specific, reference_node
from graphapi.ontology import Model
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


async def adopt_unstated(store: GraphStore, model: Model, ids: Iterable[str],
                         before: Mapping[str, Mapping[str, Any]], added: Mapping[str, Iterable[str]],
                         batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, Statement]:
    """Write the adopted statements of those of ``ids`` that hold values and no statement; returns
    them by id. ``before``: the writer's read of each node before its write this flush
    (``props`` None where the record held nothing new, so its values are those stored now);
    ``added``: the sources the load's record added to each node's ``sources``, which said
    nothing before it (left out where the writer did not read the node before)."""
    ids = sorted(set(ids))
    out: dict[str, Statement] = {}
    for i in range(0, len(ids), batch_size):
        for row in await store.read("provenance/unstated_nodes", {"ids": ids[i:i + batch_size]}):
            nid = row["id"]
            old = before.get(nid) or {}
            props = dict(old.get("props") or row["props"] or {})
            if old.get("props") is None:  # stored now as before, but for the record's own sources
                gone = set(added.get(nid, ())) if old.get("sources_only") else set()
                props["sources"] = [s for s in props.get("sources") or () if s not in gone]
            label = _specific(model, row["labels"] or [])
            if label is None or props.get("unresolved") or reference_node(nid, props):
                continue  # a gazetteer's public node: an agency's record only refers to it
            for stmt in adopted(model, label, nid, props):
                out[stmt.id] = stmt
    if out:
        await store.write_batches("provenance/write_statements", [s.row(sid) for sid, s in out.items()],
                                  batch_size)
    return out


async def adopt_before_merge(store: GraphStore, model: Model, merging: Iterable[str],
                             existing: Mapping[str, Mapping[str, Any]], stated: Mapping[str, Any],
                             batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """Before the writer merges records into stored nodes ``merging`` (their values change): those
    the records state (``stated``: node id -> their pending statements) that hold values and no
    statement have them adopted, as ``existing`` (the writer's read) holds them. Adopted before the
    write, not after: killed in between, a rerun would find the record's values mixed in."""
    ids = [nid for nid in merging if stated.get(nid) and (existing.get(nid) or {}).get("props") is not None]
    if ids:
        await adopt_unstated(store, model, ids, existing, {}, batch_size)


def adopted(model: Model, label: str, nid: str, props: Mapping[str, Any]) -> list[Statement]:
    """The statements adopting node ``nid``'s values ``props`` (a node with no statement): one per
    source in its ``sources``, its owner's, at its level, which it keeps (it does not follow the
    node: a value merged in before the model may be another agency's, and the owner's share must
    not open it, attack round 4, H5); none if it holds no value."""
    derived = {*derived_properties(model.label(label), props, nid), *DERIVED, *BOOKKEEPING}  # not said
    values = asserted_entries([n for n in asserted_properties(model.label(label)) if n not in derived], props)
    if not values:
        return []
    first, last = str(props.get("firstSeen") or ""), str(props.get("lastSeen") or "")
    owner, tlp = str(props.get("owner") or ""), str(props.get("tlp") or "")
    shared = tuple(props.get("sharedWith") or ())
    return [Statement(nid, owner, source, tlp, shared, {key: ["", first, last] for key in values}, follows=False)
            for source in dict.fromkeys(props.get("sources") or ())]
