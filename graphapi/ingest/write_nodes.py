"""Node writing: buffer node records, then merge each batch into the stored state and write it
(``ingest/create_nodes`` / ``update_nodes`` / ``merge_nodes``), with its statements.
"""

from __future__ import annotations

from typing import Any

from graphapi.ingest.blind_said_by import first_by
from graphapi.ingest.blind_shadow import (
    BLIND_SHADOW,
    shadow_label_conflict,
    shadow_text,
    tell_by_shadow,
    told_unwritten_node,
    write_shadows,
)
from graphapi.ingest.blind_values import (
    BLIND_KNOWN,
    BLIND_SAID,
    blind_sources,
    counted_hidden,
    hidden_node_fields,
    known_before,
    said_blind,
    told_changes,
    told_created_before,
    told_new_conflicts,
    told_of,
)
from graphapi.ingest.conflict_notes import keep, note_batch_conflicts
from graphapi.ingest.derive import derived_properties, prepare_search_fields
from graphapi.ingest.merge import merge_properties
from graphapi.ingest.narrowing import clear_marks, mark_narrowing, narrows
from graphapi.ingest.node_knowledge import NodeKnowledge
from graphapi.ingest.provenance import stamp as _stamp
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.reference_data import is_reference_id
from graphapi.ingest.source_budget import foreign_record, over_budget
from graphapi.ingest.statements import Statement
from graphapi.ingest.stored_state import read_stored_nodes
from graphapi.ingest.take_over import keep_label_apart, relabel_steps, take_over_steps, write_take_overs
from graphapi.ingest.write_node_groups import write_node_groups
from graphapi.ingest.write_rules import (
    _adds_values,
    _kept_apart,
    _only_seen_moved,
    _restricted,
    _specific,
    at_old_level,
    clean_names,
    covered,
    reference_node,
    relabel_refused,
)
from graphapi.ontology import OntologyError
from graphapi.ontology.tlp import item_audience, reaches_all, visible_to
from graphapi.security.kept_shares import widen_record


