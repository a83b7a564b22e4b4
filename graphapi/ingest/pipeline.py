"""One load: reader -> identifier guard -> writer, with reject report and summary counts.

``run_load`` is what the CLI, the demo seed, the GraphQL/HTTP ingest service and the tests call.
Rows read = rows loaded + rows rejected, always; every rejection goes to the reject report
(JSON lines: ``file``, ``line``, ``reason``, ``raw``) and none is silently dropped; so does every
warning about a row loaded (``"warning": true``: an account of a bank no gazetteer knows).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from graphapi.ingest.conflict_notes import ConflictNote, conflict_lines
from graphapi.ingest.guard import IdentifierGuard, load_exclusions
from graphapi.ingest.load_gc import FREEZE_EVERY, freeze_survivors, relaxed_gc
from graphapi.ingest.readers.base import Item, Reader, ReadStats
from graphapi.ingest.readers.row_identity import merged_by_name
from graphapi.ingest.records import EdgeRecord, LoadWarning, NodeRecord, Rejection
from graphapi.ingest.reject_report import BoundedReport, reject_to_json, warning_to_json
from graphapi.ingest.source_turns import source_turn
from graphapi.ingest.writer import Correlation, Provenance, WriteCounts, Writer
from graphapi.ontology.ids import InvalidId, canonical_id, is_canonical_id
from graphapi.private_files import open_private, private_dir
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore


@dataclass
class LoadSummary:
    """The closing summary of one load (counts are plain ints). ``nodes_read`` /
    ``relationships_read``: distinct ids the load's records name, past the identifier guard, the
    same in a dry run; of those, ``*_created`` (new), ``*_updated`` (stored, fields changed),
    ``*_unchanged`` (stored with all the load says: no value written to them), of those
    ``*_seen`` (written only to move their lastSeen: the same values said again later) and
    ``*_written`` = created + updated; ``statements_written``: the source's value statements written with new or
    changed values (a node unchanged may gain its source's statements); ``statements_seen``: those
    written again only to move lastSeen (an identical reload: 0 written, all seen). A dry run writes nothing and
    asks the store nothing (what exists may be another agency's to know), so those write counts
    are None in it (:data:`WRITE_COUNTS`). Documented in docs/mappings.md, "What a load reports"."""

    source: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    nodes_read: int = 0
    nodes_written: int | None = 0
    nodes_created: int | None = 0
    nodes_updated: int | None = 0
    nodes_unchanged: int | None = 0
    nodes_seen: int | None = 0
    relationships_read: int = 0
    relationships_written: int | None = 0
    relationships_created: int | None = 0
    relationships_updated: int | None = 0
    relationships_unchanged: int | None = 0
    relationships_seen: int | None = 0
    relationships_rejected: int = 0
    conflicts: int | None = 0
    unresolved: int = 0
    #: rows loaded that need a person's eye (an account of a bank no gazetteer knows)
    warnings: int = 0
    #: the warnings about a file's layout, ``{"file", "line", "reason"}`` (records that span lines in
    #: multi-line framing, a same-named file merged): they name lines, no row's values, so they show
    #: wherever the counts do (a /loads job's summary); every warning is in the reject report
    file_warnings: list[dict[str, Any]] = field(default_factory=list)
    dangling: int = 0
    placeholders_excluded: int = 0
    quarantined: int = 0
    restricted: int = 0
    nodes_deleted: int = 0
    nodes_retracted: int = 0
    relationships_deleted: int = 0
    relationships_retracted: int = 0
    statements_written: int | None = 0
    statements_seen: int | None = 0
    statements_retracted: int = 0
    values_retracted: int = 0
    #: a whole-source replace (``replace=True``): why it retracted nothing, or None
    replace_skipped: str | None = None
    replace: bool = False
    seconds: float = 0.0
    dry_run: bool = False
    reject_report: str | None = None
    rejections: list[Rejection] = field(default_factory=list, repr=False)
    unlinked: list[Rejection] = field(default_factory=list, repr=False)
    warned: list[LoadWarning] = field(default_factory=list, repr=False)
    #: (id, owner agency) of the restricted hits, for the owners' audit trail (not in ``as_dict``)
    hits: list[tuple[str, str]] = field(default_factory=list, repr=False)
    #: the first conflicts, each in the reject report (:mod:`graphapi.ingest.conflict_notes`)
    conflicted: list[ConflictNote] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict (without the rejection, unlinked, warning, hit and conflict lists)."""
        d = {k: v for k, v in self.__dict__.items()
             if k not in ("rejections", "unlinked", "warned", "hits", "conflicted")}
        d["rows_per_second"] = round(self.rows_read / self.seconds, 1) if self.seconds else None
        return d


#: The counts only a real run knows (None in a dry run's summary).
WRITE_COUNTS = ("nodes_written", "nodes_created", "nodes_updated", "nodes_unchanged", "nodes_seen",
                "relationships_written", "relationships_created", "relationships_updated", "relationships_unchanged",
                "relationships_seen", "statements_written", "statements_seen", "conflicts")


def unlinked(edge: EdgeRecord) -> Rejection:
    """The report line of a relationship not written because an endpoint is missing, or one the
    load may not see (the same answer, so that hidden nodes stay hidden)."""
    o = edge.origin
    return Rejection(o.file if o else "", o.line if o else 0,
                     f"{edge.type} not written: no node {edge.start} or {edge.end} that this load may see",
                     {"id": edge.id, "start": edge.start, "end": edge.end})


#: A load compacts the embedded store's append-only file only once it holds this many bytes of
#: statements since the last compaction: the compaction writes a snapshot of the WHOLE graph
#: (0.6-2.2 s at the bench's quick scale on the shared box, once per load), while replaying a
#: few MiB of statements at the next start takes about as long as sending them did. Small
#: loads into a big graph add up until one of them passes the bound.
CHECKPOINT_MIN_GROWTH = 8 * 1024 * 1024

#: How many node ids the repeat filter remembers (then it starts over; repeats only cost time).
REPEAT_WINDOW = 200_000


def _ids_canonical(item: NodeRecord | EdgeRecord) -> bool:
    if type(item) is NodeRecord:
        return is_canonical_id(item.id)
    return is_canonical_id(item.start) and is_canonical_id(item.end)  # its own id is a hash


def _canonical_ids(item: NodeRecord | EdgeRecord) -> NodeRecord | EdgeRecord | Rejection:
    """``item`` with canonical ids (``graphapi.ontology.ids``), or why it has none. The readers
    check the ids they read; this is the net under all of them (an FtM reference, say), since
    an empty or padded id kills the embedded store."""
    try:
        if isinstance(item, NodeRecord):
            return dataclasses.replace(item, id=canonical_id(item.id, f"{item.label} id"))
        return dataclasses.replace(item, start=canonical_id(item.start, f"{item.type} from"),
                                   end=canonical_id(item.end, f"{item.type} to"))
    except InvalidId as exc:
        o = item.origin
        raw = {"id": item.id} if isinstance(item, NodeRecord) else {"start": item.start, "end": item.end}
        return Rejection(o.file if o else "", o.line if o else 0, str(exc), raw)


class _Tap:
    """Passes items through, splitting out rejections and counting records for progress.

    Also drops a node record that repeats, word for word, the last one seen with its id (same
    label, properties, source and op ``merge``; no DEL since, nor MOD of the id): an event feed
    names the same phone or account on thousands of rows, and the guard and the writer would each
    decide again that it adds nothing.
    Edges are never dropped (each carries its own recordId). Ids are made canonical, and a
    record whose id cannot be is rejected (:func:`_canonical_ids`), unless ``ids_checked``: the
    reader says (``canonical_ids = True``) that it made every node and endpoint id canonical."""

    def __init__(self, items: Iterable[Item], sink: Callable[[Rejection], None],
                 tick: Callable[[], None] | None, *, ids_checked: bool = False) -> None:
        self.items, self.sink, self.tick = items, sink, tick
        self.ids_checked = ids_checked  # the reader made every id canonical itself: not checked twice
        self._last: dict[str, tuple[str, bool, str | None, dict[str, Any]]] = {}
        self.repeats = 0

    def __iter__(self) -> Iterator[NodeRecord | EdgeRecord]:
        last, checked = self._last, self.ids_checked
        until_freeze = FREEZE_EVERY
        for item in self.items:
            if isinstance(item, Rejection):
                self.sink(item)
                continue
            if self.tick is not None:
                self.tick()
            until_freeze -= 1
            if not until_freeze:  # what the load keeps is never scanned again (load_gc)
                until_freeze = FREEZE_EVERY
                freeze_survivors()
            if not checked and not _ids_canonical(item):
                item = _canonical_ids(item)
                if isinstance(item, Rejection):
                    self.sink(item)
                    continue
            if type(item) is NodeRecord and item.op == "merge":
                key = (item.label, item.unresolved, item.origin.source if item.origin else None, item.properties)
                if last.get(item.id) == key:
                    self.repeats += 1
                    continue
                if len(last) >= REPEAT_WINDOW:
                    last.clear()
                last[item.id] = key
            elif item.op == "delete":  # after a DEL the same record says something again (a DEL
                last.clear()             # may take a placeholder with its last link: any id)
            elif type(item) is NodeRecord:  # ... and after a MOD of its id
                last.pop(item.id, None)
            yield item


async def run_load(
    store: GraphStore | None,
    reader: Reader,
    *,
    source: str,
    provenance: Provenance | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    reject_report: Path | None = None,
    guard: IdentifierGuard | None = None,
    correlation_limit: int | None = None,
    exclusions: Iterable[Path] = (),
    progress: Callable[[ReadStats], None] | None = None,
    checkpoint: bool = True,
    viewer: str | None = None,
    met: Callable[[list[tuple[str, str]]], Awaitable[None]] | None = None,
    replace: bool = False,
    protected: frozenset[str] = frozenset(),
    victim_blind: bool = False,
    reject_report_limit: int | None = None,
) -> LoadSummary:
    """Read everything from ``reader``, guard identifiers, and write (unless ``dry_run``).

    ``store`` may be ``None`` only with ``dry_run``. ``progress`` is called with the reader's
    stats every few hundred records. ``checkpoint``: after writing, let the store make the load
    cheap to recover (``GraphStore.checkpoint``: the embedded store compacts its append-only file
    once it holds ``CHECKPOINT_MIN_GROWTH`` bytes of statements;
    off for the GraphQL ``ingest`` mutation's small batches). ``viewer``: the agency the load runs
    for (HTTP jobs, the ingest mutation): its records never merge into nor link to what that agency
    may not see, nor into ``protected`` ids (``Writer.protected``; ``victim_blind``: the viewer lacks
    victim-data, and the writer finds another agency's victims itself). ``met(pairs)`` is awaited with each
    batch's new hits ``(id, owner)`` as the writer meets them, before any refusal of theirs reaches
    the reject report (a load job audits them for their owners there: a crash then never shows a
    hit that is not audited). ``replace``: the load is the source's complete new truth; once it
    has closed with no rejected row, what its source (and owner) asserted before and it did not
    is retracted as a DEL would (:mod:`graphapi.ingest.replacement`; ``replace_skipped`` says why
    not). ``reject_report_limit``: the report's bytes at most (:mod:`graphapi.ingest.reject_report`).
    Returns a :class:`LoadSummary`;
    the reject report (if a path is given) is written even when there are no rejections, so its absence means no run.
    Raises store errors (batches written before the failure stay; rerunning converges).
    """
    import time

    started = time.perf_counter()
    summary = LoadSummary(source=source, dry_run=dry_run, replace=replace)
    guard = guard or IdentifierGuard(load_exclusions(exclusions), limit=correlation_limit)
    report: TextIO | BoundedReport | None = None
    if reject_report is not None:
        private_dir(reject_report.parent)
        # backslashreplace: a rejected row's raw bytes that are not UTF-8 are written escaped
        report = open_private(reject_report, "w", encoding="utf-8", errors="backslashreplace")
        if reject_report_limit is not None:  # a load job's: bounded like its upload
            report = BoundedReport(report, reject_report_limit)
        summary.reject_report = str(reject_report)

    def sink(rej: Rejection) -> None:
        summary.rejections.append(rej)
        if report is not None:
            report.write(reject_to_json(rej) + "\n")

    seen = 0

    def tick() -> None:
        nonlocal seen
        seen += 1
        if progress is not None and seen % 500 == 0:
            progress(reader.stats)

    # one load of a source at a time: a replace's retraction would take back another's writes (N7)
    turn = (source_turn(store, source, (provenance or Provenance()).owner) if store is not None and not dry_run
            else contextlib.nullcontext())
    try:
        async with turn:
            with relaxed_gc():
                counts, writer = await _drive(store, reader, guard, sink, tick, source=source, provenance=provenance,
                                              batch_size=batch_size, dry_run=dry_run, viewer=viewer, met=met,
                                              replace=replace, protected=protected, victim_blind=victim_blind)
                for rej in counts.rejected:
                    sink(rej)
                if replace:
                    summary.replace_skipped = await _replace(writer, summary.rejections, dry_run)
                if checkpoint and writer is not None:
                    await writer.store.checkpoint(CHECKPOINT_MIN_GROWTH)
        # not rows: relationships a row made that could not be linked, reported the same way
        summary.unlinked = [unlinked(edge) for edge in counts.dangling]
        summary.warned = list(reader.stats.warnings) + counts.warned
        if getattr(reader, "keyed_by_name", None) and counts.conflicted:  # a same-named file merged in
            summary.warned += merged_by_name(reader.keyed_by_name, counts.conflicted)
        summary.file_warnings = [{"file": w.file, "line": w.line, "reason": w.reason}
                                 for w in summary.warned if w.about_file]
        if report is not None:
            report.writelines(reject_to_json(rej) + "\n" for rej in summary.unlinked)
            report.writelines(warning_to_json(w) + "\n" for w in summary.warned)
            report.writelines(conflict_lines(counts.conflict_notes, counts.conflicts))
    finally:
        if report is not None:
            report.close()
    if progress is not None:
        progress(reader.stats)
    st = reader.stats
    # a row the writer refused (a node whose label conflicts with the stored one) is a row reject
    # so is a row whose every record the writer refused or could not link
    refused = writer.rows_wholly_refused() if writer is not None else 0
    summary.rows_read, summary.rows_rejected = st.rows, st.rejected + counts.rows_rejected + refused
    summary.rows_loaded = st.loaded - counts.rows_rejected - refused
    summary.unresolved, summary.warnings = len(st.unresolved), sum(w.count for w in summary.warned)
    summary.nodes_read, summary.relationships_read = counts.nodes_read, counts.relationships_read
    summary.nodes_written, summary.nodes_created = counts.nodes_written, counts.nodes_created
    summary.nodes_updated, summary.nodes_unchanged = counts.nodes_updated, counts.nodes_unchanged
    summary.relationships_written = counts.relationships_written
    summary.relationships_created = counts.relationships_created
    summary.relationships_updated = counts.relationships_updated
    summary.relationships_unchanged = counts.relationships_unchanged
    summary.nodes_seen, summary.relationships_seen = counts.nodes_seen, counts.relationships_seen
    summary.restricted, summary.hits, summary.conflicted = counts.restricted, list(counts.hits), counts.conflict_notes
    summary.nodes_deleted, summary.relationships_deleted = counts.nodes_deleted, counts.relationships_deleted
    summary.nodes_retracted, summary.relationships_retracted = counts.nodes_retracted, counts.relationships_retracted
    summary.statements_written, summary.statements_retracted = counts.statements_written, counts.statements_retracted
    summary.values_retracted, summary.statements_seen = counts.values_retracted, counts.statements_seen
    summary.relationships_rejected = len(counts.rejected) - counts.restricted - counts.rows_rejected
    summary.conflicts, summary.dangling = counts.conflicts, len(counts.dangling)
    summary.placeholders_excluded = len(guard.stats.excluded)
    summary.quarantined = len(guard.stats.quarantined | set(counts.quarantined))
    if dry_run:
        for name in WRITE_COUNTS:
            setattr(summary, name, None)
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


async def _replace(writer: Writer | None, rejections: list[Rejection], dry_run: bool) -> str | None:
    """Retract what the closed load's source no longer asserts, unless a row was rejected (it may
    be an item the source still asserts: bad input loses nothing). Returns why not, or None."""
    if dry_run or writer is None:
        return "dry run: nothing retracted"
    if rejections:
        rows = len({(r.file, r.line) for r in rejections})
        return (f"{len(rejections)} rejected or refused record(s) on {rows} row(s): nothing retracted (one may be "
                "something the source still asserts); fix them and run the load again")
    await writer.retract_unasserted()
    return None


async def _drive(store: GraphStore | None, reader: Reader, guard: IdentifierGuard,
                 sink: Callable[[Rejection], None], tick: Callable[[], None], *, source: str,
                 provenance: Provenance | None, batch_size: int, dry_run: bool,
                 viewer: str | None,
                 met: Callable[[list[tuple[str, str]]], Awaitable[None]] | None = None,
                 replace: bool = False, protected: frozenset[str] = frozenset(),
                 victim_blind: bool = False) -> tuple[WriteCounts, Writer | None]:
    """The records of ``reader`` through the guard into the writer (or only counted, dry);
    returns the counts and the closed writer (None when dry)."""
    stream = guard.process(_Tap(reader.records(), sink, tick, ids_checked=getattr(reader, "canonical_ids", False)))
    if dry_run or store is None:
        if not dry_run:
            raise ValueError("a store is required unless dry_run")
        # distinct ids, as the writer counts what it reads (an endpoint named on many rows once)
        counts = WriteCounts()
        node_ids: set[str] = set()
        edge_ids: set[str] = set()
        for rec in stream:
            if rec.op == "delete":
                continue
            if isinstance(rec, NodeRecord):
                node_ids.add(rec.id)
            elif isinstance(rec, EdgeRecord):
                edge_ids.add(rec.id)
        counts.nodes_read, counts.relationships_read = len(node_ids), len(edge_ids)
        return counts, None
    correlation = Correlation(frozenset(guard.ex.linking_relationships), guard.is_identifier, guard.limit)
    writer = Writer(store, batch_size=batch_size, provenance=provenance, source=source, viewer=viewer,
                    correlation=correlation, replace=replace, protected=protected, victim_blind=victim_blind)
    told = 0

    async def tell() -> None:  # the hits met since the last call, while the load goes on
        nonlocal told
        hits = writer.counts.hits
        if met is not None and len(hits) > told:
            new, told = hits[told:], len(hits)
            await met(list(new))

    try:
        for rec in stream:
            await writer.add(rec)
            await tell()
    except BaseException:
        await writer.settle_quietly()  # never leave a flush running behind a failed load
        raise
    counts = await writer.close()
    await tell()
    return counts, writer
