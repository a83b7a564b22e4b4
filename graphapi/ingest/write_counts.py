"""What a load wrote: :class:`WriteCounts`, accumulated per batch and returned by the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphapi.ingest.records import EdgeRecord, Rejection


@dataclass
class WriteCounts:
    """What a load wrote. ``*_written``: records sent (after de-duplication by id);
    ``*_created``: ids that did not exist before; ``conflicts``: disagreeing values recorded;
    ``dangling``: edge ids not created because an endpoint is missing (or one the viewer may not
    see); ``*_deleted`` / ``*_retracted``: what delta DELs deleted, and the items they left with
    the load's source withdrawn (:mod:`graphapi.ingest.retraction`); ``statements_written`` /
    ``statements_retracted``: per-value provenance statements written and deleted
    (:mod:`graphapi.ingest.statements`); ``values_retracted``: values a whole-source replace took
    out of statements it kept (:mod:`graphapi.ingest.replacement`); ``rejected``: edges the
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
    values_retracted: int = 0
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
        self.values_retracted += other.values_retracted
        self.batches += other.batches
        self.dangling.extend(other.dangling)
        self.rejected.extend(other.rejected)
        self.restricted += other.restricted
        self.rows_rejected += other.rows_rejected
        self.quarantined.extend(other.quarantined)
        self.hits.extend(other.hits)
