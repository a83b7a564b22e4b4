"""Edge writing: buffer relationship records, then write each type's batch with
``ingest/add_relationships`` and ``ingest/merge_relationships`` (provenance merge, refusals,
dangling endpoints deferred to the end of the run), and the statements of the relationships
written (per-value provenance, as for nodes: :mod:`graphapi.ingest.statement_store`).
"""

from __future__ import annotations

from typing import Any

from graphapi.ingest import pending_widenings
from graphapi.ingest.blind_diverted import reconcile_diverted
from graphapi.ingest.blind_shadow import (
    BLIND_SHADOW,
    known_links,
    tell_blind_links,
    tell_link_by_shadow,
    told_unwritten_link,
)
from graphapi.ingest.blind_stated import stated_with_merge
from graphapi.ingest.blind_values import mark_link_ends, unsaid_links
from graphapi.ingest.conflict_notes import keep, new_conflicts, note_batch_conflicts
from graphapi.ingest.echoes import echo_levels_after, echoes_after, narrow_unseen_echoes, refused_echo_levels
from graphapi.ingest.edge_digests import edge_digest, stored_alike
from graphapi.ingest.merge import merge_properties
from graphapi.ingest.narrowing import clear_marks, mark_narrowing, narrow_valueless, narrows
from graphapi.ingest.provenance import stamp as _stamp
from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.relevel import taken_over
from graphapi.ingest.source_budget import foreign_record, over_budget
from graphapi.ingest.statements import Statement
from graphapi.ingest.stored_state import lists_hold_lists
from graphapi.ingest.write_counts import MAX_CONFLICTED
from graphapi.ingest.write_rules import (
    _adds_values,
    _kept_apart,
    _only_seen_moved,
    _restricted,
    _row,
    at_old_level,
    covered,
)
from graphapi.ontology.tlp import item_audience, visible_to
from graphapi.security.kept_shares import widen_record


