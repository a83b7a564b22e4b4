"""One load: reader -> identifier guard -> writer, with reject report and summary counts.

``run_load`` is what the CLI, the demo seed, the GraphQL/HTTP ingest service and the tests call.
This module runs the load: the reject report opened, one load of a source at a time, the records
through the tap (:mod:`graphapi.ingest.record_tap`) and the guard into the writer, a replace's
retraction, the store's checkpoint. What it reports, and how the counts add up (rows read = rows
loaded + rows rejected, always), is :mod:`graphapi.ingest.load_summary`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TextIO

from graphapi.ingest.conflict_notes import conflict_lines
from graphapi.ingest.guard import HolderText, IdentifierGuard, load_exclusions
from graphapi.ingest.load_gc import relaxed_gc
from graphapi.ingest.load_summary import LoadSummary, tally, unlinked
from graphapi.ingest.quarantine_notes import quarantine_warnings
from graphapi.ingest.readers.base import Reader, ReadStats
from graphapi.ingest.readers.row_identity import merged_by_name
from graphapi.ingest.record_tap import LinksRefused, Tap
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.reject_report import BoundedReport, reject_to_json, warning_to_json
from graphapi.ingest.source_turns import source_turn
from graphapi.ingest.writer import Correlation, Provenance, WriteCounts, Writer
from graphapi.private_files import open_private, private_dir
from graphapi.store.base import DEFAULT_BATCH_SIZE, GraphStore

#: A load compacts the embedded store's append-only file only once it holds this many bytes of
#: statements since the last compaction: the compaction writes a snapshot of the WHOLE graph
#: (0.6-2.2 s at the bench's quick scale on the shared box, once per load), while replaying a
#: few MiB of statements at the next start takes about as long as sending them did. Small
#: loads into a big graph add up until one of them passes the bound.
CHECKPOINT_MIN_GROWTH = 8 * 1024 * 1024


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
        summary.warned = list(reader.stats.warnings) + counts.warned + quarantine_warnings(
            guard.stats.quarantined | set(counts.quarantined), (guard.diverted, writer and writer.diverted),
            guard.limit, guard.label_of)
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
    tally(summary, reader.stats, counts, guard, writer.rows_wholly_refused() if writer is not None else 0)
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
    tap = Tap(reader.records(), sink, tick, ids_checked=getattr(reader, "canonical_ids", False))
    stream = guard.process(tap)
    if dry_run or store is None:
        if not dry_run:
            raise ValueError("a store is required unless dry_run")
        # distinct ids, as the writer counts what it reads (an endpoint named on many rows once)
        counts = WriteCounts()
        node_ids: set[str] = set()
        edge_ids: set[str] = set()
        for rec in stream:
            if isinstance(rec, LinksRefused | HolderText) or rec.op == "delete":
                continue
            if isinstance(rec, NodeRecord):
                node_ids.add(rec.id)
            elif isinstance(rec, EdgeRecord):
                edge_ids.add(rec.id)
        counts.nodes_read, counts.relationships_read = len(node_ids), len(edge_ids)
        return counts, None
    correlation = Correlation(frozenset(guard.ex.linking_relationships), guard.is_identifier, guard.limit,
                              guard.counted)
    writer = Writer(store, batch_size=batch_size, provenance=provenance, source=source, viewer=viewer,
                    correlation=correlation, replace=replace, protected=protected, victim_blind=victim_blind)
    writer.diverted = guard.diverted  # one cap per identifier and file, one count per row (a-60, 3)
    told = 0

    async def tell() -> None:  # the hits met since the last call, while the load goes on
        nonlocal told
        hits = writer.counts.hits
        if met is not None and len(hits) > told:
            new, told = hits[told:], len(hits)
            await met(list(new))

    try:
        for rec in stream:
            if isinstance(rec, LinksRefused):  # rejected rows' links, held to a bound (52, 2)
                await writer.refuse_links(rec.links)
                continue
            if isinstance(rec, HolderText):  # a link made text on a holder named only by id
                writer.keep_as_text(rec)
                continue
            await writer.add(rec)
            if met is not None and len(writer.counts.hits) > told:  # tell()'s test: no coroutine per record
                await tell()
            if tap.rejected_links:  # what rejected rows said: their echoes no wider (51, 1)
                await writer.refuse_links(tap.take_links())
        await writer.refuse_links(tap.take_links())
    except BaseException:
        await writer.settle_quietly()  # never leave a flush running behind a failed load
        raise
    counts = await writer.close()
    await tell()
    return counts, writer
