"""Statements on the store: the loader's buffer and their writes
(:mod:`graphapi.ingest.statements` holds the pure rules).

- :class:`StatementLog` collects the statements of the node (or relationship) records a writer
  buffers and writes those of the items the writer accepted (``cypher/provenance/write_statements``), merged with
  what is stored at the same level (first record kept, first/last seen widened) or, for a replace
  record (FtM MOD), replacing that source's statements at every level (but one naming another line
  in its ``referents``, a natural-key node's, which it merges into). A statement written this
  run that a record says again costs nothing (kept in memory, like the writer's node cache).
- A source's retraction (a DEL) deletes its statements with the batch's pending mark:
  :mod:`graphapi.ingest.retraction`.
- What an item's fields become from its statements (:func:`asserted_values`,
  :func:`rebuild_values`) is :mod:`graphapi.ingest.statement_values`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from graphapi.ingest.line_marks import names_another_line, with_lines_marked
from graphapi.ingest.statements import (
    LINE_REFERENT,
    Statement,
    _statements,
    asserted_properties,
    asserted_relationship_properties,
)
from graphapi.ontology import Model
from graphapi.ontology.tlp import audience, item_audience, reaches_all
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

if TYPE_CHECKING:  # replacement imports this module
    from graphapi.ingest.replacement import AssertedLog


class StatementLog:
    """The statements of buffered node (or relationship) records, written once the writer has
    accepted their items; the writer keeps one log for nodes and one for relationships, as it
    flushes them apart."""

    def __init__(self, model: Model, cache_size: int = 200_000) -> None:
        self.model = model
        self.cache_size = cache_size
        self._pending: dict[str, list[tuple[Statement, bool]]] = {}  # node id -> (statement, replace)
        self._written: dict[str, Statement] = {}  # statement id -> state written this run
        self.written = 0  # statements written whose values are new or changed
        self.seen = 0  # statements written again only to move their values' lastSeen (a reload)
        # a whole-source replace's record of what it asserts; with one, a value said again names
        # the replacing load's record, not the replaced one's (gone: new-user trial 8)
        self.asserted: AssertedLog | None = None
        self._counted_apart: set[str] = set()  # statements saying a field the load may not read, counted once
        self._renewed: dict[str, set[tuple[str, str]]] = {}  # statement id -> entries renewed this load
        # label / relationship type -> the property names its records assert (worked out once)
        self._asserted: dict[str, list[str]] = {}
        self._asserted_rel: dict[str, tuple[list[str], str]] = {}  # ... and the type's name
        #: (item id, keyed line) -> the statements its MODs wrote this load: the ones the line's
        #: withdrawal from other levels spares (keyed_line_deletes; a-113, 1)
        self.keyed_replaced: dict[tuple[str, str], set[str]] = {}
        #: (owner, item id, level, agencies) of each statement written since the writer last took
        #: them: what an owner's load said of its items (Writer.said)
        self.said: list[tuple[str, str, str, tuple[str, ...]]] = []

    def note(self, label: str, node_id: str, props: Mapping[str, Any], load_source: str, record_id: str,
             *, replace: bool, line: str = "", keyed_line: str = "") -> None:
        """Keep the statements of one stamped node record until its node is written (``line``: a
        line statement's line, :mod:`graphapi.ingest.statements`; ``keyed_line``: the line of a
        natural-key node's record, kept apart from the ids FtM merged into it: ``LINE_REFERENT``)."""
        names = self._asserted.get(label)
        if names is None:
            names = self._asserted[label] = asserted_properties(self.model.label(label))
        stmts = _statements(names, node_id, props, load_source, record_id, "", line)
        if keyed_line:
            seen = [record_id, str(props.get("firstSeen") or ""), str(props.get("lastSeen") or "")]
            for stmt in stmts:
                stmt.entries[(LINE_REFERENT, keyed_line)] = list(seen)
        self.note_statements(node_id, stmts, replace=replace)

    def note_relationship(self, rel_type: str, rel_id: str, props: Mapping[str, Any], load_source: str,
                          record_id: str, *, replace: bool, line: str = "") -> None:
        """Keep the statements of one stamped relationship record until its relationship is written
        (``line``: as for :meth:`note`)."""
        known = self._asserted_rel.get(rel_type)
        if known is None:
            rt = self.model.relationship(rel_type)
            known = self._asserted_rel[rel_type] = (asserted_relationship_properties(rt), rt.name)
        self.note_statements(rel_id, _statements(known[0], rel_id, props, load_source, record_id, known[1], line),
                             replace=replace)

    def note_statements(self, item_id: str, stmts: Iterable[Statement], *, replace: bool) -> None:
        """Keep ``stmts`` (about ``item_id``) until the item is written."""
        for stmt in stmts:
            self._pending.setdefault(item_id, []).append((stmt, replace))

    def pending_of_line(self, item_id: str, line: str) -> bool:
        """Whether a statement of ``line`` ("" for none) about ``item_id`` is pending: a record
        saying the same again adds nothing; one of another line is its own statement."""
        return any(stmt.line == line for stmt, _ in self._pending.get(item_id, ()))

    def take(self) -> dict[str, list[tuple[Statement, bool]]]:
        """The pending statements, by item id (emptied: taken with the buffer they belong to)."""
        taken, self._pending = self._pending, {}
        return taken

    async def write(self, store: GraphStore, taken: Mapping[str, list[tuple[Statement, bool]]],
                    accepted: Iterable[str], created: set[str], batch_size: int = DEFAULT_BATCH_SIZE,
                    items: Mapping[str, Mapping[str, Any]] | None = None,
                    hidden: Mapping[str, frozenset[str]] | None = None) -> None:
        """Write the statements of the ``accepted`` node ids (refused records assert nothing),
        merged with the stored ones; ``created``: nodes new this flush (nothing stored to read);
        ``items``: each item's properties once written (its sharing decides which statements
        follow it, :func:`follows`; an item not given is at its record's level). ``hidden``: item
        id -> the fields of it the load may not read (:mod:`graphapi.ingest.blind_values`); a
        statement saying one counts as written once a load, whatever its source stored before."""
        for stmts in taken.values():  # which follow their items decides their ids
            for stmt, _ in stmts:
                stmt.follows = follows(stmt, (items or {}).get(stmt.entity))
                if self.asserted is not None:
                    self.asserted.note_statement(stmt)
        mine = {nid: taken[nid] for nid in accepted if nid in taken}
        if not mine:
            return
        apart = _told_apart(mine, hidden or {})
        self.written += len(apart - self._counted_apart)
        self._counted_apart |= apart
        self.said += [(s.owner, s.entity, *(s.said or (s.tlp, s.shared_with)))  # the record's own level,
                      for stmts in mine.values() for s, _ in stmts]  # not as its item's shares widened it
        pinned: dict[str, Statement] = {}
        pending = [(s, replace) for nid, stmts in mine.items() if nid not in created
                   for s, replace in stmts if s.id not in self._written]
        renew = self.asserted is not None
        stored, covered = await _stored_statements(store, pending, batch_size, renew=renew)
        rows: dict[str, Statement] = {}
        before: dict[str, Statement | None] = {}  # each statement as it stood before this write
        for stmts in mine.values():
            for stmt, replace in stmts:
                sid = stmt.id  # read once: the property re-checks the statement's key on every read
                if sid in covered:
                    continue  # stored with all it says: said again, nothing new, nothing read or written
                base = rows.get(sid) or self._written.get(sid) or stored.get(sid)
                if sid not in before:
                    before[sid] = base
                if base is not None and base.follows and _level(base) != _level(stmt):
                    # the owner's record moved the item to another level: what the source said
                    # before stays at the level it was said at (attack round 6, G1)
                    _pin(pinned, base)
                    base = before[sid] = None
                if base is None:
                    rows[sid] = stmt
                    if renew:
                        self._renewed.setdefault(sid, set()).update(stmt.entries)
                    continue
                base = with_lines_marked(base, stmt)
                if replace and not names_another_line(base, stmt):
                    merged = base.replaced_by(stmt)
                else:  # a keyed node another line states too: the MOD of one line adds (a-94, 4)
                    merged = base.at_level(base.tlp, base.shared_with)
                    merged.absorb(stmt)
                if renew:  # each value names the first record of this load that says it
                    done = self._renewed.setdefault(sid, set())
                    merged.renew_records(stmt, [k for k in stmt.entries if k not in done])
                    done.update(stmt.entries)
                if merged != base or sid in rows:
                    rows[sid] = merged
                elif sid not in self._written:
                    self._remember(merged)  # said again, nothing new: no write
        if pinned:  # written first: killed between batches, what the source said at the old level is
            # kept, where the item's statement written over it first lost it (a-107, 5: k-3's AMBER line)
            kept = await _with_kept(store, pinned)
            rows = {**kept, **{sid: s for sid, s in rows.items() if sid not in kept}}
        out = [s.row(sid) for sid, s in rows.items()]
        if out:
            await store.write_batches("provenance/write_statements", out, batch_size)
            # a reload that only moves lastSeen says nothing new: counted apart (docs/provenance.md)
            moved = sum(1 for sid, s in rows.items() if sid not in apart and _only_seen_again(before.get(sid), s))
            self.written += sum(1 for sid in rows if sid not in apart) - moved
            self.seen += moved
        # a replace record is all its source's line now says of the item: its statements at other levels go
        # (another line's statements stay: graphapi.ingest.statements, line statements; so does one of a
        # natural-key node naming another line, a-100, 1)
        replaced = {s.id: s for stmts in mine.values() for s, replace in stmts if replace}
        for sid, s in replaced.items():
            for prop, text in s.entries:
                if prop == LINE_REFERENT:
                    self.keyed_replaced.setdefault((s.entity, text), set()).add(sid)
        if replaced:
            await store.write_batches("provenance/delete_other_levels", [
                {"id": sid, "entity": s.entity, "owner": s.owner, "source": s.source, "line": s.line,
                 # a keyed line's only (a-104, 3)
                 "lines": sorted(t for p, t in s.entries if p == LINE_REFERENT),
                 "said": sorted(t for p, t in s.entries if p == "referents")}
                for sid, s in replaced.items()], batch_size)
        for s in rows.values():
            self._remember(s)

    async def pin_outgrown(self, store: GraphStore, items: Mapping[str, Mapping[str, Any]]) -> None:
        """Before the statements of items whose owner's record just changed who sees them
        (``items``: id -> properties once written) are written: every statement that followed
        such an item at another level keeps that level from now on, whatever its source (attack
        round 7, H1: a narrower record of another source kept following, and the next share
        opened it)."""
        if not items:
            return
        rows = await store.read("provenance/statements_of", {"ids": sorted(items)})
        pinned: dict[str, Statement] = {}
        gone: list[str] = []
        for row in rows:
            stmt = Statement.from_props(row["props"])
            item = items[stmt.entity]
            if stmt.follows and not follows(stmt, item):
                gone.append(stmt.id)
                self._written.pop(stmt.id, None)
                _pin(pinned, stmt)
        if not pinned:
            return
        pinned = await _with_kept(store, pinned)
        await store.write("provenance/write_statements",
                          {"rows": [s.row(sid) for sid, s in pinned.items()]})
        await store.write("provenance/delete_statements", {"ids": sorted(set(gone) - set(pinned))})
        for s in pinned.values():
            self._written.pop(s.id, None)

    def drop_written(self, ids: Iterable[str]) -> None:
        """Forget statements ``ids`` as written (the writer changed them past this log)."""
        for sid in ids:
            self._written.pop(sid, None)

    def forget(self) -> None:
        """Drop the statements remembered as written (another writer may have changed them)."""
        self._written.clear()

    def _remember(self, stmt: Statement) -> None:
        if len(self._written) >= self.cache_size:
            self._written.clear()
        self._written[stmt.id] = stmt


def follows(stmt: Statement, item: Mapping[str, Any] | None) -> bool:
    """Whether ``stmt`` follows its item (``graphapi.ingest.statements``): its owner's, said at
    least as widely as the item (of properties ``item``, once written) is seen; an item not given
    is at the statement's own level."""
    if item is None:
        return True
    return stmt.owner == item.get("owner") and reaches_all(
        audience(stmt.tlp, stmt.owner, stmt.shared_with), item_audience(item))


def _told_apart(mine: Mapping[str, list[tuple[Statement, bool]]], hidden: Mapping[str, frozenset[str]]) -> set[str]:
    """The ids of the statements in ``mine`` that say a field of their item the load may not read."""
    return {s.id for nid, stmts in mine.items() if nid in hidden
            for s, _ in stmts if any(prop in hidden[nid] for prop, _ in s.entries)}


def _level(stmt: Statement) -> tuple[str, frozenset[str]]:
    return stmt.tlp, frozenset(stmt.shared_with)


def _only_seen_again(before: Statement | None, after: Statement) -> bool:
    """True if ``after`` differs from ``before`` in its values' lastSeen (and, after a
    whole-source replace, the record that says them) alone: the same values, firstSeen and level,
    said again later."""
    if before is None or before.id != after.id or before.entries.keys() != after.entries.keys():
        return False
    return (before.tlp, before.shared_with, before.type, before.label) == (
        after.tlp, after.shared_with, after.type, after.label) and all(
        v[1] == after.entries[k][1] for k, v in before.entries.items())


def _pin(pinned: dict[str, Statement], stmt: Statement) -> None:
    """Keep following statement ``stmt`` at its level from now on (into ``pinned``, by new id)."""
    kept = stmt.at_level(stmt.tlp, stmt.shared_with, follows=False)
    if kept.id in pinned:
        pinned[kept.id].absorb(kept)
    else:
        pinned[kept.id] = kept


async def _with_kept(store: GraphStore, pinned: dict[str, Statement]) -> dict[str, Statement]:
    """``pinned`` (by id), each merged with the source's statement already kept at its level, if any."""
    out = dict(pinned)
    for row in await store.read("provenance/statements_by_ids", {"ids": sorted(pinned)}):
        kept = Statement.from_props(row["props"])
        kept.absorb(pinned[row["id"]])
        out[row["id"]] = kept
    return out


def _probe_row(stmt: Statement, renew: bool = False) -> dict[str, Any] | None:
    """``stmt`` as ``provenance/statement_probe`` takes it, or None if its entries were not all
    seen over the same span or, ``renew`` (a whole-source replace), not said by one record (only
    a record's own statement is probed; a merged one is read). ``recordId``: with ``renew``, the
    record every stored entry must name to be covered; else None (any)."""
    spans = {(first, last) for _, first, last in stmt.entries.values()}
    records = {rid for rid, _, _ in stmt.entries.values()} if renew else {None}
    if len(spans) != 1 or len(records) != 1:
        return None
    [(first, last)], [record] = spans, records
    return {"id": stmt.id, "tlp": stmt.tlp, "sharedWith": list(stmt.shared_with) or None,
            "property": [k[0] for k in stmt.entries], "value": [k[1] for k in stmt.entries],
            "firstSeen": first, "lastSeen": last, "recordId": record}


def _covers(props: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Whether the stored statement ``props`` holds everything probe ``row`` says (the probe's
    rule, for a statement storing the entries in another order: one pass over each, by key)."""
    if props.get("tlp") != row["tlp"] or list(props.get("sharedWith") or []) != list(row["sharedWith"] or []):
        return False
    spans = {(p, v): (first, last, rid) for p, v, first, last, rid in zip(
        props.get("property") or [], props.get("value") or [], props.get("firstSeen") or [],
        props.get("lastSeen") or [], props.get("recordId") or [], strict=False)}
    first, last, record = row["firstSeen"], row["lastSeen"], row.get("recordId")
    return all((span := spans.get(key)) is not None and span[0] <= first and span[1] >= last
               and (record is None or span[2] == record) for key in zip(row["property"], row["value"], strict=True))


async def _stored_statements(store: GraphStore, pending: list[tuple[Statement, bool]], batch_size: int,
                             *, renew: bool = False) -> tuple[dict[str, Statement], set[str]]:
    """What the store holds of the ``pending`` statements: ``(stored, covered)``, the stored
    statements a merge needs, by id, and the ids of those stored already holding everything their
    one pending record says (``provenance/statement_probe``: a reload sends each statement again,
    and reading every one back cost more than the rest of the writer). A statement pending more
    than once, or for a replace record, is read whole (``provenance/statements_by_ids``).
    ``renew``: a whole-source replace, whose statements are covered only where they name its
    records (:meth:`StatementLog.write`)."""
    ids = [s.id for s, _ in pending]  # each read once: the property re-checks the key on every read
    times = Counter(ids)
    probe: list[dict[str, Any]] = []
    read: dict[str, None] = {}
    once = {sid: stmt for sid, (stmt, replace) in zip(ids, pending, strict=True)
            if not replace and times[sid] == 1}
    covered = await _stored_alike(store, once, batch_size)  # a reload's: stored as the record says them
    for sid, (stmt, replace) in zip(ids, pending, strict=True):
        if sid in covered:
            continue
        row = None if replace or times[sid] > 1 else _probe_row(stmt, renew)
        if row is None:
            read[sid] = None
        else:
            probe.append(row)
    stored: dict[str, Statement] = {}
    for i in range(0, len(probe), batch_size):
        said = {row["id"]: row for row in probe[i:i + batch_size]}
        for row in await store.read("provenance/statement_probe", {"rows": list(said.values())}):
            if row["props"] is None or _covers(row["props"], said[row["id"]]):
                covered.add(row["id"])
            else:
                stored[row["id"]] = Statement.from_props(row["props"])
    ids = list(read)
    for i in range(0, len(ids), batch_size):
        for row in await store.read("provenance/statements_by_ids", {"ids": ids[i:i + batch_size]}):
            stored[row["id"]] = Statement.from_props(row["props"])
    return stored, covered


async def _stored_alike(store: GraphStore, stmts: Mapping[str, Statement], batch_size: int) -> set[str]:
    """The ids of ``stmts`` stored exactly as they are (by the digest each stored statement keeps:
    ``provenance/statement_digests``), so covered: nothing to read, merge or write. The rest go on
    to the probe, which also finds those a record's values are only part of."""
    ids = list(stmts)
    alike: set[str] = set()
    for i in range(0, len(ids), batch_size):
        chunk = ids[i:i + batch_size]
        [row] = await store.read("provenance/statement_digests",
                                 {"rows": [{"id": sid, "digest": stmts[sid].digest()} for sid in chunk]})
        differ = set(row["differ"])
        alike.update(sid for sid in chunk if sid not in differ)
    return alike
