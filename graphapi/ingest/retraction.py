"""A delta DEL (FtM ``op: DEL``, record ``op="delete"``): retract the deleting load's assertions.

Every item records who asserted it as ``owner`` (the agency that first wrote it) and ``sources``
(dataset ids, :file:`graphapi/ontology/provenance.yaml`), and a node's values as statements (one
per source and owner, :mod:`graphapi.ingest.statements`). So a DEL:

- deletes the load's source's statements about the node or relationship (its datasets' too),
  whatever else happens to the item (``statements_retracted``);

- deletes a relationship when the load's source (with its ``<source>:<dataset>`` sources) is
  all that is left of its ``sources`` (the load's own on another owner's item only when scoped)
  and no statement remains about it, whoever owns it: an item never outlives its last
  statement (attack round 23, C1); a node likewise, and only if every relationship attached to
  it passes the same test (those go with it and are counted), so that nothing another owner or
  source asserted is lost with it;
- re-owns an item left only with statements narrower than itself at the widest of them
  (:mod:`graphapi.ingest.relevel`), so no agency learns that a statement it cannot see holds it
  (held apart when that is another agency's the owner may not read); a node's own relationships
  that only such a statement holds are retracted first, as their own DEL would be;
- otherwise withdraws the load's source from the item's ``sources`` and leaves it
  (``*_retracted``), with the item's values rebuilt from the statements that remain: a value
  another source also asserted stays, attributed to that source only; one the load alone asserted
  goes. A load run for an agency, and any ``lintas load ofac|ftm|csv``, writes under its owner's
  own source (``ftm@TH-DSI``, ``graphql:TH-DSI``: :func:`graphapi.ingest.options.load_source`),
  so it withdraws that source wherever it is; another operator's load (gazetteers, samples), whose
  source name another owner may use too, only from its own owner's items.

Applied when a load closes, after its merges (``cypher/ingest/{delete,retract}_{nodes,relationships}``),
a batch of ids at a time; each batch's statements' delete marks it pending and its last write
unmarks it, so one killed in between is finished by the next writer
(:mod:`graphapi.ingest.pending_retractions`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Iterator
from typing import Any, TypeVar

from graphapi.ingest import pending_recounts, pending_widenings
from graphapi.ingest.echoes import reown_to_echoes
from graphapi.ingest.placeholder_holds import hold_ends_for_links, hold_ends_left_by
from graphapi.ingest.placeholder_release import release_placeholders
from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.relevel import follow_again, relevel
from graphapi.ingest.retraction_batch import Batch, Retractions
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.write_lease import write_one
from graphapi.ontology import Model, load_model
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

K = TypeVar("K")


def _batches(ids_by_key: dict[K, list[str]], size: int) -> Iterator[tuple[K, list[str]]]:
    for key, ids in ids_by_key.items():
        for i in range(0, len(ids), size):
            yield key, ids[i:i + size]


def _from(reowned: dict[str, tuple[str, frozenset[str] | None]], owner: str) -> list[str]:
    """The items just re-owned away from ``owner`` (its source is still withdrawn from them)."""
    return [i for i, (was, _) in reowned.items() if was == owner]


def _gone_for(reowned: dict[str, tuple[str, frozenset[str] | None]], owner: str, said: list[str]) -> set[str]:
    """The items this DEL took a statement from and re-owned out of ``owner``'s sight: counted as
    deleted, as they read to ``owner`` (a retraction count would tell it that a statement it
    cannot see holds them: attack round 23, C1)."""
    return {i for i, (_, seen) in reowned.items() if i in said and seen is not None and owner not in seen}


async def apply_retractions(store: GraphStore, nodes: dict[str, list[str]],
                            relationships: dict[tuple[str, str], list[str]], *, owner: str,
                            scoped: bool, batch_size: int = DEFAULT_BATCH_SIZE,
                            model: Model | None = None) -> Retractions:
    """Apply DELs: ``nodes`` maps a source to the node ids it deletes, ``relationships`` maps
    ``(type, source)`` to relationship ids. ``owner``: the deleting load's agency; ``scoped``:
    its sources are its own alone (``<name>@<owner>``: an agency's load, any ``lintas load
    ofac|ftm|csv``). Relationships first, so a node
    whose relationships the same load deletes can go too; ``batch_size`` ids per statement.
    Each batch is marked pending by its statements' delete and unmarked once done
    (:mod:`graphapi.ingest.pending_retractions`). Returns the counts."""
    out = Retractions()
    model = model or load_model()
    for (rel_type, source), ids in _batches(relationships, batch_size):
        await retract_relationship_batch(store, model, out, Batch(uuid.uuid4().hex, rel_type, source, owner,
                                                                  scoped, ids), batch_size)
    for source, ids in _batches(nodes, batch_size):
        await retract_node_batch(store, model, out, Batch(uuid.uuid4().hex, "", source, owner, scoped, ids),
                                 batch_size)
    return out


async def _retract_statements(store: GraphStore, batch: Batch, made: list[str]) -> list[str]:
    """Delete the batch's statements, marking it pending in the same statement (with the nodes
    ``made`` it withdraws once done); returns the items whose statements went, one per statement,
    the killed run's first: the mark's list, so a run again answers them too."""
    rows = await store.write("provenance/retract_statements", {**batch.params, "mark": batch.mark,
                                                                "type": batch.type, "made": made})
    return [str(x) for r in rows for x in r["said"] or []]


async def drop_unlinked_placeholders(store: GraphStore, out: Retractions, batch: Batch, ends: list[str]) -> None:
    """Delete the placeholders among ``ends`` (the ends of links the batch deleted) that no link
    holds now. Not counted: whether the link's end was a placeholder or was never written (its id
    loaded by nobody) depends on what another agency once loaded, and the count must not tell it
    (attack round 31b). The ids deleted go to ``out.dropped``, those held anew to ``out.held``."""
    ids = sorted({str(x) for x in ends if x is not None} - set(batch.ids if not batch.type else ()))
    if not ids:
        return
    rows = await store.write("ingest/drop_unlinked_placeholders", {**batch.params, "ids": ids})
    dropped = {r["id"] for r in rows}
    # one no link holds, kept by another agency's record kept apart on it: that record's now
    dropped.update(await release_placeholders(store, load_model(), [i for i in ids if i not in dropped],
                                              source=batch.source, owner=batch.owner, scoped=batch.scoped))
    out.dropped |= dropped
    # one still linked, by links it is seen more widely than: held at theirs (attack round 32, 3b)
    out.held.update(await hold_ends_for_links(store, [i for i in ids if i not in dropped], batch.source,
                                              batch.owner, batch.scoped))


def _keep_gains(out: Retractions) -> Callable[[dict[str, dict[str, Any]]], Awaitable[None]]:
    """``relevel``'s ``before``: keep who gains what it re-owns on ``out``, for the note and count."""
    async def keep(gains: dict[str, dict[str, Any]]) -> None:
        out.gains.update(gains)
    return keep


