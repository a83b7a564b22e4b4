"""A keyed node the DEL of its narrowest line leaves stated by its owner only more widely takes the
narrowest level its owner's statements left say it at, as a fresh load of the lines left has it
(attack round a-107, 3: ``ADD k-1 W1`` at AMBER, ``ADD k-2 W1`` at CLEAR, ``DEL k-1``: W1 stayed
AMBER, and CLEAR readers lost a node no line keeps from them). The owner's later, wider record
does not widen its own node (it is merged at the node's level), so after the DEL no statement of
the owner is at the node's level any more.

Widened as an owner's MOD widens its node (:mod:`graphapi.ingest.write_nodes`): the identifiers
its links reach are noted for the breaker before any write (:mod:`graphapi.ingest.pending_widenings`),
the fields are rebuilt for the new level, the level is set last (``ingest/set_node_levels``: killed
before it, the node is seen as before, and the rerun finds the same statements and widens it),
and the breaker counts what the node links to once it is widened. Run at the load's close on the
nodes a keyed line's DEL kept or a MOD stated (:mod:`graphapi.ingest.keyed_line_deletes`), after the
load's later ADDs and MODs are written (a-110, 1 and 2: a DEL's widening first refused them as
narrowings), and decided from the statements left alone (a-110, 7: a run killed after a MOD's
withdrawal left no line for the rerun to drop, and it never widened). Part of
:class:`graphapi.ingest.writer.Writer`."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.relevel import items_and_statements
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import Statement
from graphapi.ontology.tlp import audience, item_audience, reaches_all


def _narrowest(stmts: list[Statement]) -> Statement:
    """The statement read by the fewest agencies (everyone last), by source on a tie."""
    def key(s: Statement) -> tuple:
        seen = audience(s.tlp, s.owner, s.shared_with)
        return (seen is None, len(seen or ()), s.tlp, sorted(s.shared_with), s.source)
    return min(stmts, key=key)


def wider_level(props: dict[str, Any], stmts: list[Statement]) -> Statement | None:
    """The owner's statement node ``props`` should take its level from: the narrowest of the
    owner's, when every one of them is seen by more than the node is; else None."""
    own = [s for s in stmts if s.owner == props.get("owner")]
    seen = item_audience(props)
    if not own or props.get("unresolved"):
        return None
    for s in own:
        said = audience(s.tlp, s.owner, s.shared_with)
        if said == seen or not reaches_all(said, seen):
            return None
    return _narrowest(own)


def unfollowed(props: dict[str, Any], stmts: list[Statement]) -> tuple[list[Statement], list[str]]:
    """The owner's statements of node ``props`` at the node's own level that do not follow it, each
    merged into the one of its source and line that does (written as that one, their values first, as
    :func:`graphapi.ingest.relevel.relevel` moves it), and the ids of those merged: a run killed after
    ``relevel_nodes`` narrowed the node, before the statement it took its level from was written as
    following it, left it beside the one the rerun's records wrote (a-115, 3)."""
    owner = props.get("owner")
    follows = {(s.source, s.line, s.tlp, frozenset(s.shared_with)): s for s in stmts if s.follows and s.owner == owner}
    merged, gone = [], []
    for stmt in stmts:
        there = follows.get((stmt.source, stmt.line, stmt.tlp, frozenset(stmt.shared_with)))
        if stmt.follows or stmt.owner != owner or there is None:
            continue
        out = stmt.at_level(stmt.tlp, stmt.shared_with, follows=True)
        out.absorb(there)
        merged.append(out)
        gone.append(stmt.id)
    return merged, gone


class KeyedLineWidening:
    """Widens the keyed nodes a line's DEL or MOD left stated only more widely by their owner."""

    _keyed_widenings: set[str]  # the nodes a keyed line's DEL kept or a MOD stated, widened at close

    async def _widen_keyed(self) -> None:
        """Widen, at the load's close, the noted nodes its owner now states only more widely: a
        later ADD or MOD of the load is written at the node's level first (a-110, 1: the DEL widened
        W1 to CLEAR, and the same load's re-ADD of k-1 at AMBER was refused as a narrowing). Derived
        from the statements left, so a run killed before it widens on the rerun (a-110, 7)."""
        ids, self._keyed_widenings = sorted(self._keyed_widenings), set()
        for start in range(0, len(ids), self.batch_size):
            for item in await self._widen_to_owner(ids[start:start + self.batch_size]):
                self._known.pop(item, None)

    async def _widen_to_owner(self, ids: list[str]) -> list[str]:
        """Widen those of nodes ``ids`` (kept by a keyed line's DEL, not narrowed) whose owner's
        statements left are all wider than the node; returns the nodes widened."""
        if not ids:
            return []
        items, by_item = await items_and_statements(self.store, ids, None)
        merged, gone = [], []
        for item in items:
            if (item["props"] or {}).get("owner") == self.prov.owner:
                more, old = unfollowed(item["props"] or {}, by_item.get(item["id"], []))
                merged += more
                gone += old
                by_item[item["id"]] = [*more, *(s for s in by_item.get(item["id"], []) if s.id not in old
                                                and s.id not in {m.id for m in more})]
        if merged:  # the merged one first: killed before the delete, the rerun merges the same again
            await self.store.write("provenance/write_statements", {"rows": [s.row() for s in merged]})
            await self.store.write("provenance/delete_statements", {"ids": gone})
            self.statements.drop_written([*gone, *(s.id for s in merged)])
        levels: dict[str, dict[str, Any]] = {}
        widened = {}
        for item in items:
            props = item["props"] or {}
            if props.get("owner") != self.prov.owner:  # another agency's node: the load's DEL moves
                continue  # none of its statements, and its level is no business of this load
            pick = wider_level(props, by_item.get(item["id"], []))
            if pick is not None:
                levels[item["id"]] = {"tlp": pick.tlp, "sharedWith": list(pick.shared_with) or None}
                widened[item["id"]] = (item_audience(props), audience(pick.tlp, pick.owner, pick.shared_with))
        if not levels:
            return []
        rows = await self._note_widened_holders(widened)  # before any write: killed, the next writer counts
        await rebuild_values(self.store, self.model, sorted(levels), self.batch_size, levels=levels)
        await self.store.write_batches("ingest/set_node_levels", [{"id": nid, **lvl} for nid, lvl in
                                                                  sorted(levels.items())], self.batch_size)
        await self._note_relevelled((), sorted(levels))
        self._bound_moved(sorted(levels))
        await self._check_widened_holders(rows)
        return sorted(levels)
