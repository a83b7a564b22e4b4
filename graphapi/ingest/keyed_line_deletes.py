"""The DEL of one FtM line of a keyed schema (CryptoWallet, Address, BankAccount, UserAccount)
whose node, stored under its natural key, another line of the source states too (attack round
a-91, 2: ``DEL k-1`` took ``wallet:W1`` whole, with ``k-2``'s statement and its holder's link).

Such a node's statement of the source is one for all its lines (one per asserting source and
level, not one per line: its size and count never grow with the lines stating the node), and its
``referents`` entries name the lines that stated it. The DEL names its line (the record's
``referents``), so the statements it may touch are the owner's, of each asserting source, about
the node, at every level (``provenance/source_statements_about``, by the node's id: another line's
statement at another level keeps the node too, attack round a-100, 1; only the load's level was
read before): another agency's or source's statements send it no row. One
that names another line keeps the node: the DEL takes only its line's referent (a statement left
naming no line goes, whatever merged ids are left, a-104, 1; one that named none stays; one stored
before the lines were marked loses every referent the DEL's record names, as it did then, a-104,
2), the node narrows to the owner's widest statement left where only narrower ones are (as a
fresh load of the lines left has it), and its values are rebuilt; the line's holder or owner link, a line
statement, goes with the line's DEL as any line statement does (:mod:`graphapi.ingest.line_deletes`).
The asserting sources read are the DEL's and every dataset of the load's source the node's ``sources``
names (one row a node): a line of another dataset keeps the node too (attack round a-94, 2), and a
dataset left with no statement about it leaves its ``sources``.
A statement naming no other line leaves the DEL whole, as before. Killed part-way, the load run
again finds the same statements by their ids and ends the same way.

Not kept apart: a value only the deleted line said of a node another line states stays until the
source says the node anew, as the statement does not tell which line said it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import zip_longest
from typing import Any

from graphapi.ingest.keyed_line_widening import KeyedLineWidening
from graphapi.ingest.line_marks import line_entries, lines_named
from graphapi.ingest.relevel import narrow_to_owner
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import LINE_REFERENT, Statement, asserting_sources

#: a keyed node's lines deleted (or MOD'd) in a load, the asserting sources read, and every referent
#: their records name (the ids FtM merged into them too: a statement written before the lines were
#: marked names them as its lines, line_marks.line_entries)
Touched = tuple[frozenset[str], tuple[str, ...], frozenset[str]]


def _add(notes: dict[str, Touched], node_id: str, source: str, props: dict[str, Any], line: str) -> None:
    sources = tuple(asserting_sources(props.get("sources") or (), source))
    lines, had_sources, said = notes.get(node_id, (frozenset(), (), frozenset()))
    notes[node_id] = (lines | {line}, tuple(dict.fromkeys([*had_sources, *sources])),
                      said | {line, *(props.get("referents") or ())})


def _spares(spared: tuple[str, tuple[str, ...], set[str]] | None, stmt: Statement) -> bool:
    """Whether a MOD's withdrawal (``spared``: its level and the statements it wrote) leaves ``stmt``."""
    return spared is not None and (stmt.id in spared[2] or (stmt.tlp == spared[0]
                                                            and set(stmt.shared_with) == set(spared[1])))


