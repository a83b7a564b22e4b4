"""The order of a delta's lines: the lines of one FtM delta file, and the files of one load in
the order given, end as the same lines loaded one load each (docs/provenance.md).

The writer merges what it buffers and applies a load's DELs once, after writing; a record whose
meaning depends on what came before it (an ADD after a DEL of its id, a MOD after a buffered
ADD of its id, a link, placeholder, phone or document after a DEL that may take its end or it)
waits instead: held back
until what the load read before it is written and its DELs applied (attack rounds 31b, 32).
Records that name none of those ids go on as before, so a delta of many DEL/ADD pairs costs one
write and one retraction per ``batch_size`` records held back, not one per pair.
"""

from __future__ import annotations

from graphapi.ingest.records import DrawnLinksDeletion, EdgeRecord, NodeRecord
from graphapi.ingest.retraction import VALUE_NODES

Record = NodeRecord | EdgeRecord


class DeltaOrder:
    """:class:`graphapi.ingest.writer.Writer`'s holding back of records (runs on its state)."""

    def _may_hold_back(self, record: Record) -> bool:
        """False when :meth:`_held_back` surely says no (no DEL, nothing held back, not a MOD:
        most records of most loads), told without making its coroutine (the writer asks of
        every record)."""
        return bool(self._delete_nodes or self._delete_edges or self.drawn_deletes or self._later
                    or record.op == "replace")

    async def _held_back(self, record: Record) -> bool:
        """Whether ``record`` waits until what the load read so far is written and its DELs are
        applied: it names an id one of them deletes (DEL p-1, then ADD p-1's new version), it
        replaces (MOD) a record of its id buffered (ADD p-1, then MOD p-1), or it names an id a
        record held back names. Such a load must end as the lines in separate loads would; merged
        into the buffer, the new version kept every value it leaves out (attack rounds 31b, 32).
        A DEL of an id held back (or that may take a bare end of a held link) writes and applies
        first; so do ``batch_size`` records held back, and :meth:`close`."""
        if not self._may_hold_back(record):
            return False
        ids = {record.id, *((record.start, record.end) if isinstance(record, EdgeRecord) else ())}
        if record.op == "delete":
            # a held link's end that no record held back nor a real one of this load makes may be a
            # placeholder the DEL takes with its last link: the link is written first, as in its load
            if ids & self._later_ids or self._later_ends - self._later_nodes - self._real:
                await self._delete_first()
            return False
        pending = [*self._delete_nodes.values(), *self._delete_edges.values(), *self.drawn_deletes.pending()]
        # a link or placeholder after a DEL: the DEL may take a placeholder it names with its last
        # link; a phone or document after a node's DEL: the DEL may take it with the record that
        # made it of its values (retraction.withdraw_made), and this record makes it again
        link = isinstance(record, EdgeRecord) or record.unresolved or (
            record.label in VALUE_NODES and bool(self._delete_nodes))
        if not (ids & self._later_ids or any(i in d for d in pending for i in ids) or (link and pending)
                or self._replaces_buffered(record)):
            return False
        self._later.append(record)
        self._later_ids |= ids
        if isinstance(record, EdgeRecord):
            self._later_ends |= ids - {record.id}
        else:
            self._later_nodes.add(record.id)
        if len(self._later) >= self.batch_size:
            await self._delete_first()
        return True

    async def _delete_drawn(self, record: DrawnLinksDeletion) -> None:
        """Take a DEL of a link entity by its id alone (:mod:`graphapi.ingest.drawn_link_deletes`):
        a new version of the entity that draws none, applied with the load's other DELs. Its pairs
        are not known until then, so the records held back before it are written first (one may
        be a pair it takes, or hold an end it would take), and every link after it waits."""
        source = record.origin.source if record.origin else self.source
        self.replaced_links.restart(record.type, record.record, source, record.origin)
        if self._later:
            await self._delete_first()
        self.drawn_deletes.add(record.type, source, record.record)

    async def _find_drawn(self) -> None:
        """The relationships the link entities deleted by id alone drew, to delete as the load's
        other DELs (a stuck mark naming one stops the load, as for those)."""
        waiting = [(rec.origin.source if rec.origin else self.source, rec) for rec in self._deferred]
        found = await self.drawn_deletes.take(self.store, waiting, owner=self.prov.owner, scoped=self.scoped,
                                              batch_size=self.batch_size)
        for key, ids in found.items():
            self._delete_edges.setdefault(key, {}).update(dict.fromkeys(ids))
            self._named.update(ids)
            self._retracting.update(ids)

    def _replaces_buffered(self, record: Record) -> bool:
        """A MOD of an id whose earlier record is still buffered: that record is the source's
        statement the MOD replaces, so it is written first (merged, the MOD lost its values)."""
        if record.op != "replace":
            return False
        if isinstance(record, NodeRecord):
            return record.id in self._nodes
        return record.id in self._edges.get(record.type, ())

    async def _delete_first(self) -> None:
        """Write what the load read so far but the records held back (:meth:`_held_back`), apply
        its DELs, then take those records, in order and each held back again if it must be (a MOD
        of a record taken before it). The cache goes with the DELs: the items it holds may be
        deleted now."""
        await self.flush_edges(retry=True)
        await self._apply_deletes()
        self._forget()
        later, self._later, self._later_ids = self._later, [], set()
        self._later_ends, self._later_nodes = set(), set()
        for record in later:
            if not await self._held_back(record):
                await self._dispatch(record)

    async def _drop_deferred_links(self) -> None:
        """Forget the relationships waiting for an end that a DEL of their source just deleted, or
        that it deleted itself: in their own load they were written (to a placeholder) and the DEL
        took them (``ADD m p-1 -> o-1, DEL p-1, ADD p-1`` leaves no link, in one file as in three
        loads). A placeholder end they alone held goes as with the DEL's own links."""
        if not self._deferred:
            return
        kept, ends = [], {}
        for rec in self._deferred:
            source = rec.origin.source if rec.origin else self.source
            gone = self._delete_nodes.get(source, {})
            if rec.start in gone or rec.end in gone or rec.id in self._delete_edges.get((rec.type, source), {}):
                self._deferred_props.pop(rec.id, None)
                self._deferred_statements.pop(rec.id, None)
                ends.setdefault(source, set()).update(i for i in (rec.start, rec.end) if i not in gone)
            else:
                kept.append(rec)
        self._deferred = kept
        for source, ids in ends.items():
            rows = await self.store.write("ingest/drop_unlinked_placeholders", {
                "ids": sorted(ids), "source": source, "owner": self.prov.owner, "scoped": self.scoped})
            if self._bounds is not None:  # made again, a new node (holder_bounds)
                self._bounds.dropped(r["id"] for r in rows)
