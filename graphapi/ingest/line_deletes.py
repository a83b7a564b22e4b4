"""A DEL of one line of a source that spoke of items other lines of the source speak of too: an
FtM Passport line's numbers on its holder and its HOLDS_DOCUMENT, a Call line's USES_PHONE (a
Person line may draw the same link, of her own phone or passport).

Such a line's records carry its ``line`` (``NodeRecord.line``, ``EdgeRecord.line``) and are its
own *line statements* (:mod:`graphapi.ingest.statements`), so its DEL (a ``delete`` record with
the same ``line``) retracts exactly what it said, found by the line as well as by what the DEL's
values name (:mod:`graphapi.ingest.replaced_lines`, which a MOD of the line uses too): once what the
load read before it is written, :meth:`LineDeletes._retract_lines` deletes that line's statements
about the items (``provenance/retract_line_statements``). A node something else holds stays (it is
another line's, the holder's, with links of other lines a DEL of it would take): its values are
rebuilt from its statements, so a number no other line states goes; with no statement and no other
source left it is its links' bare reference (``unresolved``). One only the deleted lines stated,
whose every link goes, goes as a DEL of it would (``provenance/line_orphans``: the holder only a
Passport line named, its document). A link the source still states by another line (the Person
line drawing the same link) stays as it is; one the source says nothing more of goes as any DEL of
it would (:mod:`graphapi.ingest.retraction`), its line statement with it. The rebuild is marked
pending first (``ingest/mark_rebuild``), so a load killed between the delete and the rebuild leaves
no value that no statement backs (:mod:`graphapi.ingest.pending_retractions` rebuilds it); killed
before the DEL of a link or node left to it, the load run again finds it by the line and deletes it.

A whole DEL of an item (its own line's) and a line's DEL of it in one load: the whole DEL wins.
An item stored before line statements (its lines' records not kept apart) is taken by the
line's DEL as before, whatever other line said it.
"""

from __future__ import annotations

