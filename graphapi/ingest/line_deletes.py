"""A DEL of one line of a source that spoke of items other lines of the source speak of too: an
FtM Passport line's numbers on its holder and its HOLDS_DOCUMENT, a Call line's USES_PHONE (a
Person line may draw the same link, of her own phone or passport).

Such a line's records carry its ``line`` (``NodeRecord.line``, ``EdgeRecord.line``) and are its
own *line statements* (:mod:`graphapi.ingest.statements`), so its DEL (a ``delete`` record with
the same ``line``) retracts exactly what it said: once what the load read before it is written,
:meth:`LineDeletes._retract_lines` deletes that line's statements about the items
(``provenance/retract_line_statements``). A node stays, whatever is left of it (it is another
line's, the holder's, with links of other lines a DEL of it would take): its values are rebuilt
from its statements, so a number no other line states goes; with no statement and no other
source left, it has no value. A link the source still has a statement about (the Person line
drawing the same link) stays as it is; one the source says nothing more of goes as any DEL of it
would (:mod:`graphapi.ingest.retraction`). The rebuild is marked pending first
(``ingest/mark_rebuild``), so a load killed between the delete and the rebuild leaves no value
that no statement backs (:mod:`graphapi.ingest.pending_retractions` rebuilds it); killed before
the DEL of a link left with no statement, the load run again deletes it.

A whole DEL of an item (its own line's) and a line's DEL of it in one load: the whole DEL wins.
An item stored before line statements (its lines' records not kept apart) is taken by the
line's DEL as before, whatever other line said it.
"""

from __future__ import annotations

import uuid
from typing import Any

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.statement_values import rebuild_values

#: A DEL's key: ("", source) for nodes, (relationship type, source) for relationships.
Key = tuple[str, str]


class LineDeletes:
    """:class:`graphapi.ingest.writer.Writer`'s DELs of one line (runs on its state:
    ``_delete_lines``: key -> item id -> the lines deleted, beside ``_delete_nodes`` /
    ``_delete_edges``, which name the item too)."""

    _delete_lines: dict[Key, dict[str, set[str]]]

    def _note_delete(self, key: Key, dels: dict[str, None], rec: NodeRecord | EdgeRecord) -> None:
        """Note the DEL ``rec`` of an item (``dels``: the key's pending DELs, by id): a line's
        DEL keeps its line unless a whole DEL of the item is pending; a whole DEL wins."""
        lines = self._delete_lines.setdefault(key, {})
        if rec.line and (rec.id not in dels or rec.id in lines):
            lines.setdefault(rec.id, set()).add(rec.line)
        else:
            lines.pop(rec.id, None)
        dels[rec.id] = None

    def _forget_line_delete(self, key: Key, item: str) -> None:
        """A later record of the item took its DEL back (as ``_delete_nodes``' pop does)."""
        if self._delete_lines:
            self._delete_lines.get(key, {}).pop(item, None)

    async def _retract_lines(self) -> None:
        """Apply the pending DELs of lines: delete those lines' statements, and take out of the
        load's DELs every node (rebuilt from what remains) and the links the source still states;
        the other links go with the load's other DELs."""
        taken, self._delete_lines = self._delete_lines, {}
        for (rel_type, source), lines in taken.items():
            dels = (self._delete_edges.get((rel_type, source)) if rel_type
                    else self._delete_nodes.get(source)) or {}
            ids = sorted(i for i in lines if i in dels)
            for i in range(0, len(ids), self.batch_size):
                kept = await self._retract_line_batch(rel_type, source, ids[i:i + self.batch_size], lines)
                for item in kept:
                    dels.pop(item, None)

    async def _retract_line_batch(self, rel_type: str, source: str, ids: list[str],
                                  lines: dict[str, set[str]]) -> list[str]:
        """One batch of :meth:`_retract_lines`; returns the items it took out of the load's DELs:
        every node (its values rebuilt from what remains: a line's DEL never deletes a node, which
        is another line's, with its links), and the links the source still states."""
        params: dict[str, Any] = {"source": source, "owner": self.prov.owner, "scoped": self.scoped}
        mark = uuid.uuid4().hex
        rows = [{"entity": item, "line": line} for item in ids for line in sorted(lines[item])]
        if rel_type:
            gone = await self.store.write("provenance/retract_line_statements", {**params, "rows": rows})
            self.counts.statements_retracted += len(gone)
            left = await self.store.read("provenance/source_states", {**params, "ids": ids})
            return sorted({str(r["entity"]) for r in left})
        # marked first: a kill before the rebuild leaves it to the next writer, which rebuilds them
        # (those whose last statement went even with none left: the mark's ``said``)
        rebuild = {"mark": mark, "type": "", "ids": ids, "owner": self.prov.owner}
        await self.store.write("ingest/mark_rebuild", {**rebuild, "said": []})
        gone = await self.store.write("provenance/retract_line_statements", {**params, "rows": rows})
        self.counts.statements_retracted += len(gone)
        emptied = sorted({str(r["entity"]) for r in gone})
        if emptied:
            await self.store.write("ingest/mark_rebuild", {**rebuild, "said": emptied})
            # a node the source no longer states, and no other source, has no value left (unasserted)
            await rebuild_values(self.store, self.model, emptied, self.batch_size, retracted=emptied,
                                 withdrawn=source)
            for item in emptied:
                self._known.pop(item, None)
        await self.store.write("ingest/clear_pending_retraction", {"id": mark})
        return ids