async def _note_widened(store: GraphStore, out: Retractions, rel_type: str,
                        ends: dict[str, tuple[str, str]]) -> None:
    """Keep the ends ``ends`` (id -> ``(start, end)``) of relationships of ``rel_type`` re-owned
    wider on ``out.reowned_ends``, for the breaker's count, and note the identifiers among them
    (into ``out.widened``): before the echo re-own's write, which keeps nothing on the batch's mark
    (a finish after it found them re-owned and noted nothing: attack round a-86, 1); a relevel's
    while its mark, which keeps them, stands."""
    out.reowned_ends.update({(rel_type, i): e for i, e in ends.items()})
    out.widened.update(await pending_widenings.note(store, await pending_widenings.widened_identifiers(
        store, ends=[x for e in ends.values() for x in e])))


async def retract_relationship_batch(store: GraphStore, model: Model, out: Retractions, batch: Batch,
                                     batch_size: int) -> None:
    """Retract one batch of relationships (:func:`apply_retractions`), counted into ``out``."""
    rel_type, source, owner, params = batch.type, batch.source, batch.owner, batch.params
    said = await _retract_statements(store, batch, list(batch.made))
    out.statements_retracted += len(said)
    # what it deleted, kept on the batch's mark: as for ingest/delete_nodes (attack round 37, 5)
    row = await write_one(store, "ingest/delete_relationships", {**params, "mark": batch.mark}, type=rel_type)
    deleted = set(row["gone"] or [])
    out.relationships_deleted += len(deleted)
    await drop_unlinked_placeholders(store, out, batch, list(row["ends"] or []))
    kept = [i for i in batch.ids if i not in deleted]
    reowned = await relevel(store, kept, rel_type, batch_size, deleting=source, mark=batch.mark, by=owner)
    if batch.reowned:  # a killed run's, kept on the mark (attack round 45a, 3)
        await follow_again(store, list(batch.reowned), rel_type, batch_size)
    await rebuild_relationship_values(store, model, {rel_type: kept}, batch_size, retracted=set(said),
                                      withdrawn=source)
    away = sorted({*_from(reowned, owner), *batch.away})
    withdrawn = [r["id"] for r in await store.write(
        "ingest/retract_relationships", {**params, "reowned": away}, type=rel_type)]
    # one holding no value whose owner's last source went: the echoing agency's (attack round 44a, 1),
    # handed over once the source is withdrawn: killed before, the finish finds it its owner's still
    # (handed over first, the finish took it for the echoing agency's and kept the source: 45c, 6)
    counted = pending_widenings.linking(rel_type)  # the breaker counts these ends only

    async def note_first(ends: dict[str, tuple[str, str]]) -> None:  # before its write: a-86, 1
        if counted:
            await _note_widened(store, out, rel_type, ends)
    echoed = await reown_to_echoes(store, rel_type, [i for i in kept if i not in reowned], source=source,
                                   owner=owner, scoped=batch.scoped, before=note_first)
    reowned.update(echoed)
    out.held.update(await hold_ends_left_by(store, rel_type, kept, owner))  # and its ends with it (45c, 2)
    out.reowned += len(reowned) + len(batch.reowned)
    out.reowned_links.update({**{(rel_type, i): None for i in batch.reowned},
                              **{(rel_type, i): seen for i, (_, seen) in reowned.items()}})
    relevelled = [i for i in reowned if i not in echoed]
    if counted and (relevelled or batch.reowned):  # noted while its mark stands: killed after, still checked
        await _note_widened(store, out, rel_type,
                            await pending_widenings.link_ends(store, rel_type, [*relevelled, *batch.reowned]))
    # one it asserted with no value (no statement of its own) reads to it as deleted too
    hidden = _gone_for(reowned, owner, [*said, *withdrawn])
    out.relationships_deleted += len(hidden)
    out.relationships_retracted += len([i for i in withdrawn if i not in hidden])
    # a MOD's links to what its old version made of its values (graphapi/ingest/replaced_values.py)
    await withdraw_made(store, model, out, batch, list(batch.made), batch_size)
    await pending_recounts.note(store, batch.mark)  # the quarantines at the ends it deleted (a-58, 3)
    await store.write("ingest/clear_pending_retraction", {"id": batch.mark})