class NodeWriting(NodeKnowledge):
    """:class:`graphapi.ingest.writer.Writer`'s node half (runs on its state)."""

    async def _add_node(self, rec: NodeRecord) -> None:
        lb = self.model.label(rec.label)
        if lb.abstract:
            raise OntologyError(f"cannot create a node with abstract label {rec.label!r}")
        source = rec.origin.source if rec.origin else self.source
        keyed = self.model.keyed_label_of(rec.id) if lb.key == ("id",) else None
        if keyed is None and self.model.has_relationship_id_form(rec.id):
            keyed = "relationship"
        if keyed is not None:  # attack round 8, L2: a Person "phone:+66..."
            self._refuse(rec.origin, {"id": rec.id, "label": rec.label},
                         f"id {rec.id!r} has the form of a {keyed}'s id; a {rec.label} takes another id",
                         restricted=False)
            self._refused_nodes.add(rec.id)
            return
        if rec.op == "delete":  # a line's DEL takes what that line said (graphapi.ingest.line_deletes)
            self._note_delete(("", source), self._delete_nodes.setdefault(source, {}), rec)
            if lb.key != ("id",) and not rec.line:  # a keyed line's (graphapi.ingest.keyed_line_deletes)
                self._note_keyed_delete(source, rec.id, rec.properties, rec.keyed_line)
            return
        if self._delete_nodes:
            self._delete_nodes.get(source, {}).pop(rec.id, None)
            self._forget_line_delete(("", source), rec.id)
        if self.asserted is not None:  # a bare reference says the node exists, not what it holds
            self.asserted.note_node(rec.id, reference=rec.unresolved)
        undo = self._keyed_note_undo(source, rec.id, rec.keyed_line) if rec.keyed_line else None
        if rec.op == "replace":
            self._replace.add(rec.id)
            if rec.keyed_line:
                self._note_keyed_move(source, rec.id, rec.properties, rec.keyed_line)
        elif rec.keyed_line and self._keyed_moves:  # after the line's MOD or DEL in this load
            self._note_keyed_add(source, rec.id, rec.properties, rec.keyed_line)
        props = rec.properties
        if props.get("quarantined") is True:  # the guard's: marked once the links are written (write_correlation)
            self._guard_quarantined.add(rec.id)
            props = {k: v for k, v in props.items() if k != "quarantined"}
        props = _stamp(props, source, self.prov)  # a new dict
        props.pop("id", None)
        clean_names(self._names(rec.label, lb), props)
        if rec.unresolved:
            props["unresolved"] = True
        if rec.id in self._nodes:
            label, old = self._nodes[rec.id]
            if all(old.get(k) == v for k, v in props.items()) and old.get("unresolved") == props.get("unresolved") \
                    and not rec.line and (rec.unresolved or self.statements.pending_of_line(rec.id, "")):
                # (another line's record is that line's statement; one buffered first, a Passport's
                # document, is its line's only)
                return  # the same assertion again within this batch
            if old.get("unresolved") and not rec.unresolved:
                label = rec.label
            elif label != rec.label and not rec.unresolved and not self.model.is_a(label, rec.label):
                if not self.model.is_a(rec.label, label):  # as across loads (_write_nodes)
                    made_by = self._made_by_row(self._node_origin.get(rec.id))
                    self._refuse_row(rec.origin, rec.id, label, rec.label, made_by)
                    self._refused_nodes.add(rec.id)
                    if undo is not None:  # a refused record says nothing of its line (a-113, 4)
                        undo()
                    return
                label = rec.label  # refined (Organization, then Company), as across loads
            self._nodes[rec.id] = (label, merge_properties(old, props, self._multiple(label)))
            note_batch_conflicts(self, rec.id, old, self._nodes[rec.id][1], rec.origin)
        else:
            self._nodes[rec.id] = (rec.label, props)
            self._node_origin.setdefault(rec.id, rec.origin)
        if not rec.unresolved:  # a bare reference asserts no value
            self.statements.note(rec.label, rec.id, props, source, rec.origin.record_id if rec.origin else source,
                                 replace=rec.op == "replace" or self.replaced_lines.renews(rec, source),
                                 line=rec.line, keyed_line=rec.keyed_line)
        if len(self._nodes) >= self.batch_size:
            await self._flush_soon(edges=False)

    async def flush_nodes(self) -> None:
        """Write every buffered node (merged with the stored state), after any background flush."""
        await self._settle()
        async with self._exclusively():
            await self._write_nodes(*self._take_nodes())

    async def _write_nodes(self, buffered: dict[str, tuple[str, dict[str, Any]]],
                           origins: dict[str, Origin | None],
                           statements: dict[str, list[tuple[Statement, bool]]] | None = None) -> None:
        if not buffered:
            return
        refused: set[str] = set()  # their records assert nothing: no statement is written
        created: set[str] = set()
        levels: dict[str, dict[str, Any]] = {}  # node id -> its sharing once written (statements follow it or not)
        relevelled: set[str] = set()  # the owner's record changed who sees the node: its values are rebuilt
        widened: dict[str, tuple[Any, Any]] = {}  # of them, those seen by an agency that did not see them
        widening: dict[str, dict[str, Any]] = {}  # of those, the level each takes once rebuilt
        replacing = {nid for nid in buffered if nid in self._replace}
        seen_only: set[str] = set()  # stored ones whose lastSeen alone moves (a reload seen later)
        untold: set[str] = set()  # written, but counted unchanged: only fields the load may not read moved
        relabels: dict[tuple[str, str], list[dict[str, Any]]] = {}  # take_over_steps -> nodes taken over
        narrowed: list[str] = []
        blind_marks: list[dict[str, Any]] = []  # told created (blind_values): marked blindSaid
        shadows: list[dict[str, Any]] = []  # ... and what its agency's records said there (blind_shadow)
        existing = await read_stored_nodes(self.store, (nid for nid in buffered if nid not in self._known),
                                           lambda nid: self._probe_props(nid, *buffered[nid]), self.batch_size)
        relabelled = [nid for nid, old in existing.items() if (old["same"] or old["sources_only"])
                      and not self._keeps_label(buffered[nid][0], old["labels"])]
        if relabelled:  # the same values under a label to refine or refuse: decided on the whole node
            existing.update(await read_stored_nodes(self.store, relabelled, lambda nid: None, self.batch_size))
        for nid in buffered:
            if nid in self._known:
                label, props = self._known[nid]
                existing[nid] = {"id": nid, "labels": list(self.model.label(label).labels), "props": props}
        self._note_quarantined_here(buffered, existing)
        if self.victim_blind:
            await self._note_protected({nid: old["props"] for nid, old in existing.items()})
        # the load's own victims: fields it may not read, which tell it nothing (blind_values)
        hidden_of = {nid: hidden_node_fields(existing[nid]["labels"] or []) for nid in buffered
                     if nid in self.blind and nid in existing}
        victims = set(hidden_of)  # (hidden_of also holds the items told created before, below)
        hidden_of.update(told_created_before(self, buffered, existing, victims))
        # a partner's records about an item it may see but not own: its source budget (G4)
        foreign = {nid: (old["props"], buffered[nid][1]) for nid, old in existing.items() if self.viewer is not None
                   and old["props"] is not None and nid not in self.protected and visible_to(old["props"], self.viewer)
                   and foreign_record(old["props"], buffered[nid][1])}
        over = await over_budget(self.store, foreign, self.source) if foreign else {}
        # create: new ids (MERGE on the full label chain); update: same labels; relabel: a
        # placeholder resolved to a more specific label (SET labels, the slow path)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # the batch's Thai names spelled by the RTGS model at once, not one by one below
        prepare_search_fields((self.model.label(label), props) for label, props in buffered.values())
        for nid, (label, props) in buffered.items():
            if nid in self._known and not props.get("unresolved") and nid not in self._replace:
                known_label, known_props = self._known[nid]
                widen_record(known_props, props, (statements or {}).get(nid, ()))
                if (label == known_label or self.model.is_a(known_label, label)) and covered(
                        props, known_props, self._multiple(known_label)):
                    self._labels[nid] = known_label
                    continue  # already written this run with everything this record says
            old = existing.get(nid)
            if old is None and props.get("unresolved") and nid in self._guard_quarantined:
                continue  # the guard's quarantine of an identifier only linked to: no placeholder made of it
            if old is None and self.viewer is not None and is_reference_id(nid):
                self._refuse(origins.get(nid), {"id": nid, "label": label},
                             f"id {nid!r} has the form of a gazetteer's node (bank-, bcp-, cmp-: public reference "
                             "data, written by `lintas load gazetteers`); an agency's load does not create one",
                             restricted=False)
                refused.add(nid)
                continue
            if old is not None and self.viewer is not None and reference_node(nid, old["props"] or {}):
                # an agency's record of a gazetteer's public node only refers to it: its names and
                # places are the gazetteers' to say (attack round 17, G1: any agency's GREEN record
                # added aliases, a name and a latitude every agency's search then met)
                self._labels[nid] = _specific(self.model, old["labels"] or []) or label
                continue
            held = None
            steps = None if old is None else take_over_steps(self.model, old, label, props)
            if steps is not None:  # it answers as missing to the record's owner: made anew, as if
                held, old = dict(old["props"] or {}), None  # absent (attack round 30b, H1)
                for step in steps:
                    relabels.setdefault(step, []).append({"id": nid})
            if nid in over and old is not None:
                self._refuse_over_budget(origins.get(nid), {"id": nid, "label": label}, over[nid])
                refused.add(nid)
                continue
            if old is not None and old.get("same"):  # stored, and the record says nothing it does not hold
                self._labels[nid] = _specific(self.model, old["labels"] or []) or label
                continue
            if old is not None and old.get("sources_only"):  # its merge would only add the sources
                self._labels[nid] = _specific(self.model, old["labels"] or []) or label
                groups.setdefault(("sources", ""), []).append({"id": nid, "sources": props["sources"]})
                continue
            if old is not None and self.viewer is not None and (
                    not visible_to(old["props"] or {}, self.viewer) or nid in self.protected):
                self._refuse(origins.get(nid), {"id": nid, "label": label}, _restricted(nid, old["props"] or {}))
                self.counts.hits.append((nid, str((old["props"] or {}).get("owner") or "")))
                refused.add(nid)
                continue
            if old is not None:
                old_props = dict(old["props"] or {})
                # the owner's record at its level widened by the shares its item keeps: a load
                # never takes back a share (attack round 42a, 4)
                widen_record(old_props, props, (statements or {}).get(nid, ()))
                stored_label = _specific(self.model, old["labels"] or []) or label
                # the load's own victim's item its source never said: told as if absent, whichever
                # way the record goes below (kept apart, refused, merged: attack round a-60, 1)
                unsaid = nid in victims and not said_blind(old_props, props)
                # ... or that a blind load of its source was told created before: told as a reload
                quiet = nid in victims and not unsaid
                if unsaid:
                    blind_marks.append({"id": nid, "sources": blind_sources(props.get("sources") or []),
                                        "known": False})
                    if not props.get("unresolved"):  # the item a wrong guess would have made
                        shadows.append({"id": nid, "shadow": shadow_text(label, props, by=first_by(props))})
                # a reload told as the wrong guess's item would be (blind_shadow), whichever way it goes
                told_as = tell_by_shadow(self, nid, label, props, old_props, origins.get(nid), shadows) \
                    if quiet and not props.get("unresolved") else None  # counted there
                if quiet and not props.get("unresolved") and (
                        other := shadow_label_conflict(self.model, old_props, label)) is not None:
                    # (not a placeholder: it never relabels a real node, the wrong guess's: a-75, 3)
                    self._refuse_row(origins.get(nid), nid, other, label, "as stored")  # as its own item's
                    refused.add(nid)
                    continue
                if props.get("unresolved") and not old_props.get("unresolved"):
                    label = stored_label  # a placeholder never relabels a real node
                kind = "update" if label == stored_label or self.model.is_a(stored_label, label) else "relabel"
                if old_props.get("unresolved") and not props.get("unresolved") and label != stored_label:
                    kind = "relabel"  # a placeholder's label was its link's guess: the record's replaces it
                if kind == "relabel" and not old_props.get("unresolved") and not self.model.is_a(label, stored_label):
                    # only a placeholder is resolved, or a label refined (Organization -> Company)
                    if unsaid or (quiet and not known_before(old_props, props)):  # a guessed id's label
                        told_unwritten_node(self, nid, refused, (statements or {}).get(nid, ()), unsaid,
                                            told_as, old_props.get(BLIND_SHADOW))
                        continue  # conflict would confirm it: told created (or, said so before, unchanged)
                    if told_of(self, nid, old["labels"] or [], old_props, props):  # told it, a victim's later:
                        blind_marks.append({"id": nid, "sources": blind_sources(props.get("sources") or []),
                                            "known": True})  # told it again (a-65, 5b)
                    self._refuse_row(origins.get(nid), nid, stored_label, label, self._made_by_load(old_props))
                    refused.add(nid)
                    continue
                if not props.get("unresolved") and told_of(self, nid, old["labels"] or [], old_props, props):
                    # of a label that may turn blind
                    blind_marks.append({"id": nid, "sources": blind_sources(props.get("sources") or []),
                                        "known": True})
                if props.get("unresolved"):
                    self._labels[nid] = stored_label  # a bare reference to a stored node: it exists,
                    if unsaid:                        # and the reference adds nothing to it (told
                        self._told_created_nodes.add(nid)  # created as a placeholder would be)
                    continue
                apart = _kept_apart(old_props, props)  # read before _foreign drops a foreign sharedWith
                refusal = self._foreign(nid, old_props, props)
                narrowing = nid in replacing and narrows(old_props, props)  # the owner's MOD, once stated
                guessed = False  # another agency's placeholder, whose label is its link's guess
                if not refusal and apart and kind == "relabel" and old_props.get("owner") != props.get("owner"):
                    if old_props.get("unresolved"):
                        guessed = True
                    else:  # a label is no statement's: another agency's narrower record cannot
                        # refine the node for the wider audience that reads it
                        refusal = relabel_refused(nid, label, old_props, props)
                if refusal:
                    if not _adds_values(props, old_props, self._multiple(stored_label)) or reference_node(
                            nid, old_props):
                        # nothing to disclose; or a narrower feed's record of a gazetteer's public
                        # node (its own spelling of a checkpoint's name) only refers to it: every
                        # AMBER crossings feed reported refused records, and so no replace of it
                        # ever retracted (new-user trial 6)
                        self._labels[nid] = stored_label  # e.g. a shared phone named again
                        narrowed.extend([nid] if narrowing else [])
                        if unsaid:
                            self._told_created_nodes.add(nid)
                        continue
                    if unsaid or quiet:  # refused for its level: as a label conflict
                        told_unwritten_node(self, nid, refused, (statements or {}).get(nid, ()), unsaid,
                                            told_as, old_props.get(BLIND_SHADOW))
                        continue
                    self._refuse(origins.get(nid), {"id": nid, "label": label}, refusal)
                    refused.add(nid)
                    self._disclosure_hit(nid, old_props, props)
                    continue
                if apart:  # its statement alone holds its values, at its own level; the node
                    self._labels[nid] = stored_label  # (and who reads it) stays as it was
                    levels[nid] = old_props
                    if guessed:  # and its label too, while the link holds it (graphapi.ingest.placeholder_release)
                        self.counts.warned.append(keep_label_apart(nid, label, stored_label, props, origins.get(nid),
                                                                   (statements or {}).get(nid, ())))
                    if unsaid:
                        self._told_created_nodes.add(nid)
                    continue
                merged = self._merge(nid, old_props, props, self._multiple(label))
                if narrowing:
                    narrowed.append(nid)
                if kind == "update":
                    label = stored_label
            else:
                unsaid, told_as = False, None
                old_props = {}
                merged = dict(props)
                if told_of(self, nid, self.model.label(label).labels, {}, props):  # may turn blind
                    merged[BLIND_SAID] = merged[BLIND_KNOWN] = blind_sources(props.get("sources") or [])
                kind = "create"
                created.add(nid)
                self.counts.nodes_created += 1
                if held is not None:  # written over the held node, whose statements are read:
                    old_props, kind = held, "update"  # its values go, the kept-apart one is
                    created.discard(nid)              # pinned at its level and the fields rebuilt
                    self._created_nodes.add(nid)
            # named in the reject report; a field the load may not read tells it nothing (blind_values)
            hidden = hidden_of.get(nid, frozenset())
            as_new = unsaid and kind != "create"  # told as if absent (blind_values)
            told, notes = (0, []) if as_new or told_as else told_new_conflicts(nid, "node", old_props, merged,
                                                                    origins.get(nid), self, hidden)
            self.counts.conflicts += told
            keep(self.counts.conflict_notes, notes)
            levels[nid] = merged
            if old_props and item_audience(old_props) != item_audience(merged):
                relevelled.add(nid)
                if not reaches_all(seen_before := item_audience(old_props), seen_now := item_audience(merged)):
                    widened[nid] = (seen_before, seen_now)  # seen by an agency that did not see it
            for name, value in derived_properties(self.model.label(label), merged, nid).items():
                if value is None:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            merged.pop("id", None)
            self._remember(nid, label, {k: v for k, v in merged.items() if v is not None})
            if as_new:  # told created even if its merge writes nothing (a-67, 6: a colleague's same
                self._told_created_nodes.add(nid)  # record under the shared source in the same second)
            if kind == "update" and merged == {k: v for k, v in old_props.items() if k != "id"}:
                self._labels[nid] = label
                continue  # nothing new: no write
            if told_as:
                untold.add(nid)  # counted by what its agency said (blind_shadow), above
            elif kind == "update" and _only_seen_moved(merged, old_props):
                seen_only.add(nid)  # written to move lastSeen, counted unchanged (nodes_seen)
            elif kind == "update" and hidden and (changes := told_changes(merged, old_props, hidden)) <= {"lastSeen"}:
                (seen_only if changes else untold).add(nid)  # its hidden fields alone changed: told as unchanged
            for k in old_props:
                if k not in merged and k != "id":
                    merged[k] = None  # removed by SET +=, e.g. a resolved placeholder's flag
            row = merged
            if nid in relevelled:  # widened last, once its fields hold only what the new level shows
                widening[nid] = {"tlp": merged.get("tlp"), "sharedWith": merged.get("sharedWith")}
                row = at_old_level(merged, old_props)
            if kind == "relabel" and old is not None:  # exactly the record's chain: a label it lacks goes
                for step in relabel_steps(self.model, list(old["labels"] or []), label):
                    if step[0]:
                        relabels.setdefault(step, []).append({"id": nid})
            groups.setdefault((kind, label), []).append({"id": nid, "props": row})
            self._labels[nid] = label
        # holders seen by more: what they link to noted before any write (a kill, then the next writer)
        widened_links = await self._note_widened_holders({nid: widened[nid] for nid in buffered if nid in widened})
        marks = await mark_narrowing(self.store, "", narrowed, self.prov.owner, self.batch_size) if narrowed else []
        self.counts.batches += await write_take_overs(self.store, relabels, self.batch_size)
        quiet = seen_only | untold  # written, counted unchanged
        await write_node_groups(self, groups, quiet)
        self._seen_nodes |= seen_only
        self._refused_nodes |= refused - self._told_refused_nodes
        self._unnote_refused_moves(refused, statements or {})
        if blind_marks:
            self.counts.batches += (await self.store.write_batches("ingest/add_blind_said", blind_marks,
                                                                   self.batch_size)).batches
        await write_shadows(self, shadows)
        await self._write_statements(buffered, statements or {}, refused, created, replacing | relevelled, levels,
                                     widening, counted_hidden(self.model, buffered, hidden_of, blind_marks))
        await clear_marks(self.store, marks)  # narrowed: a kill before this leaves them to the next writer
        # holders seen by fewer (or more): the quarantines of what they link to are recounted (a-62, 7)
        moved = [nid for nid in buffered if nid in relevelled or nid in narrowed]
        await self._note_relevelled((), moved)
        if self._bounds is not None:  # seen by other agencies now: each may hold what the breaker counted;
            # one seen by fewer holds for no view it did not (a-71, 1: a MOD narrowing the loader's
            # own nodes, written or not, made every identifier count again)
            self._bounds.moved(nid for nid in buffered if nid in widened)
        # and the identifiers they link to checked, as a new link's (a-71, 2)
        await self._check_widened_holders(widened_links)
