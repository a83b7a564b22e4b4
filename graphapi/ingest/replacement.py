"""A whole-source replace (``lintas load ... --replace``): the load is the source's complete new truth.

While the load runs, :class:`AssertedLog` remembers what it asserts: node ids, relationship ids
(by type) and, per statement (one source's values about one node, for one owner:
:mod:`graphapi.ingest.statements`), the ``(property, value)`` entries. Nothing is retracted then:
a load killed at any point (``kill -9``) has retracted nothing, and its rerun, a full reload as
every rerun is, retracts only once it has read and written everything.

When the load has closed, :func:`retract_unasserted` retracts what the same source (and owner, as
a DEL does) asserted before and this load did not:

- nodes and relationships that carry the source but were not asserted again go through
  :func:`graphapi.ingest.retraction.apply_retractions`, exactly as a DEL of each would: an item
  disappears only when no other source, owner or statement still asserts it, else the source is
  withdrawn from it; and the load's own victims' items its victim-blind loads were told created
  (``blindSaid``: :mod:`graphapi.ingest.blind_values`) lose the source there, so a guess said
  again is told created as a wrong one's would be;
- statements of the source about the nodes and relationships that remain: one this load did not
  make (a dataset that no longer speaks for the item) is deleted; one it made keeps only the
  values it asserted (``values_retracted`` counts the others). The values of every item the source
  still speaks for are then rebuilt from their statements
  (:func:`graphapi.ingest.statement_values.rebuild_values`,
  :func:`graphapi.ingest.relationship_values.rebuild_relationship_values`), so a value the source
  no longer gives (a transfer's amount it corrected) goes unless another source still asserts it;
  every one, not only those trimmed now, so a replace killed after trimming, before rebuilding,
  converges when run again (attack round 4, H2). Those whose statements it deletes or trims (and
  only those: attack round 44a, 4) are marked pending a rebuild before the first statement goes,
  so the next writer rebuilds them if this one is killed first
  (:mod:`graphapi.ingest.pending_retractions`).

A replace is all or nothing: a load with any rejected row retracts nothing (a row that could not be
read may be an item the source still asserts; bad input loses nothing), and says so. Run again
unchanged, a replace finds nothing left to retract: every count stays the same.

The memory cost is the load's own assertions (ids and value texts), kept until it closes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphapi.ingest.blind_diverted import entry_link, withdraw_entries
from graphapi.ingest.blind_kept_marks import keep_marks, kept_marks, still_standing
from graphapi.ingest.blind_replace import (
    fold,
    retract_shadowed,
    shadowed_links,
    tell_shadowed_nodes,
    unwritten_statements,
)
from graphapi.ingest.blind_values import source_agency
from graphapi.ingest.blind_withdrawn import unmarked, write_withdrawn
from graphapi.ingest.narrowing import narrow_valueless
from graphapi.ingest.referred_holds import hold_referred
from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.relevel import narrow_to_owner
from graphapi.ingest.retraction import Retractions, apply_retractions
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import Statement
from graphapi.ontology import Model, load_model
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


@dataclass
class AssertedLog:
    """What a replacing load asserted: node ids, relationship ids by type, statement entries by id."""

    nodes: set[str] = field(default_factory=set)
    relationships: dict[str, set[str]] = field(default_factory=dict)
    statements: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: ids the load only referred to (a link's end, a placeholder): they stay, holding no value of its
    references: set[str] = field(default_factory=set)
    #: relationships its owner's records said more narrowly than they are seen, by type: their level
    #: (owner, tlp, sharedWith), which one holding no value takes (graphapi.ingest.narrowing)
    levels: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def note_node(self, node_id: str, *, reference: bool = False) -> None:
        (self.references if reference else self.nodes).add(node_id)

    def note_relationship(self, rel_type: str, rel_id: str) -> None:
        self.relationships.setdefault(rel_type, set()).add(rel_id)

    def note_level(self, rel_type: str, rel_id: str, props: Mapping[str, Any]) -> None:
        self.levels.setdefault(rel_type, {})[rel_id] = {
            "owner": props.get("owner"), "tlp": props.get("tlp"), "sharedWith": props.get("sharedWith")}

    def note_statement(self, stmt: Statement) -> None:
        self.statements.setdefault(stmt.id, set()).update(stmt.entries)


async def retract_unasserted(store: GraphStore, asserted: AssertedLog, *, source: str, owner: str, scoped: bool,
                             batch_size: int = DEFAULT_BATCH_SIZE, model: Model | None = None,
                             before: Callable[[set[str]], None] | None = None, blind: bool = False) -> Retractions:
    """Retract what ``source`` (for ``owner``; ``scoped`` as for a DEL) asserted before and the
    closed load did not (``asserted``); returns the counts (see the module docstring). ``before``
    is told the items it withdraws statements from before it does (it may raise: a stuck pending
    mark stops the load, :func:`graphapi.ingest.pending_retractions.stop_at_stuck_marks`). A
    ``blind`` load's (victim-blind) keeps the victims' marks its source states (blind_kept_marks)."""
    check = before or (lambda ids: None)
    model = model or load_model()
    params = {"source": source, "owner": owner, "scoped": scoped}
    found = await store.read("ingest/source_node_ids", {**params, "agency": source_agency(source)})
    source_nodes = [r["id"] for r in found if r["stated"]]
    # the source's victim-blind loads were told these created (graphapi.ingest.blind_values): one
    # no longer stated is no longer said, as its statements go
    # (not one it was told of as what it is, before it was a victim's: it stays, as it would were
    # it not, and is told as what it is after: attack round a-65, 5c)
    stale_blind = [r for r in found if r["blind"] and not r["known"] and r["id"] not in asserted.nodes
                   and r["id"] not in asserted.references]
    unsaid_blind = unmarked(source, stale_blind)  # others of the agency said: their shadows lose it
    stale_nodes = [nid for nid in source_nodes if nid not in asserted.nodes and nid not in asserted.references]
    # of them, the guesses its blind loads were told of: told as their shadows say (blind_replace)
    shadowed_nodes = {r["id"]: str(r["shadow"]) for r in stale_blind if r.get("shadow") and r["id"] in stale_nodes}
    stale_nodes = [nid for nid in stale_nodes if nid not in shadowed_nodes]
    # ids the load only links to: the source no longer gives their record, only refers to them
    # (attack round 32: a replace whose v2 only linked to p-1 kept v1's name of her)
    referenced = [nid for nid in source_nodes if nid not in asserted.nodes and nid in asserted.references]
    # every item the source's statements are or were about is rebuilt, not only those trimmed
    # now: a run killed after trimming or deleting them, before rebuilding, converges when rerun
    touched: dict[str, dict[str, None]] = {"": dict.fromkeys(n for n in source_nodes if n in asserted.nodes)}
    stale_links: dict[tuple[str, str], list[str]] = {}
    links = await store.read("ingest/source_relationship_ids", params)
    # a load without victim-data never takes a victim's mark away: those links stay (a-84, 6)
    marked = await kept_marks(store, links, asserted.relationships, source=source, owner=owner, scoped=scoped,
                              batch_size=batch_size) if blind else {}
    links = [r for r in links if r["id"] not in marked.get(r["type"], ())]
    # its blind loads' links with an end of their victims' items: told as their shadows say (blind_replace)
    shadowed = shadowed_links(links, asserted.relationships, source)
    for r in links:
        if (r["type"] in shadowed and r["id"] in shadowed[r["type"]]) or not r["stated"]:
            continue
        if r["id"] not in asserted.relationships.get(r["type"], ()):
            stale_links.setdefault((r["type"], source), []).append(r["id"])
        else:
            touched.setdefault(r["type"], {})[r["id"]] = None
    check({*stale_nodes, *(i for ids in stale_links.values() for i in ids),
           *(i for ids in shadowed.values() for i in ids)})

    async def retract(nodes: dict[str, list[str]], links: dict[tuple[str, str], list[str]]) -> Retractions:
        return await apply_retractions(store, nodes, links, owner=owner, scoped=scoped, batch_size=batch_size,
                                       model=model)
    told = await retract_shadowed(store, shadowed, source, lambda links: retract({}, links), batch_size,
                                  unwritten_statements(model, links, source))
    out = fold(told, await retract({source: stale_nodes} if stale_nodes else {}, stale_links))  # nodes after
    if marked:  # one gone with its end was told with it; its statements go as the others'
        marked = await still_standing(store, marked, batch_size)
    if marked:
        out = fold(out, await keep_marks(store, model, marked, source, batch_size))
    if shadowed_nodes:
        out = fold(out, tell_shadowed_nodes(await retract({source: sorted(shadowed_nodes)}, {}), shadowed_nodes,
                                            source))
    for i in range(0, len(unsaid_blind), batch_size):
        await store.write("ingest/remove_blind_said", {"ids": unsaid_blind[i:i + batch_size], "source": source,
                                                       "agency": source_agency(source)})
    await write_withdrawn(store, source, stale_blind, batch_size)
    # its blind loads' links to their victims' quarantined identifiers, kept out (blind_diverted):
    # one no longer stated is told deleted, as the link would have been
    stated_links = {i for ids in asserted.relationships.values() for i in ids}
    out.relationships_deleted += await withdraw_entries(store, {r["id"]: [(e, source) for e in r["diverted"] or ()
                                                                          if entry_link(e)[1] not in stated_links]
                                                                for r in found}, batch_size)
    gone: list[str] = []
    unsaid: dict[tuple[str, str], list[str]] = {}  # (type or "", dataset) -> items it no longer speaks for
    trimmed: list[dict] = []
    emptied: set[str] = set()  # items a statement of the source goes from; rebuilt even with none left
    changed: dict[str, dict[str, None]] = {}  # items whose statements go or lose values: marked
    for row in await store.read("provenance/source_statements", params):
        said = asserted.statements.get(row["id"])
        stmt = Statement.from_props(row["props"])
        if stmt.entity in marked.get(stmt.type, ()):
            continue  # a victim's mark, kept whole
        touched.setdefault(stmt.type, {})[stmt.entity] = None
        if said is None:
            changed.setdefault(stmt.type, {})[stmt.entity] = None
            gone.append(row["id"])
            if stmt.entity in (asserted.relationships.get(stmt.type, ()) if stmt.type else asserted.nodes):
                emptied.add(stmt.entity)  # said again, with no value
            elif not stmt.type:  # only referred to now: none of its values stay with no statement left,
                emptied.add(stmt.entity)  # whatever source remains (attack round a-102, 2)
            if stmt.source != source:
                unsaid.setdefault((stmt.type, stmt.source), []).append(stmt.entity)
        else:
            kept = {k: v for k, v in stmt.entries.items() if k in said}
            if len(kept) == len(stmt.entries):
                continue
            out.values_retracted += len(stmt.entries) - len(kept)
            changed.setdefault(stmt.type, {})[stmt.entity] = None
            if not kept:  # cannot happen for a statement the load made; kept for safety
                gone.append(row["id"])
            else:
                stmt.entries = kept
                trimmed.append(stmt.row(row["id"]))
    # marked before the first statement goes: killed before the rebuild below, the next writer
    # rebuilds them (graphapi.ingest.pending_retractions; attack round 23, C5). Only the items
    # whose statements change: a stuck mark stops every load naming its items, and one naming all
    # the source's items stopped every agency linking to any item of the feed (attack round 44a, 4).
    # The others' values are as their statements give them already; the rerun rebuilds them all.
    check({i for ids in changed.values() for i in ids})
    marks, mark_of = await _mark_rebuild(store, changed, emptied, owner, batch_size, set(referenced), source)
    for i in range(0, len(gone), batch_size):
        out.statements_retracted += len(await store.write("provenance/delete_statements",
                                                          {"ids": gone[i:i + batch_size]}))
    for (rel_type, dataset), ids in unsaid.items():  # withdrawn from `sources` too, or the rebuild would wait for it
        for i in range(0, len(ids), batch_size):
            chunk = {"ids": ids[i:i + batch_size], "source": dataset, "owner": owner, "scoped": scoped, "reowned": None}
            if rel_type:
                await store.write("ingest/retract_relationships", chunk, type=rel_type)
            else:
                await store.write("ingest/retract_nodes", chunk)
    if trimmed:
        await store.write_batches("provenance/write_statements", trimmed, batch_size)
    # an item the source says again with no value keeps no statement of it: rebuilt with none left
    # (attack round 34, 2: v2's Membership without its role kept v1's role). Those whose last
    # statement went now (emptied), and every one no other source holds (unasserted), so a rerun
    # after a kill between the delete and the rebuild converges too.
    nodes = touched.pop("", None)
    if nodes:
        await rebuild_values(store, model, list(nodes), batch_size, retracted=nodes, withdrawn=source,
                             emptied=emptied)
        out.nodes_narrowed.update(await narrow_to_owner(store, model, "", list(nodes), batch_size))
    if touched:  # relationships: their values rebuilt the same way
        await rebuild_relationship_values(store, model, {t: list(ids) for t, ids in touched.items()}, batch_size,
                                          retracted=_all(touched), withdrawn=source, emptied=emptied)
        for rel_type, ids in touched.items():
            out.relationships_narrowed.update(await narrow_to_owner(store, model, rel_type, list(ids), batch_size))
    if asserted.levels:  # those holding no value have no statement to narrow to: to the records' level
        out.relationships_narrowed.update(await narrow_valueless(store, asserted.levels, source, batch_size))
    if referenced:  # checked by the breaker as a DEL's re-owns are
        await _unsay_referenced(store, model, out, referenced, source, batch_size, emptied, mark_of, owner)
    for mark in marks:
        await store.write("ingest/clear_pending_retraction", {"id": mark})
    return out


async def _unsay_referenced(store: GraphStore, model: Model, out: Retractions, ids: list[str], source: str,
                            batch_size: int, emptied: set[str], mark_of: Mapping[str, str], owner: str) -> None:
    """Nodes ``ids`` the replace only referred to lose the values its source's old record gave
    (its statement went above), as a DEL of the record that leaves its links would: rebuilt from
    the statements left, none when ``source`` was their only one; then one left with no statement
    is held as its links' placeholder (``unresolved``, as a fresh load of the new version leaves
    it) and one only narrower statements hold is re-owned at the widest (graphapi.ingest.relevel).
    Re-owned, it may be seen by an agency that did not see it (VN-MPS's AMBER statement shared with
    TH-DSI on KH-NP's node: TH-DSI saw 6 holders of 5, unmarked, b-fix60): kept on ``out`` for the
    breaker's check, the identifiers it links to through links a gaining agency sees noted before
    relevel's write (a kill, then the next writer's recount); never through one no gaining agency
    sees, whose presence the replace's writes told KH-NP (attack round a-95, 1). Those whose
    statements it took now (``emptied``) are held with none left whatever source remains (a-102, 2).
    What it re-owns goes on the rebuild mark of its id (``mark_of``, of ``owner``) by the same write:
    killed before the withdrawal, the mark's finish withdraws ``source`` from them (a-103, 3)."""
    said, unstated = set(ids), emptied & set(ids)
    await rebuild_values(store, model, ids, batch_size, retracted=said, withdrawn=source, emptied=unstated)
    for mark, group in _by_mark(ids, mark_of).items():  # each group's re-owns kept on its own mark
        await hold_referred(store, model, out, group, source, batch_size, emptied=unstated & set(group), mark=mark,
                            owner=owner)


