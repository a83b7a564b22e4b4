"""The statements (per-value provenance, :mod:`graphapi.ingest.statement_store`) of the nodes and
relationships a writer's batch has just written, and what follows them: the values of an item
whose replace record (MOD) or owner's new level asks for it rebuilt from every source's
statements, then its level widened, or narrowed to what its owner now says. Part of
:class:`graphapi.ingest.writer.Writer`, called by :mod:`~graphapi.ingest.write_nodes` and
:mod:`~graphapi.ingest.write_edges`."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.relevel import narrow_to_owner
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import Statement
from graphapi.ingest.victim_marks import add_mark_owners


class StatementWriting:
    """The statement writes of :class:`~graphapi.ingest.writer.Writer`'s node and edge batches."""

    async def _write_statements(self, buffered: dict[str, tuple[str, dict[str, Any]]],
                                statements: dict[str, list[tuple[Statement, bool]]], refused: set[str],
                                created: set[str], rebuilding: set[str], levels: dict[str, dict[str, Any]],
                                widening: dict[str, dict[str, Any]],
                                hidden: dict[str, frozenset[str]] | None = None) -> None:
        """Write the statements of the nodes just written (graphapi.ingest.statement_store); a
        replace record (MOD) of a node other sources assert too has its values rebuilt from every
        source's statements, so it replaces its own values only, and so has a node whose owner's
        record changed who sees it (only statements seen that widely feed its fields: attack
        round 6, G1, a record meant for KH-NP alone stayed in the fields VN-MPS then read).
        Such a node (``widening``: id -> its new level) was written at its old level; its fields
        are rebuilt as the new level shows them, and only then is it widened: a load killed
        between two steps leaves it seen as before, and run again widens it (attack round 8, K1).
        ``hidden``: node id -> its fields the load may not read (graphapi.ingest.blind_values)."""
        before, seen_before = self.statements.written, self.statements.seen
        await self.statements.pin_outgrown(self.store, {n: levels[n] for n in rebuilding if n in levels
                                                        and n not in refused and n not in created})
        await self.statements.write(self.store, statements, [n for n in buffered if n not in refused], created,
                                    self.batch_size, items=levels, hidden=hidden)
        self.counts.statements_written += self.statements.written - before
        self.counts.statements_seen += self.statements.seen - seen_before
        rebuilt = [nid for nid in rebuilding if nid not in refused and nid not in created]
        if rebuilt:
            await rebuild_values(self.store, self.model, rebuilt, self.batch_size, levels=widening)
            for nid in rebuilt:
                self._known.pop(nid, None)
        if widening:
            await self.store.write_batches("ingest/set_node_levels", [
                {"id": nid, **level} for nid, level in widening.items()], self.batch_size)
        # a MOD saying its node more narrowly than it is seen narrows it (attack round 35, 0)
        if rebuilt:
            narrowed = await narrow_to_owner(self.store, self.model, "", rebuilt, self.batch_size)
            self._updated_nodes.update(narrowed)
            self._bound_moved(narrowed)  # one held anew as a placeholder: another agency may see it (a-68, 2)

    async def _write_edge_statements(self, rel_type: str, statements: dict[str, list[tuple[Statement, bool]]],
                                     accepted: list[str], created: set[str], replacing: set[str],
                                     levels: dict[str, dict[str, Any]], widening: dict[str, dict[str, Any]],
                                     ends: dict[str, dict[str, Any]]) -> None:
        """Write the statements of the relationships just written (refused or dangling records
        assert nothing); a replace record (MOD) of a relationship other sources assert too has its
        values rebuilt from every source's statements, so it replaces its own values only, and so
        has one whose owner's record changed who sees it (as write_nodes says)."""
        before, seen_before = self.edge_statements.written, self.edge_statements.seen
        await self.edge_statements.pin_outgrown(self.store, {r: levels[r] for r in replacing if r in levels
                                                             and r not in created})
        await self.edge_statements.write(self.store, statements, accepted, created, self.batch_size, items=levels)
        self.counts.statements_written += self.edge_statements.written - before
        self.counts.statements_seen += self.edge_statements.seen - seen_before
        for rid in await add_mark_owners(self.store, rel_type, statements, accepted, created,
                                           self.batch_size):
            self._known_edges.pop(rid, None)  # its victimMarkOwners are the store's now (a-75, 5b)
        rebuilt = [rid for rid in replacing if rid not in created]
        if rebuilt:
            await rebuild_relationship_values(self.store, self.model, {rel_type: rebuilt}, self.batch_size,
                                              levels=widening)
            for rid in rebuilt:
                self._known_edges.pop(rid, None)
        if widening:  # ``widening``: id -> {tlp, sharedWith}; ``ends``: id -> {id, start, end}
            await self.store.write_batches("ingest/set_relationship_levels", [
                {**ends[rid], **level} for rid, level in widening.items()], self.batch_size, type=rel_type)
        # a MOD saying it more narrowly than it is seen narrows it, as a node (attack round 35, 0)
        if rebuilt:
            held: set[str] = set()
            self._updated_edges.update(await narrow_to_owner(self.store, self.model, rel_type, rebuilt,
                                                             self.batch_size, held=held))
            self._bound_moved(held)  # their placeholder ends held anew: another agency may see them (a-68, 2)
