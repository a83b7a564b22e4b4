"""The records one row of a mapped CSV file makes (:class:`RowMaker`): its entities, each
remembered by the cells it reads (:mod:`.entity_memo`), and the relationships between them, or
the one :class:`Rejection` of the row; the rules are in :mod:`.mapped_csv`'s docstring.

Everything a row needs from the mapping and the ontology is compiled once, in the constructor;
:meth:`RowMaker.make` runs for every row of a feed (issue 13 bounds the reader at 20 µs a row),
so it does per row only what depends on the row.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graphapi.ingest.guard import Exclusions
from graphapi.ingest.identity.banks import BANK_WITHOUT_BIC
from graphapi.ingest.mapping.column_types import column_types
from graphapi.ingest.mapping.model import Mapping
from graphapi.ingest.mapping.order import check_order, compile_order
from graphapi.ingest.mapping.places import place_entities, unknown_place
from graphapi.ingest.mapping.plan import _entity_plan, _relationship_plan, _RelationshipPlan
from graphapi.ingest.mapping.templates import _template_gap
from graphapi.ingest.mapping.values import _BadValue, _compile_hints
from graphapi.ingest.readers.base import MAX_VALUES_PER_RECORD, Item, ReadStats, too_many_values
from graphapi.ingest.readers.entity_memo import EntityMemo, own_copy
from graphapi.ingest.readers.mapped_fill import fill, keep_as_text, key_columns, memo_columns, steps, unusable_key
from graphapi.ingest.readers.mapped_header import as_row
from graphapi.ingest.readers.mapped_placeholders import Placeholders
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection, edge_record, node_record
from graphapi.ontology import OntologyError
from graphapi.ontology.ids import canonical_id
from graphapi.ontology.model import Model


class RowMaker:
    """``make(row, origin)``: the records a row of ``mapping`` makes, or its :class:`Rejection`.
    ``model`` (the ontology's) makes the node and relationship ids; warnings go to ``stats``."""

    def __init__(self, mapping: Mapping, model: Model, stats: ReadStats, exclusions: Exclusions) -> None:
        self.model = model
        self.stats = stats
        #: the column names of the file being read (its header), set by the reader per file
        self.fields: list[str] = []
        # placeholder identifiers (seed/exclusions and LINTAS_EXCLUSIONS unless given): an event
        # with such an end is rejected here, with its row, rather than made text by the guard
        self._placeholder = Placeholders(exclusions, model)
        # the mapping's hints (constant unless read from a column) and per entity / relationship a
        # getter per mapped property, so no row re-reads a spec
        hints = mapping.doc.get("hints") or {}
        self._hints = _compile_hints(hints, {})
        fixed = self._hints if isinstance(self._hints, tuple) else None
        self._fixed_hints = fixed
        types = column_types(mapping.doc, model)  # a condition's NA in a country column is Namibia
        self._entity_plans = [_entity_plan(ename, spec, model.label(spec["label"]), hints, fixed, types)
                              for ename, spec in mapping.entities.items()]
        self._relationship_plans = [_relationship_plan(rel, model.relationship(rel["type"]), hints, fixed, types)
                                    for rel in mapping.relationships]
        self._any_required = any(rel.required for rel in self._relationship_plans)
        # per entity, what it made of the cells it reads (not when the mapping's hints read a column)
        memos = [EntityMemo(memo_columns(spec) if fixed is not None else None) for spec in mapping.entities.values()]
        self._entities = [(ent, memo, steps(ent.properties)) for ent, memo in zip(self._entity_plans, memos,
                                                                                    strict=True)]
        self._relationships = [(rel, steps(rel.properties)) for rel in self._relationship_plans]
        # per entity, the (column, type) of its key properties read from a column: a required one
        # whose key does not clean is rejected naming the column and its value
        self._key_columns = {name: key_columns(spec, model.label(spec["label"]))
                             for name, spec in mapping.entities.items()}
        # entities whose id resolves a place through a gazetteer: an id it does not know is flagged
        self._places = place_entities(mapping.entities)
        self._unknown_places: set[str] = set()
        # date order rules (``order:``): a row's dates in an impossible order are rejected or flagged
        self._order = compile_order(mapping.doc, model)
        # Only a list (a split column, a flag of a date order) can make a record of too many values:
        # a mapping with no multiple property and no order rule counts a row's values only when
        # it keeps a value as text (identifiers)
        self._lists = bool(self._order) or any(
            _may_hold_lists(ent.properties, model.label(ent.label).properties) for ent in self._entity_plans) or any(
            _may_hold_lists(rel.properties, model.relationship(rel.type).properties)
            for rel in self._relationship_plans)

    def make(self, row: dict[str, Any], o: Origin, given: list[str] | None = None) -> list[Item] | Rejection:
        """The records ``row`` makes, or the :class:`Rejection` of it; ``given``: the row's cells as
        the file has them (under :attr:`fields`), when ``row`` was refined (a rejection shows the
        value the file holds)."""
        hints = self._fixed_hints if self._fixed_hints is not None else self._hints(row)
        nodes: dict[str, NodeRecord] = {}
        unusable: dict[str, str] = {}  # entity name -> "Label:raw value" that did not clean
        # A column whose value fills no property it is mapped to is an invalid value (a column
        # may feed several on purpose, e.g. an account number that may or may not be an IBAN).
        used: set[str] = set()
        failed: dict[str, str] = {}
        for ent, memo, plan in self._entities:
            if ent.when is not None and not ent.when(row):
                continue  # not this row's: e.g. a wallet, not an account, when the row says so
            key = None
            if memo.columns is not None:  # EntityMemo.key and .get, inline: they run for every row
                key = row.get(memo.one) if memo.one is not None else tuple(map(row.get, memo.columns))
                if key is not None:
                    got = memo.results.get(key)
                    if got is not None:  # made of the same cells before: the same node
                        memo.hits += 1
                        node_id, props, was_used, was_failed, lists = got
                        used.update(was_used)
                        for column, what in was_failed:
                            failed.setdefault(column, what)
                        nodes[ent.name] = node_record(ent.label, node_id, own_copy(props, lists) if lists
                                                      else props.copy(), o)
                        continue
                    memo.missed()
            ent_used: set[str] = set()  # what this entity marks on the row, remembered with it
            ent_failed: dict[str, str] = {}
            try:
                props = fill(row, hints, plan, ent_used, ent_failed)
            except _BadValue as exc:
                return Rejection(o.file, o.line, str(exc), dict(row))
            used.update(ent_used)
            for column, what in ent_failed.items():
                failed.setdefault(column, what)
            try:
                if ent.id is not None:
                    node_id = ent.id(row, hints)
                    if not node_id:
                        raise OntologyError("no id")
                    node_id = canonical_id(node_id, "id")  # InvalidId: a control character, too long
                else:
                    node_id = self.model.node_id(ent.label, props)
            except OntologyError as exc:
                if ent.required:
                    gap = _template_gap(ent.key_templates, row)
                    why = f"{exc}: {gap}" if gap else str(exc)
                    as_given = as_row(self.fields, given) if given is not None else row
                    if not gap and (bad := unusable_key(as_given, self._key_columns[ent.name])):
                        why = f"{why}: {bad}"  # which value of which column, as other rejects say
                    return Rejection(o.file, o.line, f"{ent.name} ({ent.label}): {why}", dict(row))
                keep_as_text(row, ent, unusable)
                continue
            if not ent.needs.keys() <= props.keys():
                missing = [name for name in ent.needs if name not in props]
                if ent.required:
                    return Rejection(o.file, o.line, f"{ent.name} ({ent.label}) lacks {missing}", dict(row))
                keep_as_text(row, ent, unusable)
                continue
            if self._places and ent.name in self._places and node_id not in self._places[ent.name]:
                props["unresolvedPlace"] = True  # a place the gazetteer does not know: for review
                if node_id not in self._unknown_places:  # said once per place
                    self._unknown_places.add(node_id)
                    self.stats.warnings.append(unknown_place(ent.label, node_id, props.get("name"), o, row))
            if key is not None:
                memo.put(key, node_id, props, ent_used, ent_failed)
            nodes[ent.name] = node_record(ent.label, node_id, props, o)
        if unusable:
            for rel in self._relationship_plans:
                # an identifier that did not clean ("N/A", "0", a cut number) is kept as text on the
                # entity it would have linked to, never as a node
                a, b = nodes.get(rel.start), nodes.get(rel.end)
                for present, absent in ((a, rel.end), (b, rel.start)):
                    if present is not None and absent in unusable and (rel.when is None or rel.when(row)):
                        present.properties.setdefault("identifiers", []).append(unusable[absent])
        out: list[Item] = list(nodes.values())
        lost: list[tuple[str, str]] = []  # (type, reason) of events not made for want of a usable end
        known = self._placeholder.known
        for rel, plan in self._relationships:
            a, b = nodes.get(rel.start), nodes.get(rel.end)
            if rel.when is not None and not rel.when(row):
                continue
            # an event between two ends known not to be placeholders (the common case) is made
            if rel.event and (a is None or b is None or known.get(a.id) is not False
                              or known.get(b.id) is not False):
                why = self._unusable_end(rel, a, b, unusable)
                if why:
                    lost.append((rel.type, f"{rel.type} {rel.start} -> {rel.end} not made: {why}"))
                    continue
            if a is None or b is None:
                continue
            try:
                props = fill(row, hints, plan, used, failed)
            except _BadValue as exc:
                return _said(Rejection(o.file, o.line, str(exc), dict(row)), out, self._drawn(rel, a, b, row, o))
            if rel.needs and not props.keys() >= set(rel.needs):  # a transfer without an amount
                missing = [n for n in rel.needs if n not in props]
                refused = [f"{what} in column {c!r}" for c, what in failed.items()
                           if what.startswith(f"{rel.type}.{missing[0]}:")]  # a negative amount
                why = refused[0] if refused else f"{rel.type} {rel.start} -> {rel.end} lacks {missing}"
                return _said(Rejection(o.file, o.line, why, dict(row)), out, self._drawn(rel, a, b, row, o))
            key = ""
            if rel.key_of is not None:
                key = rel.key_of(row)
                if key is None:
                    gap = _template_gap((rel.key,), row) or "it is empty"
                    return _said(Rejection(o.file, o.line, f"{rel.type} {rel.start} -> {rel.end}: no key "
                                           f"{rel.key!r}: {gap}", dict(row)), out)
            rid = self.model.relationship_id(rel.type, a.id, b.id, key)
            out.append(edge_record(rel.type, rid, a.id, b.id, props, o))
        if failed:
            for column, what in failed.items():
                if column not in used:
                    return _said(Rejection(o.file, o.line, f"{what} in column {column!r}", dict(row)), out)
        for rel_type, why in lost:  # unless made to another end: a transfer to a wallet, not an account
            if not any(isinstance(r, EdgeRecord) and r.type == rel_type for r in out):
                return _said(Rejection(o.file, o.line, why, dict(row)), out)
        missing_rel = self._required_not_made(row, nodes, out) if self._any_required else ""
        if missing_rel:
            return _said(Rejection(o.file, o.line, missing_rel, dict(row)), out)
        if self._order and (why := check_order(self._order, nodes, out)):
            return _said(Rejection(o.file, o.line, why, dict(row)), out)
        if self._lists or unusable:
            for rec in out:  # a split column can make thousands of values of one cell
                if (why := too_many_values(rec.properties)) is not None:
                    what = rec.label if isinstance(rec, NodeRecord) else rec.type
                    return _said(Rejection(o.file, o.line, f"{what}: {why}", dict(row)), out)
        return out

    def _drawn(self, rel: _RelationshipPlan, a: NodeRecord, b: NodeRecord, row: dict[str, Any],
               o: Origin) -> EdgeRecord | None:
        """The relationship ``rel`` a rejected row names between ``a`` and ``b``, without its values
        (:func:`_said`), or None when its id is not known (a key that gives no value)."""
        key = rel.key_of(row) if rel.key_of is not None else ""
        if key is None:
            return None
        return edge_record(rel.type, self.model.relationship_id(rel.type, a.id, b.id, key), a.id, b.id, {}, o)

    def _required_not_made(self, row: dict[str, Any], nodes: dict[str, NodeRecord], out: list[Item]) -> str:
        """Why the row lacks a relationship its mapping marks ``required`` (a transfer with neither
        a to-account nor a wallet), "" if every required type was made (to one of its ends)."""
        made = {r.type for r in out if isinstance(r, EdgeRecord)}
        wanted = [rel for rel in self._relationship_plans
                  if rel.required and rel.type not in made and (rel.when is None or rel.when(row))]
        if not wanted:
            return ""
        ends = sorted({name for rel in wanted for name in (rel.start, rel.end) if name not in nodes})
        return f"no {wanted[0].type} made: the row has no {' or '.join(ends)}"

    def _unusable_end(self, rel: _RelationshipPlan, a: NodeRecord | None, b: NodeRecord | None,
                      unusable: dict[str, str]) -> str:
        """Why the event ``rel`` cannot be written between ``a`` and ``b`` (either may be None: an
        entity this row did not make): an end whose value did not clean (in ``unusable``), or an
        identifier the identifier guard would not write (a placeholder: ``0``, ``N/A``, a
        hotline); "" if none, or if an end is simply absent."""
        for node, name in ((a, rel.start), (b, rel.end)):
            if node is None:
                if name in unusable:
                    return f"{name} is unusable ({unusable[name]})"
            elif self._placeholder(node):
                return f"{name} is a placeholder ({node.label}:{node.id.split(':', 1)[-1]})"
        return ""


def _said(rej: Rejection, out: list[Item], also: EdgeRecord | None = None) -> Rejection:
    """``rej`` with the relationships its row named before it was rejected (``Rejection.links``),
    none of their values kept: loaded nowhere, they keep the load's agency's echo of each no wider
    (attack round 51, 1). A row rejected before its relationships are made (a value of one of its
    entities, which may be its id) names none."""
    links = tuple(edge_record(r.type, r.id, r.start, r.end, {}, r.origin) for r in out if type(r) is EdgeRecord)
    links += (also,) if also is not None else ()
    return dataclasses.replace(rej, links=links) if links else rej


def _may_hold_lists(plan: tuple[Any, ...], properties: dict[str, Any]) -> bool:
    """True if a record made by ``plan`` (property plans over the ontology's ``properties``) may
    hold a list, or more values than a record may have without one (a property the ontology does
    not know is counted as one that may; an account's bank without a bic is one value, never stored)."""
    return len(plan) + 2 > MAX_VALUES_PER_RECORD or any(  # + unresolvedPlace and identifiers
        p.name != BANK_WITHOUT_BIC and (p.name not in properties or properties[p.name].multiple) for p in plan)