async def retract_node_batch(store: GraphStore, model: Model, out: Retractions, batch: Batch,
                             batch_size: int) -> None:
    """Retract one batch of nodes (:func:`apply_retractions`), counted into ``out``."""
    source, owner, params, ids = batch.source, batch.owner, batch.params, batch.ids
    # the phones and documents their records made of their values, read while their links stand;
    # a killed run's, from its mark (they are gone now)
    made = sorted({*batch.made, *(str(r["end"]) for r in await values_made(store, batch, ids))})
    said = await _retract_statements(store, batch, made)
    out.statements_retracted += len(said)
    # its own links another's statement holds go first, as their own DEL: else the node stays
    # for them, and so do they, at the level every agency saw (attack round 27, F2)
    kept_links: dict[str, list[str]] = {}
    for row in await store.read("ingest/own_links_kept", params):
        kept_links.setdefault(str(row["type"]), []).append(str(row["id"]))
    for rel_type, links in _batches(kept_links, batch_size):
        link_batch = Batch(uuid.uuid4().hex, rel_type, source, owner, batch.scoped, links)
        await retract_relationship_batch(store, model, out, link_batch, batch_size)
    # what it deleted is kept on the batch's mark and answered from there: run again (the batch's
    # finish after a kill) it deletes nothing, and the links' follow-ups still run (attack round 37, 5)
    deleted = await write_one(store, "ingest/delete_nodes", {**params, "retracted": sorted(set(said)),
                                                            "mark": batch.mark})
    gone = set(deleted["gone"] or [])
    out.nodes_deleted += len(gone)
    out.relationships_deleted += int(deleted["unnamed"] or 0)
    done: set[str] = set()  # the links whose follow-ups this run made
    await _after_links_deleted(store, out, batch, deleted, done)
    kept = [i for i in ids if i not in gone]
    # kept only by another's links: the DEL's own go first, as with the node (attack round 32, 3b)
    emptied = await _emptied(store, batch, kept)
    if emptied:
        await _delete_own_links(store, out, batch, emptied, done)
    # rebuilt before the source is withdrawn: killed in between, the batch's mark (and a
    # replace's rerun) still finds the nodes by their source and retracts (and rebuilds) them.
    # One it took statements from (said, kept on the mark) and left with none has no value left,
    # whatever source remains in its `sources`: a placeholder's source kept VN-MPS's deleted name
    # on v-1, read by KH-NP as its own (attack round a-102, 2). One never stated keeps its values.
    # Only those it took statements from: another's node it never stated (maybe hidden from it) is
    # not rewritten, which cost one more write where the node existed (a-106, 1: a timing oracle)
    took = set(said)
    await rebuild_values(store, model, [i for i in kept if i in took], batch_size, emptied=took)
    # then those only narrower statements (or others' relationships) hold are narrowed to
    # them, and rebuilt at that level; one left with none, held as its links' placeholder
    reowned = await relevel(store, kept, None, batch_size, retracted=emptied, withdrawn=source,
                            emptied=took, deleting=source, mark=batch.mark, by=owner,
                            before=_keep_gains(out))
    if batch.reowned:  # a killed run's, kept on the mark (attack round 45a, 3)
        await follow_again(store, list(batch.reowned), None, batch_size)
    if reowned or batch.reowned:
        await rebuild_values(store, model, sorted({*reowned, *batch.reowned}), batch_size)
    out.reowned_nodes.update({**dict.fromkeys(batch.reowned), **{i: seen for i, (_, seen) in reowned.items()}})
    if reowned or batch.reowned:  # noted while its mark stands: killed after, they are still checked
        # a killed run's (from its mark): who saw them before is gone, so all their links
        out.widened.update(await pending_widenings.note(store, await pending_widenings.widened_identifiers(
            store, list(batch.reowned), gains={i: out.gains[i] for i in reowned if i in out.gains})))
    hidden = _gone_for(reowned, owner, [*said, *emptied]) | set(batch.unseen)
    if hidden:  # the load's own relationships go as they would have with the node
        await _delete_own_links(store, out, batch, hidden, done)
    away = sorted({*_from(reowned, owner), *batch.away})
    retracted = await store.write("ingest/retract_nodes", {**params, "reowned": away})
    out.nodes_deleted += len(hidden)
    out.nodes_retracted += len([r for r in retracted if r["id"] not in hidden])
    await withdraw_made(store, model, out, batch, made, batch_size)
    await pending_recounts.note(store, batch.mark)  # the quarantines at the ends it deleted (a-58, 3)
    await store.write("ingest/clear_pending_retraction", {"id": batch.mark})


