"""A writer's tally: what its retractions did and, once the load is closed, the distinct counts
of what it read, created, updated, refused or left unchanged (:class:`WriteCounts`)."""

from __future__ import annotations

from graphapi.ingest.retraction import Retractions


class WriteTally:
    """:class:`graphapi.ingest.writer.Writer`'s counting (runs on its state)."""

    def _count(self, done: Retractions) -> None:
        self._retracted = True
        self.counts.nodes_deleted += done.nodes_deleted
        self.counts.nodes_retracted += done.nodes_retracted
        self.counts.relationships_deleted += done.relationships_deleted
        self.counts.relationships_retracted += done.relationships_retracted
        self.counts.statements_retracted += done.statements_retracted
        self.counts.values_retracted += done.values_retracted
        self._updated_nodes |= done.nodes_narrowed & self._read_nodes
        self._updated_edges |= done.relationships_narrowed & self._read_edges

    def _count_nodes(self) -> None:
        """The distinct counts of the closed load: each node or relationship read is created,
        updated, refused (or, a relationship, left dangling) or unchanged, once however many rows
        and flushes named it."""
        c = self.counts
        told = self._told_created_nodes - self._created_nodes - self._refused_nodes
        c.nodes_created += len(told)
        self._created_nodes |= told
        c.nodes_read, c.relationships_read = len(self._read_nodes), len(self._read_edges)
        c.nodes_updated = len(self._updated_nodes - self._created_nodes)
        c.nodes_written = len(self._created_nodes) + c.nodes_updated
        c.nodes_unchanged = len(self._read_nodes - self._created_nodes - self._updated_nodes - self._refused_nodes)
        # written only to move lastSeen (a reload seen later): unchanged, and counted seen
        c.nodes_seen = len(self._seen_nodes - self._created_nodes - self._updated_nodes - self._refused_nodes)
        # a relationship created in one flush and named again in a later one is created only
        c.relationships_updated = len(self._updated_edges - self._created_edges)
        c.relationships_written = c.relationships_created + c.relationships_updated
        c.relationships_unchanged = len(self._unchanged_edges - self._updated_edges - self._created_edges)
        c.relationships_seen = len(self._seen_edges - self._updated_edges - self._created_edges)
