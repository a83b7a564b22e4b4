"""What a load wrote: :class:`WriteCounts`, accumulated per batch and returned by the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphapi.ingest.conflict_notes import ConflictNote, keep
from graphapi.ingest.records import EdgeRecord, LoadWarning, Rejection

#: conflicted relationships a load keeps to warn of (each file warned of once; a bound on memory)
MAX_CONFLICTED = 1000


@dataclass
class WriteCounts:
    """What a load wrote. ``*_read``: distinct ids among the records the writer was given (a dry run counts
    the same); ``*_created``: ids that did not exist before; ``*_updated``: stored ids whose fields
    this load changed; ``*_written`` = created + updated; ``*_unchanged``: stored ids that already
    held all the load says of them (no value written to them, though the source's statements may
    be); ``*_seen``: of those, the ones written only to move their ``lastSeen`` (the same values
    said again later, as ``statements_seen`` counts statements); ``conflicts``: disagreeing values
    recorded; ``dangling``: edge ids not created because an endpoint is missing (or one the viewer
    may not see); ``*_deleted`` / ``*_retracted``: what delta DELs deleted, and the items they left
    with the load's source withdrawn (:mod:`graphapi.ingest.retraction`); ``statements_written`` /
    ``statements_retracted``: per-value provenance statements written with new or changed values,
    and deleted (:mod:`graphapi.ingest.statements`); ``statements_seen``: statements written again
    only to move their values' lastSeen (a reload of the same values); ``values_retracted``: values
    a whole-source replace took out of statements it kept (:mod:`graphapi.ingest.replacement`);
    ``rejected``: edges the ontology does not allow between their endpoint labels, and records
    refused because they would merge into an item the viewer may not see (``restricted`` counts
    those), and nodes refused for a label conflict (``rows_rejected`` counts their rows: a row
    reject, not a relationship's)."""

    nodes_read: int = 0
    nodes_written: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    nodes_seen: int = 0
    relationships_read: int = 0
    relationships_written: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    relationships_seen: int = 0
    conflicts: int = 0
    nodes_deleted: int = 0
    nodes_retracted: int = 0
    relationships_deleted: int = 0
    relationships_retracted: int = 0
    statements_written: int = 0
    statements_seen: int = 0
    statements_retracted: int = 0
    values_retracted: int = 0
    batches: int = 0
    dangling: list[EdgeRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    restricted: int = 0
    rows_rejected: int = 0
    quarantined: list[str] = field(default_factory=list)
    #: relationships whose values disagreed with the stored one's (up to :data:`MAX_CONFLICTED`):
    #: on a key made of a file's name, the sign of a same-named file merged into another's rows
    conflicted: list[EdgeRecord] = field(default_factory=list)
    #: the first conflicts recorded, named in the reject report (:mod:`graphapi.ingest.conflict_notes`)
    conflict_notes: list[ConflictNote] = field(default_factory=list)
    #: (id, owner agency) of each refusal as ``restricted``: hits the owner's audit trail gets
    hits: list[tuple[str, str]] = field(default_factory=list)
    #: rows loaded with a warning (a record kept apart on another agency's placeholder)
    warned: list[LoadWarning] = field(default_factory=list)

    def add(self, other: WriteCounts) -> None:
        """Accumulate ``other`` into this one."""
        for name in ("nodes_read", "nodes_written", "nodes_created", "nodes_updated", "nodes_unchanged",
                     "nodes_seen", "relationships_read", "relationships_written", "relationships_created",
                     "relationships_updated", "relationships_unchanged", "relationships_seen"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.conflicts += other.conflicts
        self.nodes_deleted += other.nodes_deleted
        self.relationships_deleted += other.relationships_deleted
        self.nodes_retracted += other.nodes_retracted
        self.relationships_retracted += other.relationships_retracted
        self.statements_written += other.statements_written
        self.statements_seen += other.statements_seen
        self.statements_retracted += other.statements_retracted
        self.values_retracted += other.values_retracted
        self.batches += other.batches
        self.dangling.extend(other.dangling)
        self.rejected.extend(other.rejected)
        self.restricted += other.restricted
        self.rows_rejected += other.rows_rejected
        self.conflicted.extend(other.conflicted[:MAX_CONFLICTED - len(self.conflicted)])
        keep(self.conflict_notes, other.conflict_notes)
        self.quarantined.extend(other.quarantined)
        self.hits.extend(other.hits)
        self.warned.extend(other.warned)


class RowRecords:
    """How many records each file line gave the writer, so that a row all of whose records were
    refused (a restricted hit, would disclose, a relationship the ontology does not allow) or left
    dangling counts as a rejected row, not a loaded one: rows read = loaded + rejected. One byte
    per line (capped at 255: a row of more records is never wholly refused by this count)."""

    def __init__(self) -> None:
        self._by_file: dict[str, bytearray] = {}

    def add(self, file: str, line: int) -> None:
        counts = self._by_file.get(file)
        if counts is None:
            counts = self._by_file[file] = bytearray()
        if line >= len(counts):
            counts.extend(bytes(max(line + 1 - len(counts), len(counts))))
        if counts[line] < 255:
            counts[line] += 1

    def wholly_refused(self, counts: WriteCounts, already: set[tuple[str, int]]) -> int:
        """The rows (not in ``already``: rows rejected whole for another reason) whose every
        record is among ``counts.rejected`` or ``counts.dangling``."""
        failed: dict[tuple[str, int], int] = {}
        for rej in counts.rejected:
            if rej.line:
                failed[(rej.file, rej.line)] = failed.get((rej.file, rej.line), 0) + 1
        for rec in counts.dangling:
            if rec.origin is not None and rec.origin.line:
                key = (rec.origin.file, rec.origin.line)
                failed[key] = failed.get(key, 0) + 1
        out = 0
        for (file, line), n in failed.items():
            given = self._by_file.get(file)
            records = given[line] if given is not None and line < len(given) else 0
            if (file, line) not in already and 0 < records < 255 and n >= records:
                out += 1
        return out
