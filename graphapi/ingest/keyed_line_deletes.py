"""The DEL of one FtM line of a keyed schema (CryptoWallet, Address, BankAccount, UserAccount)
whose node, stored under its natural key, another line of the source states too (attack round
a-91, 2: ``DEL k-1`` took ``wallet:W1`` whole, with ``k-2``'s statement and its holder's link).

Such a node's statement of the source is one for all its lines (one per asserting source and
level, not one per line: its size and count never grow with the lines stating the node), and its
``referents`` entries name the lines that stated it. The DEL names its line (the record's
``referents``), so the statements it may touch are found by their ids (``statement_id`` of the
node, the owner, each asserting source, the load's level or the item's own), never by a scan of
the node's statements: another agency's or source's, and the other lines, cost it nothing. One
that names another line keeps the node: the DEL takes only its line's referent (a statement left
naming no line goes), and the node's values are rebuilt; the line's holder or owner link, a line
statement, goes with the line's DEL as any line statement does (:mod:`graphapi.ingest.line_deletes`).
A statement naming no other line leaves the DEL whole, as before. Killed part-way, the load run
again finds the same statements by their ids and ends the same way.

Not kept apart: a value only the deleted line said of a node another line states stays until the
source says the node anew, as the statement does not tell which line said it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import Statement, asserting_sources, statement_id

REFERENTS = "referents"
#: The entity of a keyed line's note: no item's id starts so (a DEL of the line's FtM id as a node
#: took the note with it when the note's entity was the line's id).
NOTE = "\x1ekeyed-line\x1e"


def is_keyed_note(stmt_entity: str) -> bool:
    """True for the entity of a keyed line's note (``provenance/note_keyed_lines``)."""
    return stmt_entity.startswith(NOTE)