class EdgeWriting:
    """:class:`graphapi.ingest.writer.Writer`'s relationship half (runs on its state)."""

    def _rel_multiple(self, rel_type: str) -> frozenset[str]:
        """The list-valued properties of ``rel_type`` (worked out once per type and writer)."""
        known = self._multiples.get(("rel", rel_type))
        if known is None:
            rt = self.model.relationship(rel_type)
            known = self._multiples[("rel", rel_type)] = frozenset(
                p.name for p in rt.properties.values() if p.multiple) | {"sources", "sharedWith", "conflicts"}
        return known

    def _conflicted(self, rec: EdgeRecord, old: dict[str, Any], merged: dict[str, Any]) -> None:
        """Note a relationship whose values disagreed (row-identity warning, reject report)."""
        if len(self.counts.conflicted) < MAX_CONFLICTED:
            self.counts.conflicted.append(rec)
        keep(self.counts.conflict_notes, new_conflicts(rec.id, "relationship", old, merged, rec.origin, self))

    async def _add_edge(self, rec: EdgeRecord) -> None:
        self.model.relationship(rec.type)
        by_type = self._edges.setdefault(rec.type, {})
        source = rec.origin.source if rec.origin else self.source
        if rec.op == "delete":  # a line's DEL takes what that line said (graphapi.ingest.line_deletes)
            self._note_delete((rec.type, source), self._delete_edges.setdefault((rec.type, source), {}), rec)
            if self.victim_blind:  # it may name a link kept out in its holder's blindDiverted
                self._blind_delete_ends[rec.id] = (rec.start, rec.end)
            return
        if self._delete_edges:
            self._delete_edges.get((rec.type, source), {}).pop(rec.id, None)
            self._forget_line_delete((rec.type, source), rec.id)
        if self.asserted is not None:
            self.asserted.note_relationship(rec.type, rec.id)
        if rec.op == "replace":
            self._replace.add(rec.id)
        props = _stamp(rec.properties, source, self.prov)  # a new dict
        props.pop("id", None)
        if rec.origin and rec.origin.line:
            props.setdefault("recordId", rec.origin.record_id)
        if rec.id in by_type:
            old = self._edge_props[rec.id]
            if all(old.get(k) == v for k, v in props.items()) and not rec.line:  # another line's: its statement
                return  # the same assertion again within this batch
            merged = merge_properties(old, props, self._rel_multiple(rec.type))
            note_batch_conflicts(self, rec.id, old, merged, rec.origin)
        else:
            self._n_edges += 1
            merged = props
        self.edge_statements.note_relationship(rec.type, rec.id, props, source,
                                               props.get("recordId") or (rec.origin.record_id if rec.origin
                                                                         else source),
                                               replace=rec.op == "replace" or self.replaced_lines.renews(rec, source),
                                               line=rec.line)
        props = merged
        by_type[rec.id] = rec
        self._edge_props[rec.id] = props
        if self._n_edges >= self.batch_size:
            await self._flush_soon(edges=True)

    async def flush_edges(self, *, final: bool = False, retry: bool = False) -> None:
        """Write every buffered edge, after any background flush; nodes are written first so
        endpoints exist. ``final``: retry deferred edges once more and report the rest dangling;
        ``retry``: retry them, and defer the rest again (before a DEL: in their own load they
        were written when it came)."""
        await self._settle()
        nodes = self._take_nodes()
        await self._write_all(nodes, *self._take_edges(final=final or retry), final=final)

    async def _write_edges(self, rel_type: str, recs: dict[str, EdgeRecord],
                           props_of: dict[str, dict[str, Any]],
                           statements: dict[str, list[tuple[Statement, bool]]], *, final: bool) -> None:
        """Write one type's buffered edges: those not seen this run go to ``ingest/add_relationships``
        (one round trip: new ones are created, stored ones come back for the provenance merge);
        those written this run, and stored ones whose merge changes something, are written with
        ``ingest/merge_relationships``."""
        refused = {rid for rid, rec in recs.items() if self._refused_rows and _row(rec.origin) in self._refused_rows}
        if refused:  # a row refused whole: its links' echoes no wider all the same (attack round 49)
            self.counts.batches += await narrow_unseen_echoes(
                self.store, rel_type, {rid: props_of[rid] for rid in refused}, self.batch_size)
        rows = [{"id": rec.id, "start": rec.start, "end": rec.end} for rec in recs.values()
                if rec.id not in refused and self._endpoints_allowed(rec)]
        unsaid: set[str] = set()
        if rows and self.victim_blind:
            await mark_link_ends(self, rows, recs, await self._note_protected_ends(rows))
            unsaid = await unsaid_links(self, rows, recs)
        if rows and self.correlation is not None and rel_type in self.correlation.linking:
            kept = await self._divert_quarantined(rel_type, [r for r in rows if r["id"] not in unsaid], recs,
                                                    props_of)
            rows = kept + [r for r in rows if r["id"] in unsaid]
        if not rows:
            return
        replacing = {r["id"] for r in rows if r["id"] in self._replace}
        existing: dict[str, dict[str, Any]] = {}
        # an end the viewer may not see as itself (Writer.protected) is answered as a missing one,
        # and so is its own victim's item that the link's source never said (blind_values.unsaid_links)
        missing: set[str] = {r["id"] for r in rows if r["start"] in self.protected or r["end"] in self.protected}
        missing |= unsaid
        refused: set[str] = set()
        same: set[str] = set()  # stored with every value the record brings: nothing to write
        held: set[str] = set()  # held apart by another agency's statement: the record takes them over
        multiple = self._rel_multiple(rel_type)
        unknown = []
        lean_digests: dict[str, str] = {}
        for row in rows:
            if row["id"] in missing:
                continue
            known = self._known_edges.get(row["id"])
            if known is not None:
                existing[row["id"]] = known
                continue
            unknown.append(row)
            # lean: the store says "same" instead of sending back what this record repeats
            if self.viewer is None and row["id"] not in self._replace and lists_hold_lists(props_of[row["id"]],
                                                                                           multiple):
                lean_digests[row["id"]] = edge_digest(row, props_of[row["id"]])
        if lean_digests:  # a reload's: stored as this very record made them, nothing sent but a hash
            same.update(await stored_alike(self.store, rel_type, lean_digests, self.batch_size))
        fresh = []
        for row in unknown:
            if row["id"] in same:
                continue
            props = dict(props_of[row["id"]])
            props.pop("id", None)
            digest = lean_digests.get(row["id"])
            fresh.append({**row, "props": props, "lean": digest is not None, "digest": digest})
        created = 0
        link_shadows: list[dict[str, Any]] = []  # links with an end of its own victims' (blind_shadow)
        told_as: dict[str, str] = {}  # ... what the load is told of each that was stored
        blind_new: list[dict[str, Any]] = []  # ... created now
        echo_moves: list[dict[str, Any]] = []  # echoes kept apart or refused: their level alone moves
        linking = self.correlation is not None and rel_type in self.correlation.linking
        # the identifiers its new links reach, noted before they are written: killed before the
        # breaker counted them, the rerun finds the links stored, the next writer recounts (a-82, 5)
        noted = await pending_widenings.note(self.store, (
            ends[0] for r in fresh if (ends := self._identifier_end(r)) is not None)) if linking else []
        if fresh:
            summary = await self.store.write_batches(
                "ingest/add_relationships", fresh, self.batch_size, type=rel_type,
                params={"agency": self.viewer},
            )
            self.counts.batches += summary.batches
            for out in summary.returned:
                same.update(out["same"])
                for exc in out["exceptions"]:
                    if not exc["linked"]:
                        missing.add(exc["id"])
                    elif taken_over(exc["props"] or {}, props_of[exc["id"]]):
                        existing[exc["id"]] = dict(exc["props"] or {})  # held apart: answers as missing,
                        held.add(exc["id"])                             # made anew below
                    elif self.viewer is not None and not visible_to(exc["props"] or {}, self.viewer):
                        rec = recs[exc["id"]]
                        refused.add(exc["id"])
                        self._refuse(rec.origin, {"id": rec.id, "start": rec.start, "end": rec.end},
                                     _restricted(rec.id, exc["props"] or {}))
                        self.counts.hits.append((rec.id, str((exc["props"] or {}).get("owner") or "")))
                        _move_echo(echo_moves, rec.id, refused_echo_levels(exc["props"] or {}, props_of[rec.id]))
                    else:
                        existing[exc["id"]] = dict(exc["props"] or {})
            for r in fresh:
                if r["id"] not in existing and r["id"] not in missing and r["id"] not in refused \
                        and r["id"] not in same:
                    created += 1
                    if r["start"] in self.blind or r["end"] in self.blind:  # what its agency said (blind_shadow)
                        blind_new.append(r)
                    if r["props"].get("conflicts"):  # met in this batch
                        self.counts.conflicts += len(r["props"]["conflicts"])
                        self._conflicted(recs[r["id"]], {}, r["props"])
                    self._remember_edge(r["id"], r["props"])
        out = []
        unchanged = set(same)
        seen: set[str] = set()  # stored ones whose lastSeen alone moves (a reload seen later)
        levels: dict[str, dict[str, Any]] = {}  # as in write_nodes: each one's sharing once written
        relevelled: set[str] = set()
        widening: dict[str, dict[str, Any]] = {}  # relevelled ones: the level each takes once rebuilt
        # a partner's records about a relationship it may see but not own: its source budget (G4)
        foreign = {rid: (old, props_of[rid]) for rid, old in existing.items()
                   if self.viewer is not None and foreign_record(old, props_of[rid])}
        over = await over_budget(self.store, foreign, self.source) if foreign else {}
        taking: list[dict[str, Any]] = []  # held ones taken over: their whole property map
        narrowing: dict[str, dict[str, Any]] = {}  # the owner's MOD saying them more narrowly
        known = await known_links(self, rows, existing, props_of, recs) if self.blind else set()
        unwritten: set[str] = set()  # its own victims' links refused for their level, told as a guess's
        for row in rows:
            old = existing.get(row["id"])
            if old is None:
                continue  # created above, or an endpoint is missing
            props = props_of[row["id"]]
            widen_record(old, props, statements.get(row["id"], ()))  # by its owner's shares (42a, 4)
            if row["id"] in held:  # written over, as new: its values go, and its statements are
                fresh_props = {k: v for k, v in props.items() if k != "id"}  # rebuilt and pinned
                levels[row["id"]] = fresh_props
                relevelled.add(row["id"])
                widening[row["id"]] = {"tlp": fresh_props.get("tlp"), "sharedWith": fresh_props.get("sharedWith")}
                kept = {k: v for k, v in at_old_level(fresh_props, old).items() if v is not None}
                taking.append({**row, "props": {**kept, "id": row["id"]}})
                continue
            if row["id"] in over:
                rec = recs[row["id"]]
                self._refuse_over_budget(rec.origin, {"id": rec.id, "start": rec.start, "end": rec.end},
                                         over[rec.id])
                refused.add(rec.id)
                _move_echo(echo_moves, rec.id, refused_echo_levels(old, props))
                continue
            if narrows(old, props):  # one holding no value narrows to its record's level, once written
                if self.asserted is not None:  # a whole-source replace: once it retracted (replacement.py)
                    self.asserted.note_level(rel_type, row["id"], props)
                    if rel_type in self._policy()[0]:  # its quarantined ends noted then (a-62, 7)
                        self._narrowing_later.update((row["start"], row["end"]))
                elif row["id"] in replacing:  # a MOD: after its statements (attack round 38a, 4)
                    narrowing[row["id"]] = props
            if (row["start"] in self.blind or row["end"] in self.blind) and row["id"] not in known:  # (blind_shadow)
                told_as[row["id"]] = tell_link_by_shadow(self, row["id"], old, props, recs[row["id"]], multiple,
                                                         link_shadows)
            levels[row["id"]] = old
            echoes = echoes_after(old, props)  # whose its sources are, where no statement says it
            echo_levels = echo_levels_after(old, props)  # and at what level (before _foreign drops sharedWith)
            apart = _kept_apart(old, props)  # read before _foreign drops a foreign sharedWith
            refused_levels = refused_echo_levels(old, props)  # (47, 2) the same
            refusal = self._foreign(row["id"], old, props)
            if refusal:  # its echo no wider, all the same
                _move_echo(echo_moves, row["id"], refused_levels)
            if refusal and not _adds_values(props, old, multiple):
                unchanged.add(row["id"])  # the same relationship named again: nothing to disclose or refuse
                continue
            if refusal and row["id"] in told_as:  # the load's own victim's link: not merged, told
                told_unwritten_link(self, told_as[row["id"]], statements.get(row["id"], ()),  # as the wrong
                                    old.get(BLIND_SHADOW))
                unwritten.add(row["id"])  # guess's link would be (blind_shadow, attack round a-72, 1)
                continue
            if refusal:
                rec = recs[row["id"]]
                self._refuse(rec.origin, {"id": rec.id, "start": rec.start, "end": rec.end}, refusal)
                refused.add(rec.id)
                self._disclosure_hit(rec.id, old, props)
                continue
            if apart:
                unchanged.add(row["id"])  # its statement alone holds its values, at its own level; the
                _move_echo(echo_moves, row["id"], echo_levels)  # relationship stays as it was, its
                continue                                        # echo's level moves (45c, 1)
            if row["id"] not in self._replace and echoes is None and echo_levels is None \
                    and covered(props, old, multiple):
                unchanged.add(row["id"])  # asserted again, nothing new: no write
                continue
            before = len(old.get("conflicts") or [])
            props = self._merge(row["id"], old, props, multiple)
            stated_with_merge(row["id"], old, props, link_shadows)
            if echoes is not None:
                props["echoes"] = echoes or None
            if echo_levels is not None:
                props["echoLevels"] = echo_levels or None
            levels[row["id"]] = props
            if item_audience(old) != item_audience(props):
                relevelled.add(row["id"])
            if row["id"] not in told_as and len(props.get("conflicts") or []) > before:
                self.counts.conflicts += len(props["conflicts"]) - before
                self._conflicted(recs[row["id"]], old, props)
            props.pop("id", None)
            if props == {k: v for k, v in old.items() if k != "id"}:
                unchanged.add(row["id"])  # asserted again, nothing new: no write
                continue
            if _only_seen_moved(props, old):
                seen.add(row["id"])  # written to move lastSeen, counted unchanged (relationships_seen)
            if row["id"] in relevelled:  # widened last, as write_nodes does (attack round 8, K1)
                widening[row["id"]] = {"tlp": props.get("tlp"), "sharedWith": props.get("sharedWith")}
                out.append({**row, "props": at_old_level(props, old)})
                continue
            out.append({**row, "props": props})
        # SET += takes no null (FalkorDB#1787): what a write removes goes with the whole map after it
        sent = [{**r, "props": {k: v for k, v in r["props"].items() if v is not None}} for r in out]
        # marked before the first write of them: a kill before they narrow leaves them to the next writer
        marks = await mark_narrowing(self.store, rel_type, sorted(narrowing), self.prov.owner,
                                     self.batch_size) if narrowing else []
        summary = await self.store.write_batches(
            "ingest/merge_relationships", sent, self.batch_size, type=rel_type
        )
        self.counts.batches += summary.batches
        removing = [{**r, "props": {**r["props"], "id": r["id"]}} for r, was in zip(sent, out, strict=True)
                    if len(r["props"]) < len(was["props"])]
        if removing:
            self.counts.batches += (await self.store.write_batches(
                "ingest/replace_relationship_properties", removing, self.batch_size, type=rel_type)).batches
        written = {r["id"] for r in summary.returned}
        if echo_moves:
            self.counts.batches += (await self.store.write_batches(
                "ingest/set_echo_levels", echo_moves, self.batch_size, type=rel_type)).batches
            for r in echo_moves:
                self._known_edges.pop(r["id"], None)
        if taking:  # the whole map (cypher/ingest/replace_node_properties says why)
            took = await self.store.write_batches("ingest/replace_relationship_properties", taking,
                                                  self.batch_size, type=rel_type)
            self.counts.batches += took.batches
            taken = {r["id"] for r in took.returned}
            written |= taken
            created += len(taken)
            self._created_edges.update(taken)
            for r in taking:
                if r["id"] in taken:
                    self._remember_edge(r["id"], r["props"])
                else:
                    missing.add(r["id"])
        for r in out:
            if r["id"] in written:
                self._remember_edge(r["id"], r["props"])
            else:
                missing.add(r["id"])  # an endpoint went away since it was read
        if blind_new:  # one said before, diverted while its identifier was quarantined: a reload (blind_diverted)
            created -= await reconcile_diverted(self, blind_new, recs, multiple, told_as, link_shadows)
        self.counts.relationships_created += created
        # distinct ids across flushes (one named on many rows is one): counted at close
        self._updated_edges.update(written - seen)
        self._unchanged_edges.update(unchanged | (written & seen))
        self._seen_edges.update(written & seen)
        await tell_blind_links(self, rel_type, told_as, link_shadows, refused | missing)
        self._bound_links(rel_type, recs.values())  # written, merged or relevelled: holders it may count now
        if created and self.correlation is not None and rel_type in self.correlation.linking:
            await self._check_correlation([r for r in fresh if r["id"] not in existing and r["id"] not in missing
                                           and r["id"] not in refused and r["id"] not in same])
        if final and missing:  # their echo no wider all the same (47, 2's class)
            self.counts.batches += await narrow_unseen_echoes(
                self.store, rel_type, {r["id"]: props_of[r["id"]] for r in rows if r["id"] in missing}, self.batch_size)
        for rid in (r["id"] for r in rows if r["id"] in missing):
            rec = recs[rid]
            if final:
                self.counts.dangling.append(rec)
            else:
                self._deferred.append(rec)
                self._deferred_props[rec.id] = props_of[rec.id]
                if rid in statements:  # asserted once written, on the retry
                    self._deferred_statements.setdefault(rid, []).extend(statements[rid])
        accepted = [r["id"] for r in rows if r["id"] not in missing and r["id"] not in refused | unwritten]
        created_ids = {r["id"] for r in fresh if r["id"] not in existing and r["id"] not in missing
                       and r["id"] not in refused and r["id"] not in same}
        self._created_edges.update(created_ids - set(told_as))
        await self._write_edge_statements(rel_type, statements, accepted, created_ids,
                                          (replacing | relevelled) & set(accepted), levels,
                                          {rid: level for rid, level in widening.items() if rid in written},
                                          {r["id"]: r for r in rows})
        if narrowing:
            held: set[str] = set()
            self._updated_edges.update(await narrow_valueless(
                self.store, {rel_type: {rid: narrowing[rid] for rid in accepted if rid in narrowing}},
                self.source, self.batch_size, held=held))
            self._bound_moved(held)  # their placeholder ends held anew: another agency may see them (a-68, 2)
        await clear_marks(self.store, marks)
        self._bound_links(rel_type, recs.values())  # and again once their statements widened them
        if self.correlation is not None and rel_type in self.correlation.linking:  # widened in place: each
            widened = [r for r in rows if r["id"] in relevelled and r["id"] in written]  # as a new one (a-71, 2)
            if widened:
                self._bound_widened(rel_type, widened)  # their holders, counted before by the loader alone
                await self._check_correlation(widened)
        # links seen by fewer (or more): the quarantines at their ends are recounted (a-62, 7)
        moved = (relevelled | set(narrowing)) & set(accepted)
        await self._note_relevelled([e for r in rows if r["id"] in moved for e in (r["start"], r["end"])], (),
                                    rel_type)
        await pending_widenings.unnote(self.store, noted)  # counted: none left to the next writer

    def _remember_edge(self, rid: str, props: dict[str, Any]) -> None:
        """Keep the relationship just written, so later batches of this run need not read it back."""
        if len(self._known_edges) >= self.cache_size:
            self._known_edges.clear()
        self._known_edges[rid] = {k: v for k, v in props.items() if v is not None}


def _move_echo(moves: list[dict[str, Any]], rid: str, echo_levels: list[str] | None) -> None:
    """Note relationship ``rid``'s echo levels to write alone (``ingest/set_echo_levels``), if they move."""
    if echo_levels is not None:
        moves.append({"id": rid, "echoLevels": echo_levels or None})
