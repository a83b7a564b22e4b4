"""Statements on the store: the loader's buffer, their writes, a source's retraction, and the node
values rebuilt from what remains (:mod:`graphapi.ingest.statements` holds the pure rules).

- :class:`StatementLog` collects the statements of the node (or relationship) records a writer
  buffers and writes those of the items the writer accepted (``cypher/provenance/write_statements``), merged with
  what is stored at the same level (first record kept, first/last seen widened) or, for a replace
  record (FtM MOD), replacing that source's statements at every level. A statement written this
  run that a record says again costs nothing (kept in memory, like the writer's node cache).
- :func:`retract_statements` deletes a source's statements (a DEL).
- :func:`asserted_values` is the rule both kinds of item are rebuilt by
  (:mod:`graphapi.ingest.relationship_values` for relationships).
- :func:`rebuild_values` sets a node's values from its statements after a DEL or MOD: a value
  stays only while a statement asserts it, and only statements seen at least as widely as the
  node feed its ordinary fields (another agency's AMBER statement never shows on a GREEN node;
  :func:`values` shows it to those who may see it). A node with no statement at all (written
  before the statement model) is left as it is, unless a DEL just took its last statement and
  left no other source (:func:`graphapi.ingest.statements.unasserted`); its first and last seen are those of the
  statements that feed its fields; one with any is rebuilt from its statements
  alone, even if some of its sources have none (a placeholder's, which asserted no value, or one
  written before the model, whose values then go: attack round 4, H5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphapi.ingest.derive import derived_properties
from graphapi.ingest.merge import conflict_entry, union
from graphapi.ingest.statements import (
    Statement,
    _statements,
    asserted_properties,
    asserted_relationship_properties,
    unasserted,
    value_of,
)
from graphapi.ontology import Label, Model
from graphapi.ontology.model import Property
from graphapi.ontology.tlp import audience, reaches_all
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
        self.asserted: AssertedLog | None = None  # a whole-source replace's record of what it asserts
        # label / relationship type -> the property names its records assert (worked out once)
        self._asserted: dict[str, list[str]] = {}
        self._asserted_rel: dict[str, tuple[list[str], str]] = {}  # ... and the type's name

    def note(self, label: str, node_id: str, props: Mapping[str, Any], load_source: str, record_id: str,
             *, replace: bool) -> None:
        """Keep the statements of one stamped node record until its node is written."""
        names = self._asserted.get(label)
        if names is None:
            names = self._asserted[label] = asserted_properties(self.model.label(label))
        self.note_statements(node_id, _statements(names, node_id, props, load_source, record_id, ""), replace=replace)

    def note_relationship(self, rel_type: str, rel_id: str, props: Mapping[str, Any], load_source: str,
                          record_id: str, *, replace: bool) -> None:
        """Keep the statements of one stamped relationship record until its relationship is written."""
        known = self._asserted_rel.get(rel_type)
        if known is None:
            rt = self.model.relationship(rel_type)
            known = self._asserted_rel[rel_type] = (asserted_relationship_properties(rt), rt.name)
        self.note_statements(rel_id, _statements(known[0], rel_id, props, load_source, record_id, known[1]),
                             replace=replace)

    def note_statements(self, item_id: str, stmts: Iterable[Statement], *, replace: bool) -> None:
        """Keep ``stmts`` (about ``item_id``) until the item is written."""
        for stmt in stmts:
            self._pending.setdefault(item_id, []).append((stmt, replace))

    def take(self) -> dict[str, list[tuple[Statement, bool]]]:
        """The pending statements, by item id (emptied: taken with the buffer they belong to)."""
        taken, self._pending = self._pending, {}
        return taken

    async def write(self, store: GraphStore, taken: Mapping[str, list[tuple[Statement, bool]]],
                    accepted: Iterable[str], created: set[str], batch_size: int = DEFAULT_BATCH_SIZE,
                    items: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        """Write the statements of the ``accepted`` node ids (refused records assert nothing),
        merged with the stored ones; ``created``: nodes new this flush (nothing stored to read);
        ``items``: each item's properties once written (its sharing decides which statements
        follow it, :func:`follows`; an item not given is at its record's level)."""
        for stmts in taken.values():  # which follow their items decides their ids
            for stmt, _ in stmts:
                stmt.follows = follows(stmt, (items or {}).get(stmt.entity))
                if self.asserted is not None:
                    self.asserted.note_statement(stmt)
        mine = {nid: taken[nid] for nid in accepted if nid in taken}
        if not mine:
            return
        pinned: dict[str, Statement] = {}
        pending = [(s, replace) for nid, stmts in mine.items() if nid not in created
                   for s, replace in stmts if s.id not in self._written]
        stored, covered = await _stored_statements(store, pending, batch_size)
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
                    continue
                if replace:
                    merged = base.replaced_by(stmt)
                else:
                    merged = base.at_level(base.tlp, base.shared_with)
                    merged.absorb(stmt)
                if merged != base or sid in rows:
                    rows[sid] = merged
                elif sid not in self._written:
                    self._remember(merged)  # said again, nothing new: no write
        if pinned:
            rows.update(await _with_kept(store, pinned))
        out = [{"id": sid, "props": s.props()} for sid, s in rows.items()]
        if out:
            await store.write_batches("provenance/write_statements", out, batch_size)
            # a reload that only moves lastSeen says nothing new: counted apart (docs/provenance.md)
            moved = sum(1 for sid, s in rows.items() if _only_seen_again(before.get(sid), s))
            self.written += len(out) - moved
            self.seen += moved
        # a replace record is all its source now says of the item: its statements at other levels go
        replaced = {s.id: s for stmts in mine.values() for s, replace in stmts if replace}
        if replaced:
            await store.write_batches("provenance/delete_other_levels", [
                {"id": sid, "entity": s.entity, "owner": s.owner, "source": s.source} for sid, s in replaced.items()],
                batch_size)
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
                          {"rows": [{"id": sid, "props": s.props()} for sid, s in pinned.items()]})
        await store.write("provenance/delete_statements", {"ids": sorted(set(gone) - set(pinned))})
        for s in pinned.values():
            self._written.pop(s.id, None)

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
        audience(stmt.tlp, stmt.owner, stmt.shared_with), audience(item.get("tlp"), item.get("owner"),
                                                                   item.get("sharedWith")))


