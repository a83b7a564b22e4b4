"""What every reader shares: row accounting and the record stream type.

A reader is an object with ``stats`` (:class:`ReadStats`) and ``records()``, an iterator of
:class:`NodeRecord`, :class:`EdgeRecord` and :class:`Rejection` values. Every source row is
counted once in ``stats.rows``; a row that yields a :class:`Rejection` is counted in
``stats.rejected``; so rows loaded = ``rows - rejected`` always (DESIGN.md: bad input is never
dropped in silence).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

Item = NodeRecord | EdgeRecord | Rejection


@dataclass
class ReadStats:
    """Row accounting of one reader: ``rows`` read, ``rejected`` rows, ``unresolved`` references
    (ids of placeholder nodes made for references with no row of their own)."""

    rows: int = 0
    rejected: int = 0
    unresolved: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        """Rows read and not rejected."""
        return self.rows - self.rejected


class Reader(Protocol):
    """A source reader; ``records()`` may be iterated once."""

    stats: ReadStats

    def records(self) -> Iterator[Item]:
        """Yield records and rejections, row by row."""
        ...
