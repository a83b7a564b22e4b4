"""The circuit breaker across loads, in the writer: new links to a quarantined identifier are
kept as text, and an identifier linked to too many entities is flagged ``quarantined``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphapi.ingest.records import EdgeRecord, NodeRecord


@dataclass(frozen=True)
class Correlation:
    """The circuit breaker's policy for the writer: ``linking`` relationship types, which labels
    are identifiers (``is_identifier``), and the ``limit`` of distinct linked entities
    (``graphapi.ingest.guard``, ``seed/exclusions/``)."""

    linking: frozenset[str]
    is_identifier: Callable[[str], bool]
    limit: int


class CorrelationChecks:
    """:class:`graphapi.ingest.writer.Writer`'s circuit breaker (runs on its state)."""

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
            # one this load's guard quarantined: it let through only the links before its limit
            if ends is not None and ends[0] not in self._quarantined_here:
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