def _level(stmt: Statement) -> tuple[str, frozenset[str]]:
    return stmt.tlp, frozenset(stmt.shared_with)


def _only_seen_again(before: Statement | None, after: Statement) -> bool:
    """True if ``after`` differs from ``before`` in its values' lastSeen alone: the same values,
    records, firstSeen and level, said again later."""
    if before is None or before.id != after.id or before.entries.keys() != after.entries.keys():
        return False
    return (before.tlp, before.shared_with, before.type) == (after.tlp, after.shared_with, after.type) and all(
        v[:2] == after.entries[k][:2] for k, v in before.entries.items())


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


def _probe_row(stmt: Statement) -> dict[str, Any] | None:
    """``stmt`` as ``provenance/statement_probe`` takes it, or None if its entries were not all
    seen over the same span (only a record's own statement is probed; a merged one is read)."""
    spans = {(first, last) for _, first, last in stmt.entries.values()}
    if len(spans) != 1:
        return None
    [(first, last)] = spans
    return {"id": stmt.id, "tlp": stmt.tlp, "sharedWith": list(stmt.shared_with) or None,
            "property": [k[0] for k in stmt.entries], "value": [k[1] for k in stmt.entries],
            "firstSeen": first, "lastSeen": last}


def _covers(props: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Whether the stored statement ``props`` holds everything probe ``row`` says (the probe's
    rule, for a statement storing the entries in another order: one pass over each, by key)."""
    if props.get("tlp") != row["tlp"] or list(props.get("sharedWith") or []) != list(row["sharedWith"] or []):
        return False
    spans = {(p, v): (first, last) for p, v, first, last in zip(
        props.get("property") or [], props.get("value") or [], props.get("firstSeen") or [],
        props.get("lastSeen") or [], strict=False)}
    first, last = row["firstSeen"], row["lastSeen"]
    return all((span := spans.get(key)) is not None and span[0] <= first and span[1] >= last
               for key in zip(row["property"], row["value"], strict=True))


async def _stored_statements(store: GraphStore, pending: list[tuple[Statement, bool]], batch_size: int
                             ) -> tuple[dict[str, Statement], set[str]]:
    """What the store holds of the ``pending`` statements: ``(stored, covered)``, the stored
    statements a merge needs, by id, and the ids of those stored already holding everything their
    one pending record says (``provenance/statement_probe``: a reload sends each statement again,
    and reading every one back cost more than the rest of the writer). A statement pending more
    than once, or for a replace record, is read whole (``provenance/statements_by_ids``)."""
    times = Counter(s.id for s, _ in pending)
    probe: list[dict[str, Any]] = []
    read: dict[str, None] = {}
    for stmt, replace in pending:
        row = None if replace or times[stmt.id] > 1 else _probe_row(stmt)
        if row is None:
            read[stmt.id] = None
        else:
            probe.append(row)
    stored: dict[str, Statement] = {}
    covered: set[str] = set()
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


async def retract_statements(store: GraphStore, ids: list[str], *, source: str, owner: str,
                             scoped: bool) -> list[str]:
    """Delete ``source``'s statements about items ``ids`` (its datasets' too); returns the item id
    of each statement deleted (an item once per statement)."""
    rows = await store.write("provenance/retract_statements",
                             {"ids": ids, "source": source, "owner": owner, "scoped": scoped})
    return [str(r["id"]) for r in rows]


def derive_values(label: Label, node_id: str, props: Mapping[str, Any],
                  stmts: list[Statement]) -> dict[str, Any]:
    """The node's asserted values (and caption, search text, country codes, conflicts) as its
    statements give them: :func:`asserted_values`, then the derived properties."""
    out = asserted_values({n: label.properties[n] for n in asserted_properties(label)}, props, stmts)
    out.update(derived_properties(label, out, node_id))
    return out


def asserted_values(properties: Mapping[str, Property], props: Mapping[str, Any],
                    stmts: list[Statement]) -> dict[str, Any]:
    """An item's (node's or relationship's) values of ``properties`` and its ``conflicts`` as its
    statements give them: only statements seen at least as widely as the item (``props``: its
    stored sharing) count, and ``sources`` keeps only theirs (and those no statement names); a
    multi-valued property is the union in first-seen order, a single-valued one the first value
    with the others in ``conflicts`` (the names after the first also in ``alias``, as
    :func:`graphapi.ingest.merge.merge_properties` keeps them). Absent values are ``None`` (so a
    write removes them)."""
    node_sees = audience(props.get("tlp"), props.get("owner"), props.get("sharedWith"))
    usable = usable_statements(stmts, node_sees)
    said: dict[str, dict[str, list[str]]] = {}  # property -> value text -> sources
    for stmt in usable:
        for prop, text in stmt.entries:
            by = said.setdefault(prop, {}).setdefault(text, [])
            if stmt.source not in by:  # one source at two levels names itself once
                by.append(stmt.source)
    out: dict[str, Any] = {}
    conflicts: list[str] = []
    for name, prop in properties.items():
        values = [value_of(t, prop.type) for t in said.get(name, {})]
        if prop.multiple:
            out[name] = values or None
        else:
            out[name] = values[0] if values else None
            for text in list(said.get(name, {}))[1:]:
                conflicts.append(conflict_entry(name, value_of(text, prop.type), said[name][text]))
    others = list(said.get("name", {}))[1:]
    if others and "alias" in properties:  # a second name is an alias too, as the merge makes it
        out["alias"] = union(out.get("alias"), others)
    out["conflicts"] = conflicts or None
    out["sources"] = _sources(props.get("sources") or [], stmts, usable)
    spans = [(e[1], e[2]) for s in usable for e in s.entries.values()]
    if spans:  # seen when what remains was seen, not when a retracted record was (attack round 23, C4)
        out["firstSeen"] = min(f for f, _ in spans)
        out["lastSeen"] = max(last for _, last in spans)
    return out


def _sources(stored: list[str], stmts: list[Statement], usable: list[Statement]) -> list[str] | None:
    """The item's ``sources`` as its readers may learn of them: a source whose statements are all
    narrower than the item goes (an agency's AMBER merge into a node its owner later shared
    further), and comes back when the item narrows again; those no statement names stay."""
    def named_by(x: str, names: set[str]) -> bool:
        return any(x == n or x.startswith(n + ":") for n in names)
    seen = {s.source for s in usable}
    unseen = {s.source for s in stmts} - seen
    out = [x for x in stored if not named_by(x, unseen)]
    out += [n for n in dict.fromkeys(s.source for s in usable) if not any(named_by(x, {n}) for x in out)]
    return out or None


def usable_statements(stmts: list[Statement], item_sees: frozenset[str] | None) -> list[Statement]:
    """The statements that may feed the ordinary fields of an item seen by ``item_sees`` (None:
    everyone): those seen at least as widely, earliest first seen first."""
    usable = [s for s in stmts if reaches_all(audience(s.tlp, s.owner, s.shared_with), item_sees)]
    # first seen first; a tie in the same order on both backends, whatever order they read in
    usable.sort(key=lambda s: (min((e[1] for e in s.entries.values()), default=""), s.source, s.owner))
    return usable


async def rebuild_values(store: GraphStore, model: Model, ids: list[str],
                         batch_size: int = DEFAULT_BATCH_SIZE, *, at_level: LevelChange | None = None,
                         levels: Mapping[str, Mapping[str, Any]] | None = None,
                         retracted: Collection[str] = (), withdrawn: str = "") -> int:
    """Set the values of nodes ``ids`` from their remaining statements (after a DEL or a MOD);
    returns how many nodes changed. ``at_level``: the values the nodes will have once their owner
    has shared them (:class:`LevelChange`), written while they are still seen as narrowly as
    now, so a share cut short never shows the new agencies what the old level let its fields
    hold (attack round 6, G5). ``levels``: the same for nodes an owner's record widens (id ->
    ``tlp`` and ``sharedWith`` to come). ``retracted``: nodes whose statements a DEL of source
    ``withdrawn`` has just deleted, rebuilt even with none left when no other source remains in
    their ``sources`` (nothing asserts their values now: attack round 23, C1; one left with another
    source and no statement holds values written before the statement model, kept)."""
    changed = 0
    for i in range(0, len(ids), batch_size):
        chunk = ids[i:i + batch_size]
        nodes = {r["id"]: r for r in await store.read("ingest/existing_nodes", {"ids": chunk})}
        by_node: dict[str, list[Statement]] = {}
        for row in await store.read("provenance/statements_of", {"ids": chunk}):
            stmt = Statement.from_props(row["props"])
            by_node.setdefault(stmt.entity, []).append(stmt)
        rows = []
        for nid, node in nodes.items():
            props = dict(node["props"] or {})
            stmts = by_node.get(nid, [])
            if props.get("unresolved") or (not stmts and not unasserted(nid, props, retracted, withdrawn)):
                continue  # a placeholder, or a node written before the statement model
            label = _most_specific(model, node["labels"] or [])
            if label is None:
                continue
            if at_level is not None:
                if props.get("owner") != at_level.agency:
                    continue
                seen, stmts = at_level.applied(props, stmts)
                new = derive_values(model.label(label), nid, seen, stmts)
            elif levels and nid in levels:
                new = derive_values(model.label(label), nid, {**props, **levels[nid]}, stmts)
            else:
                new = derive_values(model.label(label), nid, props, stmts)
            if any(props.get(k) != v for k, v in new.items()):
                full = {k: v for k, v in {**props, **new}.items() if v is not None}
                rows.append({"id": nid, "props": {**full, "id": nid}})
        if rows:  # the whole map (cypher/ingest/replace_node_properties says why)
            await store.write_batches("ingest/replace_node_properties", rows, batch_size)
            changed += len(rows)
    return changed


@dataclass(frozen=True)
class LevelChange:
    """A share about to be made by ``agency``: ``sharedWith`` gains ``agencies`` and a level
    stricter than ``tlp`` (in ``stricter``) relaxes to it, as ``cypher/security/share_nodes`` does."""

    agency: str
    agencies: tuple[str, ...]
    tlp: str | None
    stricter: tuple[str, ...]

    def level(self, tlp: Any, shared_with: Iterable[str] | None) -> tuple[Any, list[str]]:
        kept = [x for x in shared_with or () if x not in self.agencies]
        relaxed = self.tlp is not None and (tlp or "RED") in self.stricter
        return (self.tlp if relaxed else tlp), kept + list(self.agencies)

    def applied(self, props: Mapping[str, Any], stmts: list[Statement]) -> tuple[dict[str, Any], list[Statement]]:
        """The item's properties and statements as they will be: its level changed, and its
        owner's statements that follow it with it."""
        tlp, shared = self.level(props.get("tlp"), props.get("sharedWith"))
        moved = [s.at_level(tlp or "", shared) if s.follows and s.owner == self.agency else s for s in stmts]
        return {**props, "tlp": tlp, "sharedWith": shared}, moved


def _most_specific(model: Model, labels: list[str]) -> str | None:
    known = [lb for lb in labels if lb in model.labels and not model.labels[lb].abstract]
    return max(known, key=lambda lb: len(model.labels[lb].ancestors), default=None)