#: The links a record makes of its own values, and the nodes at their ends (an FtM Person's phone,
#: passportNumber's document and email's account: graphapi/ingest/readers/ftm_nodes.py)
VALUE_LINKS = ["USES_PHONE", "HOLDS_DOCUMENT", "HAS_ACCOUNT"]
VALUE_NODES = ["Phone", "IdentityDocument", "UserAccount"]


async def values_made(store: GraphStore, batch: Batch, holders: list[str]) -> list[dict[str, Any]]:
    """The links (``{holder, type, id, end}``) of the batch's source from ``holders`` to the
    identifier nodes made of their records' values (``cypher/ingest/values_made``)."""
    if not holders:
        return []
    return await store.read("ingest/values_made", {**batch.params, "ids": holders, "types": VALUE_LINKS,
                                                   "labels": VALUE_NODES})


async def withdraw_made(store: GraphStore, model: Model, out: Retractions, batch: Batch, made: list[str],
                        batch_size: int) -> None:
    """Withdraw the batch's source from the nodes ``made`` (:func:`values_made`, read before the
    batch took their links) that no link of it holds now, counted as a DEL of each would be: the
    record that made them of its values is gone (attack round 33, 3: her passport outlived her,
    found by every agency's search). One another record of the source still links to names that
    record in its statement instead, so it goes with the last of them."""
    ids = sorted(set(made) - set(batch.ids if not batch.type else ()))
    if not ids:
        return
    params = {"source": batch.source, "owner": batch.owner, "scoped": batch.scoped}
    unheld = {str(r["id"]) for r in await store.read("ingest/unheld_values", {**params, "ids": ids})}
    held = [i for i in ids if i not in unheld]
    if held:
        await store.write("provenance/rename_made_records", {**params, "ids": held, "types": VALUE_LINKS})
    if unheld:
        await retract_node_batch(store, model, out, Batch(uuid.uuid4().hex, "", batch.source, batch.owner,
                                                          batch.scoped, sorted(unheld)), batch_size)


