"""What an item's fields become from its statements (:mod:`graphapi.ingest.statement_store` writes
them, :mod:`graphapi.ingest.statements` holds the pure rules).

- :func:`asserted_values` is the rule both kinds of item are rebuilt by
  (:mod:`graphapi.ingest.relationship_values` for relationships).
- :func:`rebuild_values` sets a node's values from its statements after a DEL or MOD: a value
  stays only while a statement asserts it, and only statements seen at least as widely as the
  node feed its ordinary fields (another agency's AMBER statement never shows on a GREEN node;
  :func:`values` shows it to those who may see it). A node with no statement at all (written
  before the statement model) is left as it is, unless a DEL just took its last statement
  (``emptied``: whatever source remains, attack round a-102, 2; or ``retracted`` with no other
  source, :func:`graphapi.ingest.statements.unasserted`); its first and last seen
  are those of the statements that feed its fields; one with any is rebuilt from its statements
  alone, even if some of its sources have none (a placeholder's, which asserted no value, or one
  written before the model, whose values then go: attack round 4, H5).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphapi.ingest.derive import derived_properties
from graphapi.ingest.merge import conflict_entry, union
from graphapi.ingest.statements import (
    Statement,
    asserted_properties,
    unasserted,
    value_of,
)
from graphapi.ingest.write_rules import _specific
from graphapi.ontology import Label, Model
from graphapi.ontology.model import Property
from graphapi.ontology.tlp import audience, item_audience, reaches_all
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

if TYPE_CHECKING:  # replacement imports this module
    pass


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
    node_sees = item_audience(props)
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
                         retracted: Collection[str] = (), withdrawn: str = "",
                         emptied: Collection[str] = ()) -> int:
    """Set the values of nodes ``ids`` from their remaining statements (after a DEL or a MOD);
    returns how many nodes changed. ``at_level``: the values the nodes will have once their owner
    has shared them (:class:`LevelChange`), written while they are still seen as narrowly as
    now, so a share cut short never shows the new agencies what the old level let its fields
    hold (attack round 6, G5). ``levels``: the same for nodes an owner's record widens (id ->
    ``tlp`` and ``sharedWith`` to come). ``retracted``: nodes whose statements a DEL of source
    ``withdrawn`` has just deleted, rebuilt even with none left when no other source remains in
    their ``sources`` (nothing asserts their values now: attack round 23, C1; one left with another
    source and no statement holds values written before the statement model, kept). ``emptied``:
    nodes a replace just took their last statement from, though it says them again (with no
    value): rebuilt with none left whatever other source remains, as their values came from
    statements, not from before the model (attack round 34, 2)."""
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
            if props.get("unresolved") or (not stmts and nid not in emptied
                                           and not unasserted(nid, props, retracted, withdrawn)):
                continue  # a placeholder, or a node written before the statement model
            label = _specific(model, node["labels"] or [])  # in no store's order
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