def _all(touched: dict[str, dict[str, None]]) -> set[str]:
    return {i for ids in touched.values() for i in ids}


def _by_mark(ids: list[str], mark_of: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for nid in ids:
        out.setdefault(mark_of.get(nid, ""), []).append(nid)
    return out


async def _mark_rebuild(store: GraphStore, changed: dict[str, dict[str, None]], emptied: set[str], owner: str,
                        batch_size: int, referred: set[str] = frozenset(), referrer: str = ""
                        ) -> tuple[list[str], dict[str, str]]:
    """Mark the items ``changed`` (type, "" for nodes -> ids) pending a rebuild, those ``emptied``
    to be rebuilt even with no statement left, the nodes ``referred`` (the replace of ``referrer``
    only refers to them now) to be held or re-owned after (their finish: :mod:`graphapi.ingest.
    pending_retractions`; killed after the delete, a rerun no longer finds them stated: a-103, 2);
    returns the marks and the mark of each referred node."""
    marks, mark_of = [], {}
    for rel_type, ids in changed.items():
        listed = list(ids)
        for i in range(0, len(listed), batch_size):
            chunk = listed[i:i + batch_size]
            marks.append(uuid.uuid4().hex)
            held = [x for x in chunk if x in referred] if not rel_type else []
            mark_of.update(dict.fromkeys(held, marks[-1]))
            await store.write("ingest/mark_rebuild", {"mark": marks[-1], "type": rel_type, "ids": chunk,
                                                      "said": [x for x in chunk if x in emptied], "owner": owner,
                                                      "referred": held, "referrer": referrer if held else ""})
    return marks, mark_of