async def _emptied(store: GraphStore, batch: Batch, ids: list[str]) -> set[str]:
    """The nodes among ``ids`` (a DEL's, not deleted) that nothing but the DEL's source asserts
    (no statement, no other source: the rule of ``ingest/delete_nodes``), kept only by another's
    relationships: a placeholder the DEL named, or a record whose last statement it took."""
    if not ids:
        return set()
    stated = {str(r["props"]["entity"]) for r in await store.read("provenance/statements_of", {"ids": ids})}
    out = set()
    for r in await store.read("ingest/existing_nodes", {"ids": ids}):
        props = r["props"] or {}
        if r["id"] in stated or not (batch.scoped or props.get("owner") == batch.owner):
            continue
        if all(s == batch.source or str(s).startswith(batch.source + ":") for s in props.get("sources") or ()):
            out.add(str(r["id"]))
    return out


async def _delete_own_links(store: GraphStore, out: Retractions, batch: Batch, ids: Collection[str],
                            done: set[str]) -> None:
    """Delete the DEL's own relationships on nodes ``ids`` (``ingest/delete_own_links``), as they
    would have gone with the node, counted, their statements with them, and the placeholders at
    their other ends left with no link (:func:`drop_unlinked_placeholders`). ``done``: as for
    :func:`_after_links_deleted`."""
    deleted = await write_one(store, "ingest/delete_own_links",
                              {**batch.params, "ids": sorted(ids), "mark": batch.mark})
    await _after_links_deleted(store, out, batch, deleted, done)


async def _after_links_deleted(store: GraphStore, out: Retractions, batch: Batch, deleted: dict[str, Any],
                               done: set[str]) -> None:
    """Count the relationships the batch's mark holds as deleted with (or on) its nodes
    (``deleted``: ``links``, ``ends``) that this run has not yet (``done``, updated), and delete
    their statements and the placeholders left at their ends. From the mark, not from what the
    delete answered: a kill after the delete left them to the batch's finish, whose delete finds
    nothing (attack round 37, 5)."""
    links = sorted(set(deleted["links"] or []) - done)
    if not links:
        return
    done.update(links)
    out.relationships_deleted += len(links)
    out.statements_retracted += len(await store.write("provenance/delete_statements_about", {"ids": links}))
    await drop_unlinked_placeholders(store, out, batch, list(deleted["ends"] or []))
