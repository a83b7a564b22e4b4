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

This module holds the buffering; the rest of :class:`Writer` lives by concept in
:mod:`~graphapi.ingest.write_flush` (the background flushes), :mod:`~graphapi.ingest.write_nodes`,
:mod:`~graphapi.ingest.write_edges`, :mod:`~graphapi.ingest.write_deletes` (the load's DELs, a replace's withdrawal),
:mod:`~graphapi.ingest.write_rules` (merge, label and refusal rules) and
:mod:`~graphapi.ingest.write_correlation` (the circuit breaker), :mod:`~graphapi.ingest.write_refusals`
(refused rows' links), :mod:`~graphapi.ingest.write_statement_sets` (a batch's statements),
:mod:`~graphapi.ingest.write_tally` (the load's counts); :class:`Provenance` and
:class:`WriteCounts` in :mod:`~graphapi.ingest.provenance` and :mod:`~graphapi.ingest.write_counts`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, Awaitable, Iterable
from typing import Any

from graphapi.ingest.delta_order import DeltaOrder
from graphapi.ingest.drawn_link_deletes import DrawnLinkDeletes
from graphapi.ingest.guard import HolderText
from graphapi.ingest.holder_bounds import HolderBounds
from graphapi.ingest.keyed_line_deletes import KeyedLineDeletes
from graphapi.ingest.line_deletes import LineDeletes
from graphapi.ingest.options import owns_source
from graphapi.ingest.pending_retractions import StuckMark
from graphapi.ingest.provenance import Provenance, utc_now
from graphapi.ingest.quarantine_notes import DivertedLinks
from graphapi.ingest.records import DrawnLinksDeletion, EdgeRecord, LineRenewal, NodeRecord, Origin
from graphapi.ingest.replaced_lines import ReplacedLines
from graphapi.ingest.replaced_links import ReplacedLinks
from graphapi.ingest.replaced_values import ReplacedValues
from graphapi.ingest.replacement import AssertedLog
from graphapi.ingest.statement_store import StatementLog
from graphapi.ingest.statements import Statement
from graphapi.ingest.text_links import TextLinks
from graphapi.ingest.write_correlation import Correlation, CorrelationChecks, marked_agencies
from graphapi.ingest.write_counts import RowRecords, WriteCounts
from graphapi.ingest.write_deletes import DeleteWriting
from graphapi.ingest.write_edges import EdgeWriting
from graphapi.ingest.write_flush import BackgroundFlush
from graphapi.ingest.write_lease import WriteLease
from graphapi.ingest.write_nodes import NodeWriting
from graphapi.ingest.write_refusals import RefusedLinks
from graphapi.ingest.write_rules import RefusalRules, _row, covered
from graphapi.ingest.write_statement_sets import StatementWriting
from graphapi.ingest.write_tally import WriteTally
from graphapi.ingest.write_turns import SaidHook, WriteTurns, tell_access_requests
from graphapi.ontology import ENTITY, Model, load_model
from graphapi.ontology.tlp import audience
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

log = logging.getLogger(__name__)

Record = NodeRecord | EdgeRecord

class Writer(NodeWriting, EdgeWriting, DeleteWriting, StatementWriting, DeltaOrder, LineDeletes, KeyedLineDeletes,
             CorrelationChecks, TextLinks, RefusalRules, RefusedLinks, WriteTurns, WriteTally, BackgroundFlush):
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
        replace: bool = False,
        protected: frozenset[str] = frozenset(),
        victim_blind: bool = False,
        said_hook: SaidHook = tell_access_requests,
    ) -> None:
        self.said_hook = said_hook  # what its records said, told in each turn (write_turns)
        self.lease = WriteLease(store)  # one writer at a time reads and writes items back (R2)
        self.store = self.lease.fenced(store)  # ... and writes only while it holds the lease
        self.correlation = correlation
        # The agency a load runs for (HTTP jobs, the ingest mutation); None for an operator's
        # own load. A viewer's records never merge into, nor link to, what it may not see.
        self.viewer = viewer
        # Stored items of other agencies the viewer may see but not as themselves (a victim and
        # their phones, for a caller without victim-data): treated as hidden ones are, so a load
        # never confirms one that search and lookups answer as unknown (attack round 5, F3).
        # ``victim_blind``: the viewer lacks victim-data and ``protected`` was not worked out up
        # front (a load job): the writer finds them itself, flush by flush (RefusalRules._note_protected)
        self.protected = set(protected)
        self.victim_blind = victim_blind and viewer is not None
        self.blind: set[str] = set()  # ... and its own such items: merged, told nothing of their hidden fields
        self._protection_read: set[str] = set()
        self._node_origin: dict[str, Origin | None] = {}
        self._batch_conflicts: dict[tuple[str, str], tuple[Origin | None, tuple[str, ...]]] = {}  # conflict_notes
        self.batch_size = max(1, batch_size)
        self.prov = provenance or Provenance()
        self.source = source
        # A DEL or replace withdraws a source that is the load's alone (any load under
        # "<name>@<owner>", an agency's GraphQL ingest under "graphql:<owner>") wherever it is;
        # another, only from its owner's items. Naming a viewer does not make a plain source one's
        # own: TH-DSI's DEL under "ftm" deleted KH-NP's AMBER node (attack round 31b).
        self.scoped = owns_source(source, self.prov.owner) or (
            viewer is not None and viewer == self.prov.owner and source == f"graphql:{viewer}")
        self.model = model or load_model()
        self.counts = WriteCounts()
        self.statements = StatementLog(self.model, cache_size)  # who asserted each value of a node
        self.edge_statements = StatementLog(self.model, cache_size)  # ... and of a relationship
        # a whole-source replace: what this load asserts, for retract_unasserted once it closed
        self.asserted = self.statements.asserted = self.edge_statements.asserted = AssertedLog() if replace else None
        self._nodes: dict[str, tuple[str, dict[str, Any]]] = {}
        self._edges: dict[str, dict[str, EdgeRecord]] = {}
        self._edge_props: dict[str, dict[str, Any]] = {}
        self._n_edges = 0
        self._labels: dict[str, str] = {}  # node id -> most specific label written this run
        self._stored_labels: dict[str, str] = {}  # ... and of link ends this run has no record of
        # distinct ids read, and which nodes were changed or refused: the summary's counts (close)
        self._read_nodes: set[str] = set()
        self._read_edges: set[str] = set()
        self._updated_nodes: set[str] = set()
        self._created_nodes: set[str] = set()
        self._refused_nodes: set[str] = set()
        self._created_edges: set[str] = set()
        self._updated_edges: set[str] = set()
        self._unchanged_edges: set[str] = set()
        self._seen_nodes: set[str] = set()  # written only to move lastSeen (*_seen)
        # an own victim's items its agency's blind loads first said: told created (blind_values)
        self._told_created_nodes: set[str] = set()
        self._told_refused_nodes: set[str] = set()  # ... and such records not written (told created or unchanged)
        self._seen_edges: set[str] = set()
        self._known: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> state written this run
        self._known_edges: dict[str, dict[str, Any]] = {}
        self._allowed: dict[tuple[str, str, str], bool] = {}
        # label or ("rel", type) -> list-valued properties; ("names", label) -> name-typed ones
        self._multiples: dict[Any, frozenset[str]] = {}
        self.cache_size = cache_size
        self._deferred: list[EdgeRecord] = []
        self._deferred_props: dict[str, dict[str, Any]] = {}
        self._deferred_statements: dict[str, list[tuple[Statement, bool]]] = {}
        self._text_links: list[tuple[NodeRecord, EdgeRecord]] = []  # links diverted from quarantined identifiers
        self._untold_text: list[tuple[NodeRecord, EdgeRecord]] = []  # ... to the load's own victims' (blind_diverted)
        self._diverted_told: dict[str, tuple[str | None, list[str]]] = {}  # ... their shadows (blind_diverted)
        # ... and the rows they came from, for the reject report (quarantine_notes)
        self.diverted = DivertedLinks(correlation.limit) if correlation is not None else None
        # ... and what its breaker counted, kept current from its own changes (holder_bounds)
        self._bounds = HolderBounds(correlation.limit, marked_agencies(self.prov), audience(
            self.prov.tlp, self.prov.owner, self.prov.shared_with) is None,
            self.prov.owner) if correlation is not None else None
        self._held_text: list[HolderText] = []  # ... by the guard, on holders the load names only by id
        self._guard_quarantined: set[str] = set()  # identifiers this load's guard quarantined
        self._quarantined_here: set[str] = set()  # ... and the loader did not read quarantined before
        # rows refused for a label conflict, (source, file, line): their other records are not written
        self._refused_rows: set[tuple[str, str, int]] = set()
        self._refused_links: list[EdgeRecord] = []  # of rows refused before they came (their echoes)
        self.row_records = RowRecords()  # records per file line: rows whose every record failed
        self._replace: set[str] = set()  # ids whose buffered record replaces its own source's
        self._delete_nodes: dict[str, dict[str, None]] = {}  # source -> ids (ordered)
        self._delete_edges: dict[tuple[str, str], dict[str, None]] = {}  # (type, source) -> ids
        self._blind_delete_ends: dict[str, tuple[str, str]] = {}  # a blind load's, link id -> ends (blind_diverted)
        self._delete_lines: dict[tuple[str, str], dict[str, set[str]]] = {}  # ... of one line (line_deletes)
        self._keyed_dels: dict[str, dict[str, Any]] = {}  # ... of a keyed line's node (keyed_line_deletes)
        self._keyed_moves: dict[str, dict[str, Any]] = {}  # a keyed line's MODs (keyed_line_deletes)
        self._keyed_widenings: set[str] = set()  # keyed nodes to widen at close (keyed_line_widening)
        self._retracted = False  # it retracted something: the quarantines noted are recounted at close
        self._narrowing_later: set[str] = set()  # ends of links a replace narrows once it retracted
        # One flush may run in the background while records keep coming (store and Python
        # overlap); flushes still run one at a time, in order. Off once a replace or delete
        # record is seen: those change what a running flush decides.
        self._pending: asyncio.Future[None] | None = None
        self._serial = False
        self._since_yield = 0
        #: records waiting for the DELs before them (:meth:`_held_back`), and the ids they name
        self._later: list[Record] = []
        self._later_ids: set[str] = set()
        self._later_ends: set[str] = set()  # the ends of the links among them
        self._later_nodes: set[str] = set()  # the ids of the node records among them
        self._real: set[str] = set()  # ids of the real (not placeholder) node records taken since their DEL
        self.replaced = ReplacedValues()  # a MOD's new version's phones and documents
        self._named: set[str] = set()  # every id a record of this load names (links' ends too)
        self._retracting: set[str] = set()  # every id its DELs withdraw (a stuck mark may stop it)
        self._stuck: list[StuckMark] = []  # pending marks not finished when it last took the lease
        self.replaced_links = ReplacedLinks()  # a link record's MOD: the pairs its new version draws
        self.replaced_lines = ReplacedLines()  # a line's MOD or DEL: what its new version says (line statements)
        self.drawn_deletes = DrawnLinkDeletes()  # a link record's DEL by its id alone: what it drew goes

    # -- buffering ---------------------------------------------------------------------------
    async def add(self, record: Record | DrawnLinksDeletion | LineRenewal) -> None:
        """Buffer one record; when a buffer reaches ``batch_size`` it is written by a background
        flush while later records are buffered. Raises the error of a failed earlier flush."""
        if record.op != "merge":  # no flush runs behind it: a running one would read its _replace
            self._serial = True  # or DEL as its own batch's (attack round a-73, F3: an ADD's flush
            await self._settle()  # replaced with the ADD's values, and the MOD after it only merged)
        if self._refused_rows and _row(record.origin) in self._refused_rows:
            if isinstance(record, EdgeRecord):  # its echo no wider (49), held to the same bound (52, 2)
                await self.refuse_links((record,))
            return  # the rest of a row refused for a label conflict
        if record.origin is not None and record.origin.line:
            self.row_records.add(record.origin.file, record.origin.line)
        if type(record) is LineRenewal:  # what the line said goes, found by the line at close
            self.replaced_lines.start(record.line, record.origin.source if record.origin else self.source,
                                      record.origin)
            return
        if type(record) is DrawnLinksDeletion:
            if record.type == "CALLED":  # what the Call's line said goes too (replaced_lines)
                self.replaced_lines.start(record.record, record.origin.source if record.origin else self.source,
                                          record.origin)
            await self._delete_drawn(record)
            return
        if not isinstance(record, NodeRecord | EdgeRecord):  # pragma: no cover - contract violation
            raise TypeError(f"not a record: {record!r}")
        self._named.add(record.id)
        if record.op == "delete":
            self._retracting.add(record.id)
        if isinstance(record, EdgeRecord):
            self._named.update((record.start, record.end))
        if record.op != "delete":
            (self._read_nodes if isinstance(record, NodeRecord) else self._read_edges).add(record.id)
        source = record.origin.source if record.origin else self.source
        self.replaced.note(record, source)
        if type(record) is EdgeRecord:
            self.replaced_links.note(record, source)
        if record.line or record.renews or (self.replaced_lines and (type(record) is NodeRecord
                                                                     or record.type == "CALLED")):
            self.replaced_lines.note(record, source)  # (a line's own node: its MOD said it again; a Call)
        if self._may_hold_back(record) and await self._held_back(record):
            return
        await self._dispatch(record)
        if self._pending is not None:
            self._since_yield += 1
            if self._since_yield >= 32:  # let the flush read its reply and send the next statement
                self._since_yield = 0
                await asyncio.sleep(0)

    def _dispatch(self, record: Record) -> Awaitable[None]:
        """Buffer ``record`` (awaited by the caller: the node's or edge's own coroutine, no
        coroutine of its own for every record)."""
        if type(record) is NodeRecord:  # what a DEL's cascade may not take (DeltaOrder._held_back)
            if record.op == "delete":
                self._real.discard(record.id)
            elif not record.unresolved:
                self._real.add(record.id)
        return self._add_node(record) if isinstance(record, NodeRecord) else self._add_edge(record)

    async def close(self) -> WriteCounts:
        """Flush everything (retrying edges deferred for a missing endpoint) and return counts."""
        # the DELs before the last retry of the links waiting for an end (one may go with its end);
        # a record taken may be held back again (a MOD of one taken before it)
        while self._later or self._delete_nodes or self._delete_edges or self.drawn_deletes:
            await self._delete_first()
        await self.flush_edges()
        await self.flush_edges(final=True)
        await self._narrow_refused()
        if self._quarantined_here:
            async with self._exclusively():
                await self._mark_guard_quarantines()
        if self._held_text:
            await self._place_held_text()
        if self._text_links or self._untold_text:  # links diverted from quarantined identifiers, as text
            await self._write_text_links()
        if self.replaced:  # what a MOD's old version made of its values and the new one did not
            async with self._exclusively():
                self._count(await self.replaced.retract(self.store, self.model, owner=self.prov.owner,
                                                        scoped=self.scoped, batch_size=self.batch_size,
                                                        refused=self._refused_nodes | self._told_refused_nodes))
        # the Calls renewed as Calls, their last version a Call (line_deletes)
        calls = self.replaced_lines.calls()
        if self.replaced_links:  # the pairs a link record's old version drew and the new one does not
            async with self._exclusively():
                self._count(await self.replaced_links.retract(self.store, self.model, owner=self.prov.owner,
                                                              scoped=self.scoped, batch_size=self.batch_size,
                                                              refused_rows=self._refused_rows))
        if self.replaced_lines:  # what a line renewed or deleted stated before and says no more
            async with self._exclusively():
                await self._renew_lines(calls)
        if self._keyed_moves:  # a keyed line MOD'd out of a dataset leaves it (keyed_line_deletes)
            async with self._exclusively():
                await self._withdraw_moved_keyed()
        self._forget_bounds()  # a MOD's old version withdrawn: nothing to count after it, all the same
        await self._apply_deletes()
        if self._keyed_widenings:  # after every write of the load (a-110, 1: keyed_line_widening)
            async with self._exclusively():
                await self._widen_keyed()
        await self._recount_noted()
        self._count_nodes()
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


__all__ = ["ENTITY", "Correlation", "Provenance", "Record", "WriteCounts", "Writer", "covered", "utc_now",
           "write_records"]