class KeyedLineDeletes(KeyedLineWidening):
    """:class:`graphapi.ingest.writer.Writer`'s DELs of keyed lines (runs on its state:
    ``_keyed_dels``: source -> node id -> (the lines deleted, the asserting sources, the referents
    their records name: :data:`Touched`))."""

    _keyed_dels: dict[str, dict[str, Touched]]
    _keyed_moves: dict[str, dict[str, dict[str, Touched | None]]]  # ... MOD'd: node id -> line -> its new
    # sources (None: DEL'd after, :meth:`_drop_keyed_move`)

    def _note_keyed_move(self, source: str, node_id: str, props: dict[str, Any], line: str) -> None:
        """Note the MOD of keyed line ``line`` stating the node under its key in the datasets its
        record names: what the source's other datasets said of it in that line goes
        (:meth:`_withdraw_moved_keyed`; a-100, 4: a MOD moving ``k-1`` from ds1 to ds2 left ds1's
        statement naming it, and the node kept ``ftm:ds1``). The line's last MOD in the load is what
        it says: an earlier one's datasets go too (a-104, 5: MOD k-1 [ds2] then MOD k-1 [ds3] kept
        ``ftm:ds2``)."""
        lines = self._keyed_moves.setdefault(source, {}).setdefault(node_id, {})
        lines.pop(line, None)
        _add(lines, line, source, props, line)

    def _unnote_refused_moves(self, refused: set[str], statements: dict[str, list[tuple[Statement, bool]]]) -> None:
        """Forget the MODs of keyed lines whose records the flush refused (``statements``: its pending
        ones, by node id): a refused MOD wrote no new version, so the line keeps its datasets (a-110,
        5: the close withdrew a refused MOD's line from its old dataset, and the line was gone)."""
        for nid in refused:
            lines = {text for stmt, replace in statements.get(nid, ()) if replace
                     for prop, text in stmt.entries if prop == LINE_REFERENT}
            for by_node in self._keyed_moves.values():
                for line in lines:
                    by_node.get(nid, {}).pop(line, None)

    def _keyed_note_undo(self, source: str, node_id: str, line: str) -> Callable[[], None]:
        """What puts line ``line``'s noted MOD back as it stands now: a record of the line refused
        within its batch (its id came first there with another label) notes no move (a-113, 4)."""
        had = self._keyed_moves.get(source, {}).get(node_id, {})
        was = (line in had, had.get(line))

        def undo() -> None:
            lines = self._keyed_moves.setdefault(source, {}).setdefault(node_id, {})
            if was[0]:
                lines[line] = was[1]
            else:
                lines.pop(line, None)
        return undo

    def _note_keyed_add(self, source: str, node_id: str, props: dict[str, Any], line: str) -> None:
        """Note the ADD of keyed line ``line`` after its MOD or DEL in the same load: the withdrawal
        follows the line's last write (a-107, 1: MOD k-1 [ds2], DEL k-1, ADD k-1 [ds3] in one load
        withdrew ds3 by the MOD's note, and a later DEL of k-2 took the wallet). After a MOD the
        ADD's datasets join the MOD's, as the ADD in a later load would; after a DEL (which the ADD
        takes back, ``_delete_nodes``) the line says what the ADD names, as a MOD would."""
        lines = self._keyed_moves.get(source, {}).get(node_id)
        if lines is None or line not in lines:
            return
        if lines[line] is None:
            del lines[line]
        _add(lines, line, source, props, line)

    def _drop_keyed_move(self, source: str, node_id: str, line: str) -> None:
        """A DEL of keyed line ``line`` after its MOD in the load: the DEL takes the line from every
        dataset (:meth:`_spare_shared_keyed`), and the MOD's withdrawal no longer stands; kept as
        ``None`` so an ADD after it renews the line (:meth:`_note_keyed_add`)."""
        self._keyed_moves.setdefault(source, {}).setdefault(node_id, {})[line] = None

    async def _withdraw_moved_keyed(self) -> None:
        """Take the MOD'd keyed lines out of the statements of the source's datasets their new
        versions no longer name, as a DEL of the line there would (:meth:`_spare_batch`): a statement
        left naming no line goes, a dataset left with none leaves the node's ``sources``. Run once
        the load's statements are written: killed before, the load run again does it."""
        taken, self._keyed_moves = self._keyed_moves, {}
        written, self.statements.keyed_replaced = self.statements.keyed_replaced, {}
        for source, by_node in taken.items():
            self._keyed_widenings.update(by_node)  # a MOD of a line may leave its node stated only more widely
            # one round a line of each node: two lines of a node MOD'd apart leave different datasets
            for moved in zip_longest(*[[(n, t) for t in lines.values() if t is not None]
                                       for n, lines in sorted(by_node.items())]):
                await self._withdraw_round(source, dict(x for x in moved if x is not None), written)

    async def _withdraw_round(self, source: str, nodes: dict[str, Touched],
                              written: dict[tuple[str, str], set[str]]) -> None:
        """One round of :meth:`_withdraw_moved_keyed`: a line of each node of ``nodes``
        (``written``: the statements each line's MODs wrote, by node and line)."""
        ids = sorted(nodes)
        for start in range(0, len(ids), self.batch_size):
            batch = {node: nodes[node] for node in ids[start:start + self.batch_size]}
            named = await self._with_datasets(source, {n: (lines, (), said)
                                                       for n, (lines, _, said) in batch.items()})
            others = {n: (lines, tuple(s for s in srcs if s not in batch[n][1]), said)
                      for n, (lines, srcs, said) in named.items()}
            others = {n: v for n, v in others.items() if v[1]}
            if others:
                await self._spare_batch(source, others, moved=True)
            # and out of its datasets' statements at another level than the MOD's, as the line says the
            # node at the MOD's level alone now (a-110, 3: two AMBER lines both MOD'd at CLEAR left
            # the AMBER statement naming them, W1 AMBER with a value neither line says). Spared: the
            # statements its MODs wrote (at the node's level, where its shares widened them) and any
            # at exactly the MOD's level; one shared with more agencies is another level (a-113, 1:
            # AMBER[TH, LA] kept k-1's old value after its AMBER[TH] MOD, and LA-POL kept reading W1)
            # (named apart from ``ids``: at batch size 1 the next batch read the spared ids, a TypeError)
            wrote = {sid for n, (lines, _, _) in batch.items() for line in lines for sid in written.get((n, line), ())}
            await self._spare_batch(source, batch, moved=True, spared=(self.prov.tlp, self.prov.shared_with, wrote))

    def _note_keyed_delete(self, source: str, node_id: str, props: dict[str, Any], line: str) -> None:
        """Note the DEL of keyed line ``line``'s node (``props``: the DEL record's). Its ``referents``
        also hold the ids FtM merged into the line, which are no line of the source (a-100, 2: a
        merged id kept a node no line states, and one naming another line took that line's part)."""
        if line:  # a second line's DEL of the node in the load adds to the first's (a-94's sequences)
            self._drop_keyed_move(source, node_id, line)
            _add(self._keyed_dels.setdefault(source, {}), node_id, source, props, line)

    async def _spare_shared_keyed(self) -> None:
        """Take out of the load's DELs the keyed nodes another line of the source still states,
        each losing only the deleted lines' referents (the module docstring)."""
        taken, self._keyed_dels = self._keyed_dels, {}
        for source, nodes in taken.items():
            dels = self._delete_nodes.get(source) or {}
            pending = self._delete_lines.get(("", source), {})
            ids = [node for node in nodes if node in dels and node not in pending]
            for start in range(0, len(ids), self.batch_size):
                batch = {node: nodes[node] for node in ids[start:start + self.batch_size]}
                for item in await self._spare_batch(source, await self._with_datasets(source, batch)):
                    dels.pop(item, None)

    async def _with_datasets(self, source: str, nodes: dict[str, Touched]) -> dict[str, Touched]:
        """``nodes`` with each one's sources widened to every dataset of ``source`` it names: another
        dataset's line keeps it too (a-94, 2: ``k-2``'s ``ftm:ds2`` statement went unread, and the
        DEL of ``k-1`` [ds1] took the node with it). Read by the node ids, one row a node."""
        rows = await self.store.read("provenance/datasets_stating", {"ids": sorted(nodes), "source": source})
        named = {str(row["id"]): [str(x) for x in row["sources"] or ()] for row in rows}
        return {item: (lines, tuple(dict.fromkeys([*sources, *named.get(item, ())])), said)
                for item, (lines, sources, said) in nodes.items()}

    async def _spare_batch(self, source: str, nodes: dict[str, Touched], moved: bool = False,
                           spared: tuple[str, tuple[str, ...], set[str]] | None = None) -> list[str]:
        """One batch of :meth:`_spare_shared_keyed`: returns the nodes kept. A dataset of ``source``
        left with no statement about a kept node leaves its ``sources``, as a fresh load has it.
        ``moved``: the lines were MOD'd out of these sources (:meth:`_withdraw_moved_keyed`): every
        node stays, the statements naming them lose them; ``spared``: the MOD's level and the
        statements its MODs wrote, which keep the lines (:meth:`_spares`)."""
        rows = [{"id": item, "sources": list(sources)} for item, (_, sources, _) in sorted(nodes.items())]
        stored: dict[str, list[Statement]] = {}
        for row in await self.store.read("provenance/source_statements_about", {"rows": rows,
                                                                                 "owner": self.prov.owner}):
            stmt = Statement.from_props(row["props"])
            stored.setdefault(stmt.entity, []).append(stmt)
        drops = {s.id: [] if _spares(spared, s) else line_entries(s, nodes[item][0], nodes[item][2])
                 for item, stmts in stored.items() for s in stmts}
        kept = [item for item, stmts in stored.items()
                if (any(drops[s.id] for s in stmts) if moved
                    else any(lines_named(s, drops[s.id]) for s in stmts))]
        rewrite, gone = [], []
        withdrawn: dict[str, list[str]] = {}  # a dataset source none of whose statements stays -> its nodes
        for item in kept:
            left: set[str] = set()
            for stmt in stored[item]:
                drop = drops[stmt.id]
                if drop and not lines_named(stmt, drop):  # one naming no line before (a Person's email) stays
                    gone.append(stmt.id)
                else:
                    left.add(stmt.source)
                    if drop:
                        for key in drop:
                            del stmt.entries[key]
                        rewrite.append(stmt)
            for src in {s.source for s in stored[item] if s.source != source} - left:
                withdrawn.setdefault(src, []).append(item)
        # first: killed before the statements go, the rerun finds them by the DEL's own dataset again
        # (the node keeps the dataset while another owner states it: retract_nodes' rule)
        for src, items in sorted(withdrawn.items()):
            await self.store.write("ingest/retract_nodes", {"ids": sorted(items), "source": src, "reowned": None,
                                                            "owner": self.prov.owner, "scoped": self.scoped})
        if rewrite:
            await self.store.write("provenance/write_statements", {"rows": [s.row() for s in rewrite]})
        if gone:
            await self.store.write("provenance/delete_statements", {"ids": gone})
            self.counts.statements_retracted += len(gone)
        self.statements.drop_written([*gone, *(s.id for s in rewrite)])
        if kept:  # one another line states only more narrowly narrows to it, as a fresh load has it (a-100, 1)
            narrowed = set(await narrow_to_owner(self.store, self.model, "", sorted(kept), self.batch_size))
            # and one its owner now states only more widely widens to it at the load's close, once its
            # later ADDs and MODs are written (a-107, 3; a-110, 1: keyed_line_widening)
            self._keyed_widenings.update(set(kept) - narrowed)
            await rebuild_values(self.store, self.model, sorted(set(kept) - narrowed), self.batch_size)
            for item in kept:
                self._known.pop(item, None)
        return kept

