"""Edge records: buffer a load's relationship records for :mod:`graphapi.ingest.write_edges` (merged
within the batch, their statements noted, a DEL noted apart), and the per-type rules both use."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.conflict_notes import keep, new_conflicts, note_batch_conflicts
from graphapi.ingest.merge import merge_properties
from graphapi.ingest.provenance import stamp as _stamp
from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.write_counts import MAX_CONFLICTED


class EdgeRecords:
    """:class:`graphapi.ingest.writer.Writer`'s buffering of relationship records (runs on its state)."""

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
