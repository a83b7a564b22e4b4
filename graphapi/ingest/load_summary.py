"""What a load reports: its closing summary (:class:`LoadSummary`) and its reject report's lines.

Rows read = rows loaded + rows rejected, always; every rejection goes to the reject report
(JSON lines: ``file``, ``line``, ``reason``, ``raw``) and none is silently dropped; so does every
warning about a row loaded (``"warning": true``: an account of a bank no gazetteer knows).
:func:`tally` counts a closed load into its summary; :func:`graphapi.ingest.pipeline.run_load`
runs the load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphapi.ingest.conflict_notes import ConflictNote
from graphapi.ingest.guard import IdentifierGuard
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, LoadWarning, Rejection
from graphapi.ingest.writer import WriteCounts


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


def tally(summary: LoadSummary, stats: ReadStats, counts: WriteCounts, guard: IdentifierGuard,
          refused: int) -> None:
    """Count a closed load into ``summary``: the reader's ``stats``, the writer's ``counts`` (or a
    dry run's), the ``guard``'s, and ``refused``, the rows whose every record the writer refused or
    could not link. In a dry run the write counts are None (:data:`WRITE_COUNTS`)."""
    # a row the writer refused (a node whose label conflicts with the stored one) is a row reject
    # so is a row whose every record the writer refused or could not link
    summary.rows_read, summary.rows_rejected = stats.rows, stats.rejected + counts.rows_rejected + refused
    summary.rows_loaded = stats.loaded - counts.rows_rejected - refused
    summary.unresolved, summary.warnings = len(stats.unresolved), sum(w.count for w in summary.warned)
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
    if summary.dry_run:
        for name in WRITE_COUNTS:
            setattr(summary, name, None)
