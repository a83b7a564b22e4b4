"""What a writer does with the link records of rows refused before they were written: none is
written, but each still keeps its agency's echo of the link no wider than the row said (attack
rounds 49 and 51, 1; a DEL says no level, 50). Rows come refused two ways: whole, for a label
conflict beside them in the writer (:meth:`graphapi.ingest.write_rules.RefusalRules`), or by the
reader (``Rejection.links``, handed over by the load's tap). Part of :class:`graphapi.ingest.writer.Writer`."""

from __future__ import annotations

from collections.abc import Iterable

from graphapi.ingest.echoes import narrow_refused_links
from graphapi.ingest.records import EdgeRecord

#: Link records of rejected rows a writer holds before it narrows their echoes (:meth:`RefusedLinks.refuse_links`).
REFUSED_LINKS_HELD = 10_000


class RefusedLinks:
    """The refused rows' link records of a :class:`~graphapi.ingest.writer.Writer` (its ``_refused_links``)."""

    _refused_links: list[EdgeRecord]

    async def refuse_links(self, records: Iterable[EdgeRecord]) -> None:
        """Link records of rows a reader rejected or the writer refused whole (a label conflict beside
        them): none written, their echoes no wider, at the writer's close or once
        :data:`REFUSED_LINKS_HELD` wait."""
        self._refused_links.extend(r for r in records if r.op != "delete")
        if len(self._refused_links) >= REFUSED_LINKS_HELD:
            await self._narrow_refused()

    async def _narrow_refused(self) -> None:
        await self._settle()  # a flush running may write one of them back
        if self._refused_links:
            links, self._refused_links = self._refused_links, []
            async with self._exclusively():
                self.counts.batches += await narrow_refused_links(self.store, links, self.source, self.prov,
                                                                  self.batch_size)

    def rows_wholly_refused(self) -> int:
        """Rows (besides those refused whole for a label conflict) whose every record was refused
        or left dangling: rejected rows, not loaded ones. Call after the writer's close."""
        return self.row_records.wholly_refused(self.counts, {(file, line) for _s, file, line in self._refused_rows})
