"""A placeholder released to the narrower record kept apart on it, once no link holds it.

Another agency's bare reference (TH-DSI's GREEN FtM Membership naming p-1) makes a placeholder
whose label is the link's guess (an Organization). An agency's own record of the id meant for
fewer agencies (KH-NP's RED Person p-1) is kept apart on it, as on any node it may see
(:func:`graphapi.ingest.write_rules._kept_apart`): its values in its own statement at its own
level, and its label there too (``Statement.label``), since a label is read by everyone who reads
the node: the placeholder stays an Organization while the link holds it. Before, the record was
refused on every load (attack round 33, 2). When the DEL of the link's source leaves the
placeholder with no link (the node would go, ``ingest/drop_unlinked_placeholders``, but a
statement keeps it), it is released to the widest statement left (:func:`relevel.widest`): that
record's owner and level, held apart from the placeholder's owner as :func:`relevel.held_apart`
says, the record's label, and values rebuilt from the statement. So every other agency reads what
it read with no such record, the node gone, and the record's agency reads its own Person.

The release is several writes: narrowed (and marked pending, in the same write), relabelled, its
statement moved to follow it, its values rebuilt. After the first the node is no placeholder, so
a load killed before the last could not find it again: the mark can (``PendingRetraction`` with
``release``), and the next writer finishes it (:func:`finish_release`, from
:mod:`graphapi.ingest.pending_retractions`), worked out again from the node's statements alone, so
a kill at any point ends in the graph an uninterrupted release makes.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from graphapi.ingest.relevel import held_apart, widest
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import Statement
from graphapi.ingest.take_over import relabel_steps, write_take_overs
from graphapi.ontology import Model
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


async def release_placeholders(store: GraphStore, model: Model, ids: Collection[str], *, source: str, owner: str,
                               scoped: bool, batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Release the placeholders among ``ids`` (ends of links a DEL of ``source`` for ``owner``
    deleted, not dropped) that no link holds and that only that source named (the rule of
    ``ingest/drop_unlinked_placeholders``; ``scoped`` as there), kept by statements alone;
    returns their ids."""
    if not ids:
        return []
    # the placeholders first, then their links: an end that is a hub is no placeholder, and its
    # every link read per DEL of one link to it made a delta of DEL/ADD pairs read it per pair (a-62, 6)
    nodes = {}
    for node in await store.read("ingest/existing_nodes", {"ids": sorted(set(ids))}):
        nid, props = str(node["id"]), node["props"] or {}
        if not props.get("unresolved") or not (scoped or props.get("owner") == owner):
            continue
        if all(s == source or str(s).startswith(source + ":") for s in props.get("sources") or ()):
            nodes[nid] = props
    if not nodes:
        return []
    linked = {str(r["id"]) for r in await store.read("ingest/link_levels", {"ids": sorted(nodes)})}
    free = sorted(set(nodes) - linked)
    if not free:
        return []
    by_node = await _statements(store, free)
    rows = []
    for nid in sorted(by_node):
        props = nodes[nid]
        pick = widest(by_node[nid])
        rows.append({"id": nid, "owner": pick.owner, "tlp": pick.tlp, "sharedWith": list(pick.shared_with) or None,
                     "heldApart": True if held_apart(props, pick) else None})
    if not rows:
        return []
    # narrowed first: killed before the rest, the node is seen by fewer, never by more; and
    # marked in the same write, so whoever comes next finishes it
    mark = uuid.uuid4().hex
    released = [str(r["id"]) for r in await store.write("ingest/release_placeholders",
                                                         {"rows": rows, "mark": mark, "owner": owner})]
    await finish_release(store, model, released, batch_size)
    await store.write("ingest/clear_pending_retraction", {"id": mark})
    return released


async def finish_release(store: GraphStore, model: Model, ids: Collection[str],
                         batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """The rest of the release of ``ids`` (narrowed already): the label of the widest statement,
    that statement moved to follow its node, values rebuilt. Each step is read again from the
    stored node and statements, so running it again after any of them does only what is left."""
    by_node = await _statements(store, ids)
    steps: dict[tuple[str, str], list[dict[str, str]]] = {}
    moved, old = [], []
    for node in await store.read("ingest/existing_nodes", {"ids": sorted(by_node)}):
        nid, stmts = str(node["id"]), by_node[str(node["id"])]
        pick = widest(stmts)  # the same pick as the release's: the statements are as they were, or moved
        if pick.label:  # the label its record gave; else the node keeps the link's guess
            for step in relabel_steps(model, list(node["labels"] or []), pick.label):
                steps.setdefault(step, []).append({"id": nid})
        if not pick.follows:  # it follows its item now, as relevel's pick does
            moved.append(pick.at_level(pick.tlp, pick.shared_with, follows=True))
        # the statement at its own level goes once the one that follows is written (a kill
        # between the two left both: the pick may be either)
        stale = pick.at_level(pick.tlp, pick.shared_with, follows=False).id
        old.extend(s.id for s in stmts if s.id == stale)
    await write_take_overs(store, steps, batch_size)
    if moved:
        await store.write("provenance/write_statements", {"rows": [s.row() for s in moved]})
    if old:
        await store.write("provenance/delete_statements", {"ids": old})
    await rebuild_values(store, model, sorted(by_node), batch_size)


async def _statements(store: GraphStore, ids: Collection[str]) -> dict[str, list[Statement]]:
    """The statements of nodes ``ids``, by node."""
    by_node: dict[str, list[Statement]] = {}
    for row in await store.read("provenance/statements_of", {"ids": sorted(ids)}):
        stmt = Statement.from_props(row["props"])
        by_node.setdefault(stmt.entity, []).append(stmt)
    return by_node