class KeyedLineDeletes:
    """:class:`graphapi.ingest.writer.Writer`'s DELs of keyed lines (runs on its state:
    ``_keyed_dels``: source -> node id -> (the lines deleted, the asserting sources))."""

    _keyed_dels: dict[str, dict[str, tuple[frozenset[str], tuple[str, ...]]]]
    _keyed_said: dict[str, dict[str, dict[str, tuple[str, ...]]]]  # source -> line -> node -> asserting sources
    _keyed_unnote: dict[str, set[str]]  # note id -> the nodes a renewal dealt with

    def _note_keyed_line(self, source: str, node_id: str, props: dict[str, Any]) -> None:
        """Note the node a keyed line's ADD or MOD states (``props``: its record's), for its note."""
        sources = tuple(asserting_sources(props.get("sources") or (), source))
        for line in props.get(REFERENTS) or ():
            self._keyed_said.setdefault(source, {}).setdefault(str(line), {})[node_id] = sources

    def _keyed_note_id(self, source: str, line: str) -> str:
        """The id of the note of ``line`` of ``source`` for the load's owner (whatever its level)."""
        return statement_id(NOTE + line, self.prov.owner, source, "", (), follows=True, line=line)

    async def _write_keyed_notes(self) -> None:
        """Write the notes of the nodes the load's keyed lines stated (``provenance/note_keyed_lines``)."""
        taken, self._keyed_said = self._keyed_said, {}
        prov = self.prov
        for source, lines in taken.items():
            rows = [{"id": self._keyed_note_id(source, line), "line": line, "entity": NOTE + line,
                     "entries": [{"source": src, "node": node} for node, srcs in nodes.items() for src in srcs]}
                    for line, nodes in lines.items()]
            await self.store.write_batches("provenance/note_keyed_lines", rows, self.batch_size, {
                "owner": prov.owner, "source": source, "tlp": prov.tlp, "sharedWith": list(prov.shared_with),
                "seen": prov.seen})

    async def _renew_keyed_lines(self, versions: dict[tuple[str, str], set[str]]) -> None:
        """The keyed nodes the lines renewed (MOD) or deleted stated before, their notes say, and
        their new versions do not (a-87, 2; a-83, F3: a MOD to a corrected key or as another schema
        kept the old node): one another line of the source states loses only these lines'
        referents; any other is noted as a whole DEL of the node for the source, as the DEL of its
        only line takes it. Found by the notes' ids, never by the node's statements."""
        ids = {self._keyed_note_id(source, line): (source, line) for source, line in versions}
        found: dict[str, dict[str, tuple[set[str], set[str]]]] = {}  # source -> node -> (lines, sources)
        order = sorted(ids)
        for i in range(0, len(order), self.batch_size):
            for row in await self.store.read("provenance/statements_by_ids", {"ids": order[i:i + self.batch_size]}):
                source, line = ids[str(row["id"])]
                note = Statement.from_props(row["props"])
                for src, node in note.entries:
                    if node not in versions[(source, line)]:
                        lines, srcs = found.setdefault(source, {}).setdefault(node, (set(), set()))
                        lines.add(line)
                        srcs.add(src)
                        self._keyed_unnote.setdefault(str(row["id"]), set()).add(node)
        for source, nodes in found.items():
            items = sorted(nodes)
            for i in range(0, len(items), self.batch_size):
                batch = {n: (frozenset(nodes[n][0]), tuple(sorted(nodes[n][1]))) for n in items[i:i + self.batch_size]}
                kept = set(await self._spare_batch(batch))
                dels = self._delete_nodes.setdefault(source, {})
                for node in batch:
                    if node not in kept:
                        self._delete_lines.get(("", source), {}).pop(node, None)  # a whole DEL wins
                        dels[node] = None

    async def _unnote_keyed(self) -> None:
        """Once the load's DELs are applied: the renewed lines' notes no longer name the nodes dealt with."""
        taken, self._keyed_unnote = self._keyed_unnote, {}
        rows = [{"id": sid, "nodes": sorted(nodes)} for sid, nodes in taken.items()]
        await self.store.write_batches("provenance/unnote_keyed_lines", rows, self.batch_size)

    def _note_keyed_delete(self, source: str, node_id: str, props: dict[str, Any]) -> None:
        """Note the DEL of a keyed line's node (``props``: the DEL record's, naming its line)."""
        lines = frozenset(str(x) for x in props.get(REFERENTS) or ())
        if lines:
            sources = tuple(asserting_sources(props.get("sources") or (), source))
            self._keyed_dels.setdefault(source, {})[node_id] = (lines, sources)

    async def _spare_shared_keyed(self) -> None:
        """Take out of the load's DELs the keyed nodes another line of the source still states,
        each losing only the deleted lines' referents (the module docstring)."""
        taken, self._keyed_dels = self._keyed_dels, {}
        for source, nodes in taken.items():
            dels = self._delete_nodes.get(source) or {}
            pending = self._delete_lines.get(("", source), {})
            ids = [i for i in nodes if i in dels and i not in pending]
            for i in range(0, len(ids), self.batch_size):
                for item in await self._spare_batch({i: nodes[i] for i in ids[i:i + self.batch_size]}):
                    dels.pop(item, None)

    async def _spare_batch(self, nodes: dict[str, tuple[frozenset[str], tuple[str, ...]]]) -> list[str]:
        """One batch of :meth:`_spare_shared_keyed`: returns the nodes kept."""
        wanted = {sid: item for item, (_, sources) in nodes.items() for sid in self._statement_ids(item, sources)}
        stored: dict[str, list[Statement]] = {}
        for row in await self.store.read("provenance/statements_by_ids", {"ids": sorted(wanted)}):
            stmt = Statement.from_props(row["props"])
            stored.setdefault(stmt.entity, []).append(stmt)
        kept = [item for item, stmts in stored.items()
                if any(_named_lines(s) - nodes[item][0] for s in stmts)]
        rewrite, gone = [], []
        for item in kept:
            for stmt in stored[item]:
                drop = [k for k in stmt.entries if k[0] == REFERENTS and k[1] in nodes[item][0]]
                for key in drop:
                    del stmt.entries[key]
                if not _named_lines(stmt):
                    gone.append(stmt.id)
                elif drop:
                    rewrite.append(stmt)
        if rewrite:
            await self.store.write("provenance/write_statements", {"rows": [s.row() for s in rewrite]})
        if gone:
            await self.store.write("provenance/delete_statements", {"ids": gone})
            self.counts.statements_retracted += len(gone)
        self.statements.drop_written([*gone, *(s.id for s in rewrite)])
        if kept:
            await rebuild_values(self.store, self.model, sorted(kept), self.batch_size)
            for item in kept:
                self._known.pop(item, None)
        return kept

    def _statement_ids(self, item: str, sources: Iterable[str]) -> list[str]:
        """The ids the source's statement about ``item`` may have: at the load's level, or following it."""
        prov = self.prov
        return [sid for src in sources for sid in (
            statement_id(item, prov.owner, src, prov.tlp, prov.shared_with),
            statement_id(item, prov.owner, src, prov.tlp, prov.shared_with, follows=True))]


def _named_lines(stmt: Statement) -> set[str]:
    return {text for prop, text in stmt.entries if prop == REFERENTS}
