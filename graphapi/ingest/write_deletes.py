"""The load's DELs and a whole-source replace's withdrawal, as :class:`graphapi.ingest.writer.Writer`
runs them once its records are written: the lines, keyed lines, victims' marks, blind and
colleagues' deletes each taken as their rules say (:mod:`graphapi.ingest.retraction`,
:mod:`graphapi.ingest.replacement`), in the write lease's turn, and counted.
"""

from __future__ import annotations

from typing import Any

from graphapi.ingest.blind_diverted import diverted_deletes
from graphapi.ingest.blind_values import blind_deletes
from graphapi.ingest.blind_withdrawn import settle_blind_deletes, settle_colleague_deletes, withdraw_shadowed_links
from graphapi.ingest.pending_retractions import stop_at_stuck_marks
from graphapi.ingest.replacement import retract_unasserted
from graphapi.ingest.retraction import Retractions, apply_retractions
from graphapi.ingest.write_counts import WriteCounts


class DeleteWriting:
    """:class:`graphapi.ingest.writer.Writer`'s DELs and replace withdrawal (runs on its state)."""

    async def _apply_deletes(self) -> None:
        if self.drawn_deletes:
            await self._find_drawn()
        if not (self._delete_nodes or self._delete_edges):
            return
        async with self._exclusively():
            if self._delete_lines:  # a line's DEL: what another line still states stays (line_deletes)
                await self._retract_lines()
            if self._keyed_dels:  # a keyed line's DEL: a node another line states stays (keyed_line_deletes)
                await self._spare_shared_keyed()
            # the quarantines at the ends of the links it deletes are noted, recounted once at close
            blind = await blind_deletes(self) if self.victim_blind else {}
            done = await self._retract({src: [i for i in ids if i not in blind]
                                        for src, ids in self._delete_nodes.items()}, self._delete_edges)
            self._count(done)
            self._bound_deletes(done, [i for ids in self._delete_nodes.values() for i in ids])
            await self._check_reowned(done)
            if blind:  # the load's own victims' items: told as the wrong guess's item (blind_shadow)
                done = await self._retract({src: [i for i in ids if i in blind]
                                            for src, ids in self._delete_nodes.items()}, {})
                self._bound_deletes(done, list(blind))  # what it did, before it is told as the load's own
                await self._check_reowned(done)  # its victim re-owned wider too (a-82, 2)
                done.nodes_deleted, done.nodes_retracted, gone = await settle_blind_deletes(self, blind)
                self._count(done)
                if gone:  # and the wrong guesses' links, told gone with them (a-75, 2); the stored
                    # links are the victim's, its source's statements a colleague's too: untouched (a-77, 1)
                    withdrawn = await withdraw_shadowed_links(self, gone)
                    self._count(withdrawn)
                    await self._check_reowned(withdrawn)  # one handed to a wider echo (a-89, 1)
            elif not self.victim_blind and self.viewer is not None:  # a colleague's, under a shared source
                await self._check_reowned(await settle_colleague_deletes(self))  # not told, counted (a-89, 1)
            if self._blind_delete_ends:  # links to its own victims' quarantined identifiers, kept out
                self._count(Retractions(relationships_deleted=await diverted_deletes(self)))
            await self._drop_deferred_links()
        self._delete_edges, self._delete_nodes, self._blind_delete_ends = {}, {}, {}

    async def _retract(self, nodes: dict[str, Any], edges: dict[tuple[str, str], Any]) -> Retractions:
        return await apply_retractions(self.store, {src: list(ids) for src, ids in nodes.items() if ids},
                                       {key: list(ids) for key, ids in edges.items()}, owner=self.prov.owner,
                                       scoped=self.scoped, batch_size=self.batch_size, model=self.model)

    async def retract_unasserted(self) -> WriteCounts:
        """For a writer made with ``replace``, after :meth:`close`: retract what the load's source
        asserted before and this load did not (:mod:`graphapi.ingest.replacement`); returns the
        counts, these included."""
        if self.asserted is None:
            raise ValueError("not a replacing writer")
        async with self._exclusively():
            done = await retract_unasserted(
                self.store, self.asserted, source=self.source, owner=self.prov.owner, scoped=self.scoped,
                batch_size=self.batch_size, model=self.model, blind=self.victim_blind,
                # what it withdraws, before it does: a stuck mark may stop it (attack round 45a, 3)
                before=lambda ids: stop_at_stuck_marks(self._stuck, self.source, self.prov.owner, ids, ids))
            self._count(done)
            await self._check_reowned(done)  # re-owned wider, as a DEL's (a-79, 2)
            self._count_nodes()  # again: the items it narrowed are updated now
            self._forget_bounds()  # it re-owned and relevelled: nothing to count after it, all the same
            later, self._narrowing_later = self._narrowing_later, set()
            await self._note_relevelled(sorted(later), ())  # the links it narrowed now (a-62, 7)
        await self._recount_noted()  # the links it retracted, as a DEL's (attack round a-58, 2)
        return self.counts

