"""The batched writer: node and edge records -> ``UNWIND ... MERGE`` batches on a ``GraphStore``.

Per batch the writer asks the store which node records change nothing, or only add their
source (``ingest/node_probe``, :mod:`graphapi.ingest.stored_state`), reads the stored state of
the others (``ingest/existing_nodes``), merges the new records into it with the provenance rules of
:mod:`graphapi.ingest.merge`, derives ``caption`` and the search fields from the ontology, and writes
the complete result with ``ingest/create_nodes`` / ``ingest/update_nodes`` / ``ingest/merge_nodes``.
Relationships not seen this run go to ``ingest/add_relationships`` in one round trip (new ones
are created, stored ones come back and are merged, then written with
``ingest/merge_relationships`` if that changes anything; one that repeats only stored values
comes back as ``same``, without its properties). Labels and types are spliced only
through checked placeholders.

Because every write is a MERGE by id of a fully merged state, loading the same records twice
changes no count, and a load killed at any point and run again converges to the same graph
(each UNWIND batch is one transaction; earlier batches are simply merged again).

Nodes are always flushed before the edges that follow them in the stream, so an edge's endpoints
exist when it is written. An edge whose endpoint is still missing at the end of the run is not
created and is reported in :attr:`WriteCounts.dangling`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphapi.ingest.derive import derived_properties
from graphapi.ingest.merge import merge_properties
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ingest.retraction import apply_retractions
from graphapi.ingest.statement_store import StatementLog, rebuild_values
from graphapi.ingest.statements import Statement
from graphapi.ingest.stored_state import lists_hold_lists, read_stored_nodes
from graphapi.ontology import ENTITY, TLP_LEVELS, Model, OntologyError, load_model
from graphapi.ontology.tlp import audience, visible_to
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

Record = NodeRecord | EdgeRecord


def utc_now() -> str:
    """The current instant as ISO 8601 UTC, second precision, no offset suffix (the
    ``datetime`` type's canonical form, so provenance and event times compare as strings)."""
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Provenance:
    """Defaults stamped on every node and relationship a load writes.

    ``owner``: agency id; ``tlp``: TLP 2.0 level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED);
    ``shared_with``: agency ids; ``seen``: ISO 8601 UTC instant used as firstSeen/lastSeen when a
    record brings none (defaults to the start of the load). A record's own ``owner``, ``tlp``,
    ``sharedWith``, ``firstSeen``, ``lastSeen`` properties win over these.
    """

    owner: str = "lintas"
    tlp: str = "AMBER"
    shared_with: tuple[str, ...] = ()
    seen: str | None = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if not self.seen:
            object.__setattr__(self, "seen", utc_now())
        if self.tlp not in TLP_LEVELS:
            raise ValueError(f"tlp must be one of {TLP_LEVELS}, got {self.tlp!r}")


@dataclass
class WriteCounts:
    """What a load wrote. ``*_written``: records sent (after de-duplication by id);
    ``*_created``: ids that did not exist before; ``conflicts``: disagreeing values recorded;
    ``dangling``: edge ids not created because an endpoint is missing (or one the viewer may not
    see); ``*_deleted`` / ``*_retracted``: what delta DELs deleted, and the items they left with
    the load's source withdrawn (:mod:`graphapi.ingest.retraction`); ``statements_written`` /
    ``statements_retracted``: per-value provenance statements written and deleted
    (:mod:`graphapi.ingest.statements`); ``rejected``: edges the
    ontology does not allow between their endpoint labels, and records refused because they would
    merge into an item the viewer may not see (``restricted`` counts those), and nodes refused
    for a label conflict (``rows_rejected`` counts their rows: a row reject, not a relationship's)."""

    nodes_written: int = 0
    nodes_created: int = 0
    relationships_written: int = 0
    relationships_created: int = 0
    conflicts: int = 0
    nodes_deleted: int = 0
    nodes_retracted: int = 0
    relationships_deleted: int = 0
    relationships_retracted: int = 0
    statements_written: int = 0
    statements_retracted: int = 0
    batches: int = 0
    dangling: list[EdgeRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    restricted: int = 0
    rows_rejected: int = 0
    quarantined: list[str] = field(default_factory=list)
    #: (id, owner agency) of each refusal as ``restricted``: hits the owner's audit trail gets
    hits: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: WriteCounts) -> None:
        """Accumulate ``other`` into this one."""
        self.nodes_written += other.nodes_written
        self.nodes_created += other.nodes_created
        self.relationships_written += other.relationships_written
        self.relationships_created += other.relationships_created
        self.conflicts += other.conflicts
        self.nodes_deleted += other.nodes_deleted
        self.relationships_deleted += other.relationships_deleted
        self.nodes_retracted += other.nodes_retracted
        self.relationships_retracted += other.relationships_retracted
        self.statements_written += other.statements_written
        self.statements_retracted += other.statements_retracted
        self.batches += other.batches
        self.dangling.extend(other.dangling)
        self.rejected.extend(other.rejected)
        self.restricted += other.restricted
        self.rows_rejected += other.rows_rejected
        self.quarantined.extend(other.quarantined)
        self.hits.extend(other.hits)


def _stamp(props: dict[str, Any], source: str, prov: Provenance) -> dict[str, Any]:
    out = {k: v for k, v in props.items() if v is not None and v != [] and v != ""}
    out["sources"] = list(dict.fromkeys([*(out.get("sources") or []), source]))
    out.setdefault("firstSeen", prov.seen)
    out.setdefault("lastSeen", out["firstSeen"] if "firstSeen" in props else prov.seen)
    out.setdefault("owner", prov.owner)
    out.setdefault("tlp", prov.tlp)
    if prov.shared_with and "sharedWith" not in out:
        out["sharedWith"] = list(prov.shared_with)
    return out


def covered(new: dict[str, Any], known: dict[str, Any], multiple: frozenset[str]) -> bool:
    """True if merging ``new`` into ``known`` would change nothing (values equal or contained,
    ``firstSeen`` not earlier, ``lastSeen`` not later)."""
    for k, v in new.items():
        have = known.get(k)
        if k == "firstSeen":
            if have is None or v < have:
                return False
        elif k == "lastSeen":
            if have is None or v > have:
                return False
        elif k in multiple:
            vals = v if isinstance(v, list) else [v]
            if not isinstance(have, list) or any(x not in have for x in vals):
                return False
        elif have != v:
            return False
    return True


@dataclass(frozen=True)
class Correlation:
    """The circuit breaker's policy for the writer: ``linking`` relationship types, which labels
    are identifiers (``is_identifier``), and the ``limit`` of distinct linked entities
    (``graphapi.ingest.guard``, ``seed/exclusions/``)."""

    linking: frozenset[str]
    is_identifier: Callable[[str], bool]
    limit: int


#: Properties that say where a record came from rather than what it says.
_PROVENANCE_KEYS = frozenset({"sources", "firstSeen", "lastSeen", "owner", "tlp", "sharedWith", "recordId",
                              "unresolved", "conflicts"})


def _adds_values(new: dict[str, Any], old: dict[str, Any], multiple: frozenset[str]) -> bool:
    """True if record properties ``new`` say anything the stored ``old`` does not (provenance aside)."""
    said = {k: v for k, v in new.items() if k not in _PROVENANCE_KEYS and v is not None}
    return not covered(said, old, multiple)


def _strictness(tlp: Any) -> int:
    """Rank of a TLP level, least restricted first; an item without one counts as RED."""
    return TLP_LEVELS.index(tlp) if tlp in TLP_LEVELS else len(TLP_LEVELS) - 1


def _restricted(item_id: str, props: dict[str, Any]) -> str:
    """The reason given for a record that would merge into an item its agency may not see: a hit
    in the sense of DESIGN.md's hit / no-hit rule (a restricted match exists, and whose it is)."""
    return (f"restricted: {item_id} is held by {props.get('owner') or 'another agency'} at a level your "
            "agency may not see; not merged (request access from the owner)")


def _row(origin: Origin | None) -> tuple[str, str, int]:
    """The row a record comes from, ``(source, file, line)``; an empty one without an origin."""
    return (origin.source, origin.file, origin.line) if origin is not None else ("", "", 0)


def _specific(model: Model, labels: Iterable[str]) -> str | None:
    best: str | None = None
    for name in labels:
        lb = model.labels.get(name)
        if lb is None or lb.abstract:
            continue
        if best is None or len(lb.ancestors) > len(model.labels[best].ancestors):
            best = name
    return best


class Writer:
    """Buffers records and writes them in batches; use :func:`write_records` for one call.

    ``source`` is used when a record has no ``origin``. ``viewer``: the agency the load runs for
    (``None`` for an operator's own load); its records are refused (``counts.rejected``,
    ``counts.restricted``) where they would merge into a stored node or relationship that agency
    may not see (TLP, :mod:`graphapi.ontology.tlp`), and an endpoint it may not see counts as
    missing, exactly as a node that does not exist. Not safe for concurrent use by several tasks;
    run one writer per load.
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        provenance: Provenance | None = None,
        source: str = "unknown",
        model: Model | None = None,
        cache_size: int = 200_000,
        viewer: str | None = None,
        correlation: Correlation | None = None,
    ) -> None:
        self.store = store
        self.correlation = correlation
        # The agency a load runs for (HTTP jobs, the ingest mutation); None for an operator's
        # own load. A viewer's records never merge into, nor link to, what it may not see.
        self.viewer = viewer
        self._node_origin: dict[str, Origin | None] = {}
        self.batch_size = max(1, batch_size)
        self.prov = provenance or Provenance()
        self.source = source
        self.model = model or load_model()
        self.counts = WriteCounts()
        self.statements = StatementLog(self.model, cache_size)  # who asserted each value
        self._nodes: dict[str, tuple[str, dict[str, Any]]] = {}
        self._edges: dict[str, dict[str, EdgeRecord]] = {}
        self._edge_props: dict[str, dict[str, Any]] = {}
        self._n_edges = 0
        self._labels: dict[str, str] = {}  # node id -> most specific label written this run
        self._known: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> state written this run
        self._known_edges: dict[str, dict[str, Any]] = {}
        self._allowed: dict[tuple[str, str, str], bool] = {}
        self.cache_size = cache_size
        self._deferred: list[EdgeRecord] = []
        self._deferred_props: dict[str, dict[str, Any]] = {}
        self._text_links: list[NodeRecord] = []  # links diverted from quarantined identifiers
        # rows refused for a label conflict, (source, file, line): their other records are not written
        self._refused_rows: set[tuple[str, str, int]] = set()
        self._replace: set[str] = set()  # ids whose buffered record replaces its own source's
        self._delete_nodes: dict[str, dict[str, None]] = {}  # source -> ids (ordered)
        self._delete_edges: dict[tuple[str, str], dict[str, None]] = {}  # (type, source) -> ids
        # One flush may run in the background while records keep coming (store and Python
        # overlap); flushes still run one at a time, in order. Off once a replace or delete
        # record is seen: those change what a running flush decides.
        self._pending: asyncio.Future[None] | None = None
        self._serial = False
        self._since_yield = 0

    # -- buffering ---------------------------------------------------------------------------
    def _multiple(self, label: str) -> frozenset[str]:
        lb = self.model.label(label)
        return frozenset(p.name for p in lb.properties.values() if p.multiple) | {
            "sources", "sharedWith", "conflicts", "identifiers", "referents"
        }

    def _rel_multiple(self, rel_type: str) -> frozenset[str]:
        rt = self.model.relationship(rel_type)
        return frozenset(p.name for p in rt.properties.values() if p.multiple) | {
            "sources", "sharedWith", "conflicts"
        }

    async def add(self, record: Record) -> None:
        """Buffer one record; when a buffer reaches ``batch_size`` it is written by a background
        flush while later records are buffered. Raises the error of a failed earlier flush."""
        if record.op != "merge":
            self._serial = True
        if self._refused_rows and _row(record.origin) in self._refused_rows:
            return  # the rest of a row refused for a label conflict
        if isinstance(record, NodeRecord):
            await self._add_node(record)
        elif isinstance(record, EdgeRecord):
            await self._add_edge(record)
        else:  # pragma: no cover - contract violation
            raise TypeError(f"not a record: {record!r}")
        if self._pending is not None:
            self._since_yield += 1
            if self._since_yield >= 32:  # let the flush read its reply and send the next statement
                self._since_yield = 0
                await asyncio.sleep(0)

    async def _add_node(self, rec: NodeRecord) -> None:
        lb = self.model.label(rec.label)
        if lb.abstract:
            raise OntologyError(f"cannot create a node with abstract label {rec.label!r}")
        source = rec.origin.source if rec.origin else self.source
        if rec.op == "delete":
            self._delete_nodes.setdefault(source, {})[rec.id] = None
            return
        self._delete_nodes.get(source, {}).pop(rec.id, None)
        if rec.op == "replace":
            self._replace.add(rec.id)
        props = _stamp(dict(rec.properties), source, self.prov)
        props.pop("id", None)
        if rec.unresolved:
            props["unresolved"] = True
        if rec.id in self._nodes:
            label, old = self._nodes[rec.id]
            if all(old.get(k) == v for k, v in props.items()) and old.get("unresolved") == props.get("unresolved"):
                return  # the same assertion again within this batch
            if old.get("unresolved") and not rec.unresolved:
                label = rec.label
            elif label != rec.label and not rec.unresolved and not self.model.is_a(label, rec.label):
                if not self.model.is_a(rec.label, label):  # as across loads (_write_nodes)
                    self._refuse_row(rec.origin, rec.id, label, rec.label)
                    return
                label = rec.label  # refined (Organization, then Company), as across loads
            self._nodes[rec.id] = (label, merge_properties(old, props, self._multiple(label)))
        else:
            self._nodes[rec.id] = (rec.label, props)
            self._node_origin.setdefault(rec.id, rec.origin)
        if not rec.unresolved:  # a bare reference asserts no value
            self.statements.note(rec.label, rec.id, props, source,
                                 rec.origin.record_id if rec.origin else source, replace=rec.op == "replace")
        if len(self._nodes) >= self.batch_size:
            await self._flush_soon(edges=False)

    async def _add_edge(self, rec: EdgeRecord) -> None:
        self.model.relationship(rec.type)
        by_type = self._edges.setdefault(rec.type, {})
        source = rec.origin.source if rec.origin else self.source
        if rec.op == "delete":
            self._delete_edges.setdefault((rec.type, source), {})[rec.id] = None
            return
        self._delete_edges.get((rec.type, source), {}).pop(rec.id, None)
        if rec.op == "replace":
            self._replace.add(rec.id)
        props = _stamp(dict(rec.properties), source, self.prov)
        props.pop("id", None)
        if rec.origin and rec.origin.line:
            props.setdefault("recordId", rec.origin.record_id)
        if rec.id in by_type:
            old = self._edge_props[rec.id]
            if all(old.get(k) == v for k, v in props.items()):
                return  # the same assertion again within this batch
            props = merge_properties(old, props, self._rel_multiple(rec.type))
        else:
            self._n_edges += 1
        by_type[rec.id] = rec
        self._edge_props[rec.id] = props
        if self._n_edges >= self.batch_size:
            await self._flush_soon(edges=True)

    # -- flushing ----------------------------------------------------------------------------
    async def _settle(self) -> None:
        """Wait for the background flush, if any (raising its error)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending

    async def settle_quietly(self) -> None:
        """Wait for the background flush and drop its error (when the load fails anyway)."""
        with contextlib.suppress(Exception):
            await self._settle()

    async def _flush_soon(self, *, edges: bool) -> None:
        """Start writing the current buffers (nodes, and edges if ``edges``) in the background,
        after the previous background flush has finished."""
        await self._settle()
        if self._serial:
            await (self.flush_edges() if edges else self.flush_nodes())
            return
        nodes = self._take_nodes()
        taken = self._take_edges(final=False) if edges else ({}, {})
        self._pending = asyncio.ensure_future(self._write_all(nodes, *taken, final=False))

    def _take_nodes(self) -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, Origin | None],
                                   dict[str, list[tuple[Statement, bool]]]]:
        buffered, self._nodes = self._nodes, {}
        origins, self._node_origin = self._node_origin, {}
        return buffered, origins, self.statements.take()

    def _take_edges(self, *, final: bool) -> tuple[dict[str, dict[str, EdgeRecord]], dict[str, dict[str, Any]]]:
        edges, self._edges = self._edges, {}
        props_of, self._edge_props = self._edge_props, {}
        self._n_edges = 0
        if final and self._deferred:
            for rec in self._deferred:
                if rec.id not in edges.get(rec.type, {}):
                    edges.setdefault(rec.type, {})[rec.id] = rec
                    props_of[rec.id] = self._deferred_props[rec.id]
            self._deferred = []
        return edges, props_of

    async def _write_all(self, nodes: tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, Origin | None],
                                            dict[str, list[tuple[Statement, bool]]]],
                         edges: dict[str, dict[str, EdgeRecord]], props_of: dict[str, dict[str, Any]],
                         *, final: bool) -> None:
        await self._write_nodes(*nodes)
        for rel_type, recs in edges.items():
            await self._write_edges(rel_type, recs, props_of, final=final)

    async def flush_nodes(self) -> None:
        """Write every buffered node (merged with the stored state), after any background flush."""
        await self._settle()
        await self._write_nodes(*self._take_nodes())

    async def _write_nodes(self, buffered: dict[str, tuple[str, dict[str, Any]]],
                           origins: dict[str, Origin | None],
                           statements: dict[str, list[tuple[Statement, bool]]] | None = None) -> None:
        if not buffered:
            return
        refused: set[str] = set()  # their records assert nothing: no statement is written
        created: set[str] = set()
        replacing = {nid for nid in buffered if nid in self._replace}
        existing = await read_stored_nodes(self.store, (nid for nid in buffered if nid not in self._known),
                                           lambda nid: self._probe_props(nid, *buffered[nid]), self.batch_size)
        relabelled = [nid for nid, old in existing.items() if (old["same"] or old["sources_only"])
                      and not self._keeps_label(buffered[nid][0], old["labels"])]
        if relabelled:  # the same values under a label to refine or refuse: decided on the whole node
            existing.update(await read_stored_nodes(self.store, relabelled, lambda nid: None, self.batch_size))
        for nid in buffered:
            if nid in self._known:
                label, props = self._known[nid]
                existing[nid] = {"id": nid, "labels": [label], "props": props}
        # create: new ids (MERGE on the full label chain); update: same labels; relabel: a
        # placeholder resolved to a more specific label (SET labels, the slow path)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for nid, (label, props) in buffered.items():
            if nid in self._known and not props.get("unresolved") and nid not in self._replace:
                known_label, known_props = self._known[nid]
                if (label == known_label or self.model.is_a(known_label, label)) and covered(
                        props, known_props, self._multiple(known_label)):
                    self._labels[nid] = known_label
                    continue  # already written this run with everything this record says
            old = existing.get(nid)
            if old is not None and old.get("same"):  # stored, and the record says nothing it does not hold
                self._labels[nid] = _specific(self.model, old["labels"] or []) or label
                continue
            if old is not None and old.get("sources_only"):  # its merge would only add the sources
                self._labels[nid] = _specific(self.model, old["labels"] or []) or label
                groups.setdefault(("sources", ""), []).append({"id": nid, "sources": props["sources"]})
                continue
            if old is not None and self.viewer is not None and not visible_to(old["props"] or {}, self.viewer):
                self._refuse(origins.get(nid), {"id": nid, "label": label}, _restricted(nid, old["props"] or {}))
                self.counts.hits.append((nid, str((old["props"] or {}).get("owner") or "")))
                refused.add(nid)
                continue
            if old is not None:
                old_props = dict(old["props"] or {})
                stored_label = _specific(self.model, old["labels"] or []) or label
                if props.get("unresolved") and not old_props.get("unresolved"):
                    label = stored_label  # a placeholder never relabels a real node
                kind = "update" if label == stored_label or self.model.is_a(stored_label, label) else "relabel"
                if kind == "relabel" and not old_props.get("unresolved") and not self.model.is_a(label, stored_label):
                    # only a placeholder is resolved, or a label refined (Organization -> Company)
                    self._refuse_row(origins.get(nid), nid, stored_label, label)
                    refused.add(nid)
                    continue
                if props.get("unresolved"):
                    self._labels[nid] = stored_label  # a bare reference to a stored node: it exists,
                    continue                          # and the reference adds nothing to it
                refusal = self._foreign(nid, old_props, props)
                if refusal:
                    if not _adds_values(props, old_props, self._multiple(stored_label)):
                        self._labels[nid] = stored_label  # e.g. a shared phone named again: nothing
                        continue                          # to disclose, nothing to refuse
                    self._refuse(origins.get(nid), {"id": nid, "label": label}, refusal)
                    refused.add(nid)
                    continue
                merged = self._merge(nid, old_props, props, self._multiple(label))
                before = len(old_props.get("conflicts") or [])
                if kind == "update":
                    label = stored_label
            else:
                old_props = {}
                merged = dict(props)
                before = 0
                kind = "create"
                created.add(nid)
                self.counts.nodes_created += 1
            self.counts.conflicts += max(0, len(merged.get("conflicts") or []) - before)
            for name, value in derived_properties(self.model.label(label), merged, nid).items():
                if value is None:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            merged.pop("id", None)
            self._remember(nid, label, {k: v for k, v in merged.items() if v is not None})
            if kind == "update" and merged == {k: v for k, v in old_props.items() if k != "id"}:
                self._labels[nid] = label
                continue  # nothing new: no write
            for k in old_props:
                if k not in merged and k != "id":
                    merged[k] = None  # removed by SET +=, e.g. a resolved placeholder's flag
            groups.setdefault((kind, label), []).append({"id": nid, "props": merged})
            self._labels[nid] = label
        for (kind, label), rows in groups.items():
            if kind == "sources":
                summary = await self.store.write_batches("ingest/add_node_sources", rows, self.batch_size)
            elif kind == "update":
                # a write that removes properties sends the whole map (replace_node_properties says why)
                removing = [{"id": r["id"], "props": {**{k: v for k, v in r["props"].items() if v is not None},
                                                      "id": r["id"]}} for r in rows if None in r["props"].values()]
                if removing:
                    rows = [r for r in rows if None not in r["props"].values()]
                    done = await self.store.write_batches("ingest/replace_node_properties", removing, self.batch_size)
                    self.counts.batches += done.batches
                    self.counts.nodes_written += len(removing)
                summary = await self.store.write_batches("ingest/update_nodes", rows, self.batch_size)
            else:
                name = "ingest/create_nodes" if kind == "create" else "ingest/merge_nodes"
                summary = await self.store.write_batches(name, rows, self.batch_size, labels=label)
            self.counts.batches += summary.batches
            self.counts.nodes_written += len(rows)
        await self._write_statements(buffered, statements or {}, refused, created, replacing)

    async def _write_statements(self, buffered: dict[str, tuple[str, dict[str, Any]]],
                                statements: dict[str, list[tuple[Statement, bool]]], refused: set[str],
                                created: set[str], replacing: set[str]) -> None:
        """Write the statements of the nodes just written (graphapi.ingest.statement_store); a
        replace record (MOD) of a node other sources assert too has its values rebuilt from every
        source's statements, so it replaces its own values only."""
        before = self.statements.written
        await self.statements.write(self.store, statements, [n for n in buffered if n not in refused], created,
                                    self.batch_size)
        self.counts.statements_written += self.statements.written - before
        rebuilt = [nid for nid in replacing if nid not in refused and nid not in created]
        if rebuilt:
            await rebuild_values(self.store, self.model, rebuilt, self.batch_size)
            for nid in rebuilt:
                self._known.pop(nid, None)

    def _keeps_label(self, label: str, stored_labels: list[str] | None) -> bool:
        """True if a ``label`` record leaves the stored node's label as it is (the same, or one
        it specialises): no relabel, no label conflict."""
        stored = _specific(self.model, stored_labels or []) or label
        return label == stored or self.model.is_a(stored, label)

    def _probe_props(self, nid: str, label: str, props: dict[str, Any]) -> dict[str, Any] | None:
        """What ``ingest/node_probe`` compares with the stored node: the record's properties, or
        None where the writer must read the node whatever it holds (a viewer's load: visibility;
        a replace; a placeholder; a label this writer would refine or refuse)."""
        if self.viewer is not None or nid in self._replace or props.get("unresolved"):
            return None
        multiple = self._multiple(label)
        return props if lists_hold_lists(props, multiple) else None

    def _remember_edge(self, rid: str, props: dict[str, Any]) -> None:
        if len(self._known_edges) >= self.cache_size:
            self._known_edges.clear()
        self._known_edges[rid] = {k: v for k, v in props.items() if v is not None}

    def _remember(self, nid: str, label: str, props: dict[str, Any]) -> None:
        """Keep the state just written, so later batches of this run need not read it back."""
        if len(self._known) >= self.cache_size:
            self._known.clear()
        self._known[nid] = (label, props)

    async def flush_edges(self, *, final: bool = False) -> None:
        """Write every buffered edge, after any background flush; nodes are written first so
        endpoints exist. ``final``: retry deferred edges once more and report the rest dangling."""
        await self._settle()
        nodes = self._take_nodes()
        await self._write_all(nodes, *self._take_edges(final=final), final=final)

    async def _write_edges(self, rel_type: str, recs: dict[str, EdgeRecord],
                           props_of: dict[str, dict[str, Any]], *, final: bool) -> None:
        """Write one type's buffered edges: those not seen this run go to ``ingest/add_relationships``
        (one round trip: new ones are created, stored ones come back for the provenance merge);
        those written this run, and stored ones whose merge changes something, are written with
        ``ingest/merge_relationships``."""
        rows = [{"id": rec.id, "start": rec.start, "end": rec.end} for rec in recs.values()
                if not (self._refused_rows and _row(rec.origin) in self._refused_rows) and self._endpoints_allowed(rec)]
        if rows and self.correlation is not None and rel_type in self.correlation.linking:
            rows = await self._divert_quarantined(rel_type, rows, recs)
        if not rows:
            return
        existing: dict[str, dict[str, Any]] = {}
        missing: set[str] = set()
        refused: set[str] = set()
        same: set[str] = set()  # stored with every value the record brings: nothing to write
        multiple = self._rel_multiple(rel_type)
        fresh = []
        for row in rows:
            known = self._known_edges.get(row["id"])
            if known is not None:
                existing[row["id"]] = known
            else:
                props = dict(props_of[row["id"]])
                props.pop("id", None)
                # lean: the store says "same" instead of sending back what this record repeats
                lean = self.viewer is None and row["id"] not in self._replace and lists_hold_lists(props, multiple)
                fresh.append({**row, "props": props, "lean": lean})
        created = 0
        if fresh:
            summary = await self.store.write_batches(
                "ingest/add_relationships", fresh, self.batch_size, type=rel_type,
                params={"agency": self.viewer},
            )
            self.counts.batches += summary.batches
            for out in summary.returned:
                for exc in out["exceptions"]:
                    if not exc["linked"]:
                        missing.add(exc["id"])
                    elif exc["same"]:
                        same.add(exc["id"])
                    elif self.viewer is not None and not visible_to(exc["props"] or {}, self.viewer):
                        rec = recs[exc["id"]]
                        refused.add(exc["id"])
                        self._refuse(rec.origin, {"id": rec.id, "start": rec.start, "end": rec.end},
                                     _restricted(rec.id, exc["props"] or {}))
                        self.counts.hits.append((rec.id, str((exc["props"] or {}).get("owner") or "")))
                    else:
                        existing[exc["id"]] = dict(exc["props"] or {})
            for r in fresh:
                if r["id"] not in existing and r["id"] not in missing and r["id"] not in refused \
                        and r["id"] not in same:
                    created += 1
                    self.counts.conflicts += len(r["props"].get("conflicts") or [])  # met in this batch
                    self._remember_edge(r["id"], r["props"])
        out = []
        unchanged = len(same)
        for row in rows:
            old = existing.get(row["id"])
            if old is None:
                continue  # created above, or an endpoint is missing
            props = props_of[row["id"]]
            refusal = self._foreign(row["id"], old, props)
            if refusal and not _adds_values(props, old, multiple):
                unchanged += 1  # the same relationship named again: nothing to disclose or refuse
                continue
            if refusal:
                rec = recs[row["id"]]
                self._refuse(rec.origin, {"id": rec.id, "start": rec.start, "end": rec.end}, refusal)
                continue
            if row["id"] not in self._replace and covered(props, old, multiple):
                unchanged += 1  # asserted again, nothing new: no write
                continue
            before = len(old.get("conflicts") or [])
            props = self._merge(row["id"], old, props, multiple)
            self.counts.conflicts += max(0, len(props.get("conflicts") or []) - before)
            props.pop("id", None)
            if props == {k: v for k, v in old.items() if k != "id"}:
                unchanged += 1  # asserted again, nothing new: no write
                continue
            out.append({**row, "props": props})
        summary = await self.store.write_batches(
            "ingest/merge_relationships", out, self.batch_size, type=rel_type
        )
        self.counts.batches += summary.batches
        written = {r["id"] for r in summary.returned}
        for r in out:
            if r["id"] in written:
                self._remember_edge(r["id"], r["props"])
            else:
                missing.add(r["id"])  # an endpoint went away since it was read
        self.counts.relationships_written += created + len(written) + unchanged
        self.counts.relationships_created += created
        if created and self.correlation is not None and rel_type in self.correlation.linking:
            await self._check_correlation([r for r in fresh if r["id"] not in existing and r["id"] not in missing
                                           and r["id"] not in refused and r["id"] not in same])
        for rid in (r["id"] for r in rows if r["id"] in missing):
            rec = recs[rid]
            if final:
                self.counts.dangling.append(rec)
            else:
                self._deferred.append(rec)
                self._deferred_props[rec.id] = props_of[rec.id]

    def _merge(self, item_id: str, old: dict[str, Any], new: dict[str, Any],
               multiple: frozenset[str]) -> dict[str, Any]:
        """Provenance merge, or for a ``replace`` record whose source alone asserted the item,
        the new values (firstSeen kept as the minimum)."""
        if item_id in self._replace:
            self._replace.discard(item_id)
            if set(old.get("sources") or []) <= set(new.get("sources") or []):
                out = dict(new)
                seen = [v for v in (old.get("firstSeen"), new.get("firstSeen")) if v]
                if seen:
                    out["firstSeen"] = min(seen)
                for k in old:
                    if k not in out and k != "id":
                        out[k] = None
                return out
        return merge_properties(old, new, multiple)

    async def _apply_deletes(self) -> None:
        done = await apply_retractions(
            self.store, {src: list(ids) for src, ids in self._delete_nodes.items()},
            {key: list(ids) for key, ids in self._delete_edges.items()},
            owner=self.prov.owner, scoped=self.viewer is not None, batch_size=self.batch_size, model=self.model)
        self.counts.nodes_deleted += done.nodes_deleted
        self.counts.nodes_retracted += done.nodes_retracted
        self.counts.relationships_deleted += done.relationships_deleted
        self.counts.relationships_retracted += done.relationships_retracted
        self.counts.statements_retracted += done.statements_retracted
        self._delete_edges, self._delete_nodes = {}, {}

    def _identifier_end(self, row: dict[str, Any]) -> tuple[str, str] | None:
        """``(identifier id, holder id)`` of a linking relationship row, or None if neither
        endpoint is an identifier node this run has seen."""
        corr = self.correlation
        assert corr is not None
        end_label, start_label = self._labels.get(row["end"]), self._labels.get(row["start"])
        if end_label and corr.is_identifier(end_label):
            return row["end"], row["start"]
        if start_label and corr.is_identifier(start_label):
            return row["start"], row["end"]
        return None

    async def _divert_quarantined(self, rel_type: str, rows: list[dict[str, Any]],
                                  recs: dict[str, EdgeRecord]) -> list[dict[str, Any]]:
        """The rows to write: a new link to an identifier a past load quarantined is not written
        but kept as text on its holder (``identifiers: ["Phone:+66..."]``, as the guard does
        within a load), for an analyst to review; stored links asserted again stay."""
        candidates = []
        for row in rows:
            ends = self._identifier_end(row)
            if ends is not None:
                candidates.append({"id": row["id"], "ident": ends[0], "holder": ends[1]})
        diverted: set[str] = set()
        for i in range(0, len(candidates), self.batch_size):
            for out in await self.store.read("ingest/quarantined_links",
                                             {"rows": candidates[i:i + self.batch_size]}, type=rel_type):
                diverted.update(out["ids"])
        if not diverted:
            return rows
        for c in candidates:
            if c["id"] in diverted:
                label = self._labels.get(c["holder"])
                if label is not None:
                    text = f"{self._labels[c['ident']]}:{c['ident'].split(':', 1)[-1]}"
                    self._text_links.append(NodeRecord(label, c["holder"], {"identifiers": [text]},
                                                       recs[c["id"]].origin))
                if c["ident"] not in self.counts.quarantined:
                    self.counts.quarantined.append(c["ident"])
        return [r for r in rows if r["id"] not in diverted]

    async def _check_correlation(self, rows: list[dict[str, Any]]) -> None:
        """The circuit breaker across loads: the guard stops links within one load; here the
        identifiers that new linking relationships touched are counted in the store, and one
        linked to more distinct entities than the limit is flagged ``quarantined`` for review."""
        corr = self.correlation
        assert corr is not None
        idents = {ends[0]: None for ends in map(self._identifier_end, rows) if ends is not None}
        if not idents:
            return
        over = []
        ids, types = list(idents), sorted(corr.linking)
        for i in range(0, len(ids), self.batch_size):
            for row in await self.store.read("ingest/identifier_holders",
                                             {"ids": ids[i:i + self.batch_size], "types": types}):
                if row["holders"] > corr.limit and not row["quarantined"]:
                    over.append(row["id"])
        if over:
            await self.store.write_batches("ingest/update_nodes", [{"id": i, "props": {"quarantined": True}}
                                                                  for i in over], self.batch_size)
            for i in over:
                if i in self._known:
                    self._known[i][1]["quarantined"] = True
            self.counts.quarantined.extend(over)

    def _foreign(self, item_id: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
        """The reason to refuse merging record properties ``new`` into the stored item ``old``,
        or None after making the merge safe. Every load, the operator's too:

        - the item's owner is another agency's: its sharing is the owner's (``sharedWith``
          dropped), a replace is only a merge, and the record is refused unless everyone who may
          see the item may also see the record (TLP audiences, :func:`graphapi.ontology.tlp.audience`), as its values
          would be shown at the item's level;
        - the item is the record's owner's own: refused if the record is stricter (RED values
          into the agency's CLEAR node); the owner raises the item's TLP first.
        (A bare reference never gets here: it leaves a stored node as it was.)"""
        record_owner, item_owner = new.get("owner"), old.get("owner")
        level, held = old.get("tlp"), item_owner or "another agency"
        if record_owner == item_owner:
            if _strictness(new.get("tlp")) > _strictness(level):
                return (f"would disclose: your record is {new.get('tlp')} but {item_id} is {level}; not merged "
                        f"(raise its TLP first)")
            return None
        record_sees = audience(new.get("tlp"), record_owner, new.pop("sharedWith", None))
        self._replace.discard(item_id)
        item_sees = audience(level, item_owner, old.get("sharedWith"))
        if record_sees is not None and (item_sees is None or not item_sees <= record_sees):
            return (f"would disclose: your record is {new.get('tlp')} but {item_id} is {level}, held by {held}, "
                    f"seen by others your record is not meant for; not merged (load it at a level they may see, "
                    f"or ask its owner)")
        return None

    def _refuse_row(self, origin: Origin | None, nid: str, label: str, other: str) -> None:
        """Refuse a node record that would make ``nid``, a ``label``, also an ``other`` (labels
        that cannot merge): a row reject, and the rest of its row is not written."""
        if origin is not None and origin.line:  # a record from a row (not a fixture's): a row reject
            row = _row(origin)
            if row in self._refused_rows:
                return
            self._refused_rows.add(row)
            self.counts.rows_rejected += 1
        self._refuse(origin, {"id": nid, "label": other},
                     f"label conflict: {nid} is a {label}, not a {other}; not merged", restricted=False)

    def _refuse(self, origin: Origin | None, raw: dict[str, Any], reason: str, *, restricted: bool = True) -> None:
        if restricted:
            self.counts.restricted += 1
        self.counts.rejected.append(Rejection(file=origin.file if origin else "", line=origin.line if origin else 0,
                                              reason=reason, raw=raw))

    def _endpoints_allowed(self, rec: EdgeRecord) -> bool:
        src, dst = self._labels.get(rec.start), self._labels.get(rec.end)
        if src is None or dst is None:
            return True
        key = (rec.type, src, dst)
        allowed = self._allowed.get(key)
        if allowed is None:
            allowed = self._allowed[key] = self.model.allows(rec.type, src, dst)
        if allowed:
            return True
        o = rec.origin
        self.counts.rejected.append(
            Rejection(
                file=o.file if o else "",
                line=o.line if o else 0,
                reason=f"{rec.type} not allowed from {src} to {dst}",
                raw={"id": rec.id, "start": rec.start, "end": rec.end},
            )
        )
        return False

    async def close(self) -> WriteCounts:
        """Flush everything (retrying edges deferred for a missing endpoint) and return counts."""
        await self.flush_edges()
        await self.flush_edges(final=True)
        if self._text_links:  # links diverted from quarantined identifiers, as text on the holders
            diverted, self._text_links = self._text_links, []
            for rec in diverted:
                await self._add_node(rec)
            await self.flush_nodes()
        await self._apply_deletes()
        return self.counts


async def write_records(
    store: GraphStore,
    records: Iterable[Record] | AsyncIterable[Record],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    provenance: Provenance | None = None,
    source: str = "unknown",
) -> WriteCounts:
    """Write node and edge records to ``store`` in UNWIND batches of ``batch_size``.

    Records may come in any order; an edge whose endpoints appear later in the stream is retried
    at the end. Idempotent: writing the same records again changes no node or relationship count.
    Returns :class:`WriteCounts`. Raises ``OntologyError`` for an unknown label or relationship
    type (a reader bug) and the store's errors if it fails (earlier batches stay written).
    """
    writer = Writer(store, batch_size=batch_size, provenance=provenance, source=source)
    if hasattr(records, "__aiter__"):
        async for rec in records:  # type: ignore[union-attr]
            await writer.add(rec)
    else:
        for rec in records:  # type: ignore[union-attr]
            await writer.add(rec)
    return await writer.close()


__all__ = ["ENTITY", "Provenance", "Record", "WriteCounts", "Writer", "utc_now", "write_records"]