import uuid
from typing import Any

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.retraction import VALUE_LINKS
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
        if rec.line:
            self._note_line_delete(key, dels, rec.id, rec.line)
        else:
            self._delete_lines.get(key, {}).pop(rec.id, None)
            dels[rec.id] = None

    def _note_line_delete(self, key: Key, dels: dict[str, None], item: str, line: str) -> None:
        """Note the DEL of what ``line`` said of ``item`` (unless a whole DEL of it is pending)."""
        lines = self._delete_lines.setdefault(key, {})
        if item not in dels or item in lines:
            lines.setdefault(item, set()).add(line)
        dels[item] = None

    def _forget_line_delete(self, key: Key, item: str) -> None:
        """A later record of the item took its DEL back (as ``_delete_nodes``' pop does)."""
        if self._delete_lines:
            self._delete_lines.get(key, {}).pop(item, None)

    async def _renew_lines(self, calls: set[tuple[str, str]]) -> None:
        """What the lines the load renewed (MOD) or deleted stated before and their new versions do
        not say (found by the line: :mod:`graphapi.ingest.replaced_lines`): noted as those lines'
        DELs, applied with the load's other DELs; the nodes a new version said again have their
        values rebuilt from their statements (the replaced statement lost the old number). A line
        renewed as another schema than a Call (not in ``calls``: (source, line) of the lines whose
        last version is a Call) loses the CALLED it drew, as a Call's DEL by its id alone takes it
        (attack round a-73, F4: a Call MOD'd to a Passport kept it). Looked for by the CALLED's
        ``recordId`` (which stays until that DEL) when the line's USES_PHONE statements say it was
        a Call, and for every line whose last version is no node of its own (a Passport, a link,
        a DEL): a run killed after it retracted those statements left its rerun no sign (a-83,
        F1). Not for a line renewed as its own node (a Person MOD'd as a Person, the usual MOD):
        ``recordId`` has no index, and each lookup scans every CALLED (0.9 s for 200,000, measured)."""
        versions = self.replaced_lines.take(self._refused_rows)
        was_call = {key for key in versions if key[1] not in versions[key]} - calls
        by_source: dict[str, list[str]] = {}
        for source, line in versions:
            by_source.setdefault(source, []).append(line)
        restated: set[str] = set()
        # first the lines' own nodes (whole DELs): the value links from them go with them, so the
        # node's DEL still finds the phones and documents her values made (a-83, F2)
        nodes = await self._renew_line_nodes(versions)
        for source, lines in by_source.items():
            params: dict[str, Any] = {"source": source, "owner": self.prov.owner, "scoped": self.scoped}
            for i in range(0, len(lines), self.batch_size):
                for row in await self.store.read("provenance/line_statements", {**params,
                                                                               "lines": lines[i:i + self.batch_size]}):
                    item, rel_type, line = str(row["entity"]), str(row["type"] or ""), str(row["line"])
                    if rel_type == "USES_PHONE" and (source, line) not in calls:
                        was_call.add((source, line))
                    if item in versions[(source, line)]:
                        restated.update([item] if not rel_type else [])
                        continue
                    if rel_type in VALUE_LINKS and (source, line) in nodes:
                        continue  # her own phone's or document's link: her node's DEL takes it
                    dels = (self._delete_edges.setdefault((rel_type, source), {}) if rel_type
                            else self._delete_nodes.setdefault(source, {}))
                    self._note_line_delete((rel_type, source), dels, item, line)
        for source, line in sorted(was_call):  # applied with the load's DELs (drawn_link_deletes):
            self.drawn_deletes.add("CALLED", source, line)  # a line that drew none finds nothing
        ids = sorted(restated)
        for i in range(0, len(ids), self.batch_size):
            await rebuild_values(self.store, self.model, ids[i:i + self.batch_size], self.batch_size)
        for item in ids:
            self._known.pop(item, None)

    async def _renew_line_nodes(self, versions: dict[tuple[str, str], set[str]]) -> set[tuple[str, str]]:
        """The lines renewed as another schema that were a node of the source themselves (a Person's
        or Organization's line, whose statements carry no line): noted as whole DELs of the node,
        which take its statements of the source as a DEL of it would (attack round a-76, F2: a
        Person MOD'd as a Passport stayed). A version that says the node again keeps it. A line
        whose id has a natural key's form (``phone:...``, ``sanction:...``) was never such a node
        (no label keyed by the FtM id may take it): the node of that id is another line's, and a
        hostile line named so took it, its links with it (attack round a-83, F4). Returns the
        (source, line) of the nodes taken."""
        taken: set[tuple[str, str]] = set()
        by_source: dict[str, list[str]] = {}
        for source, line in versions:
            if line not in versions[(source, line)] and not self._not_a_line_node(line):
                by_source.setdefault(source, []).append(line)
        for source, lines in by_source.items():
            params: dict[str, Any] = {"source": source, "owner": self.prov.owner, "scoped": self.scoped}
            for i in range(0, len(lines), self.batch_size):
                for row in await self.store.read("provenance/line_nodes", {**params,
                                                                          "lines": lines[i:i + self.batch_size]}):
                    self._delete_lines.get(("", source), {}).pop(str(row["id"]), None)  # a whole DEL wins
                    self._delete_nodes.setdefault(source, {})[str(row["id"])] = None
                    taken.add((source, str(row["id"])))
        return taken

    def _not_a_line_node(self, line: str) -> bool:
        """True for a line id no line's own node may have: a natural key's or a relationship's form."""
        return self.model.keyed_label_of(line) is not None or self.model.has_relationship_id_form(line)

    async def _retract_lines(self) -> None:
        """Apply the pending DELs of lines: delete those lines' statements, and take out of the
        load's DELs the links the source still states and the nodes something else holds (rebuilt
        from what remains); the other links and nodes go with the load's other DELs. Links first:
        a node whose every link goes may go too."""
        taken, self._delete_lines = self._delete_lines, {}
        for (rel_type, source), lines in sorted(taken.items(), key=lambda kv: not kv[0][0]):
            dels = (self._delete_edges.get((rel_type, source)) if rel_type
                    else self._delete_nodes.get(source)) or {}
            ids = sorted(i for i in lines if i in dels)
            for i in range(0, len(ids), self.batch_size):
                kept = await self._retract_line_batch(rel_type, source, ids[i:i + self.batch_size], lines)
                for item in kept:
                    dels.pop(item, None)

    async def _retract_line_batch(self, rel_type: str, source: str, ids: list[str],
                                  lines: dict[str, set[str]]) -> list[str]:
        """One batch of :meth:`_retract_lines`; returns the items it took out of the load's DELs,
        those lines' statements about them deleted: the links the source still states by another
        line, and the nodes something else holds (another line's or source's statement, a link
        that stays), their values rebuilt from what remains. The rest keep their statements until
        their DEL takes them, so a load killed before finds them again, by the line."""
        params: dict[str, Any] = {"source": source, "owner": self.prov.owner, "scoped": self.scoped}
        said = [{"entity": item, "lines": sorted(lines[item])} for item in ids]
        if rel_type:
            left = await self.store.read("provenance/source_states", {**params, "rows": said})
            kept = sorted({str(r["entity"]) for r in left})
            await self._retract_line_rows(params, kept, lines)
            return kept
        going = sorted({i for (t, src), dels in self._delete_edges.items() if t and src == source for i in dels})
        orphans = {str(r["id"]) for r in await self.store.read("provenance/line_orphans",
                                                               {**params, "rows": said, "going": going})}
        kept = [i for i in ids if i not in orphans]
        if not kept:
            return []
        # marked first: a kill before the rebuild leaves it to the next writer, which rebuilds them
        # (those whose last statement went even with none left: the mark's ``said``)
        mark = uuid.uuid4().hex
        rebuild = {"mark": mark, "type": "", "ids": kept, "owner": self.prov.owner, "referred": [], "referrer": ""}
        await self.store.write("ingest/mark_rebuild", {**rebuild, "said": []})
        emptied = await self._retract_line_rows(params, kept, lines)
        if emptied:
            await self.store.write("ingest/mark_rebuild", {**rebuild, "said": emptied})
            # a node the source no longer states, and no other source, has no value left (unasserted)
            await rebuild_values(self.store, self.model, emptied, self.batch_size, retracted=emptied,
                                 withdrawn=source)
            for item in emptied:
                self._known.pop(item, None)
        # one no statement holds now is its links' bare reference (any kept: a rerun after a kill finds it so)
        for row in await self.store.write("ingest/mark_references", {**params, "ids": kept}):
            self._known.pop(str(row["id"]), None)
        await self.store.write("ingest/clear_pending_retraction", {"id": mark})
        return kept

    async def _retract_line_rows(self, params: dict[str, Any], ids: list[str], lines: dict[str, set[str]]) -> list[str]:
        """Delete the statements ``lines`` said about items ``ids``; returns the items that lost one."""
        if not ids:
            return []
        rows = [{"entity": item, "line": line} for item in ids for line in sorted(lines[item])]
        gone = await self.store.write("provenance/retract_line_statements", {**params, "rows": rows})
        self.counts.statements_retracted += len(gone)
        return sorted({str(r["entity"]) for r in gone})
