"""What a load's reject report says of the circuit breaker's quarantines (u-user52, 2): the
identifiers the load's summary counts as ``quarantined``, and each row whose link to one was kept
as text on its holder (``identifiers: ["Phone:+66..."]``) instead of written as a relationship.

The summary counted ``quarantined 1`` and the report was empty: neither the identifier nor the
rows whose links became text were named. Both are warning lines now (``"warning": true``: the
rows count as loaded, :func:`graphapi.ingest.reject_report.warning_to_json`), so the load's
``warnings`` counts the rows diverted: a row once, however many of its links became text (a row
with two: ``count`` 0 on its second line). A hub's links are many: per identifier and file the
first :data:`LISTED` rows are listed, one closing line counts the rest, whether the guard or the
writer diverted them (one :class:`DivertedLinks` per load: attack round a-60, 3).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graphapi.ingest.records import EdgeRecord, LoadWarning

#: rows listed per quarantined identifier and file; the rest are counted in one line
LISTED = 1_000
#: the latest rows remembered as counted: a row's links are diverted together (one record after
#: another, or one flush), so a row is counted once while its memory stays bounded on a hub's file
REMEMBERED = 65_536


@dataclass
class _Listing:
    """One identifier's diverted rows in one file: those listed, and those counted past them."""

    rows: set[int] = field(default_factory=set)
    links: set[str] = field(default_factory=set)  # of those rows' links, listed (one retried is listed once)
    more_links: int = 0
    more_rows: int = 0  # of them, rows no line counted before
    line: int = 0  # the first row not listed


def _review(limit: int) -> str:
    return (f"quarantined: linked to more than {limit} holders, until an analyst's review "
            "(reviewQuarantine)")


def identifier_warning(ident: str, text: str, limit: int) -> LoadWarning:
    """The report line naming identifier ``ident`` (``text``: ``Phone:+66...``), quarantined: no
    row (``count`` 0; the load's ``warnings`` counts rows)."""
    return LoadWarning("", 0, f"{text} ({ident}) is {_review(limit)}: the links written before stay, its "
                       "further links are kept as text on their holders", {"id": ident}, count=0)


class DivertedLinks:
    """The links a load kept as text because their identifier is quarantined (:meth:`note`),
    as report lines (:meth:`warnings`); the first text seen of each identifier (:meth:`text_of`)."""

    def __init__(self, limit: int, listed: int | None = None) -> None:
        self.limit = limit
        self.listed = LISTED if listed is None else listed
        self._lines: list[LoadWarning] = []
        self._listings: dict[tuple[str, str], _Listing] = {}  # (file, identifier) -> its rows
        self._texts: dict[str, str] = {}
        self._counted: OrderedDict[tuple[str, int], None] = OrderedDict()  # rows counted in `warnings`

    def _count_row(self, file: str, line: int) -> int:
        """1 the first time the row at ``file`` ``line`` is noted, else 0: the load's ``warnings``
        counts rows, not links (docs/mappings.md)."""
        key = (file, line)
        if key in self._counted or not line:
            return 0 if line else 1
        self._counted[key] = None
        if len(self._counted) > REMEMBERED:
            self._counted.popitem(last=False)
        return 1

    def note(self, link: EdgeRecord, ident: str, text: str, holder: str) -> None:
        """Note ``link`` (of a row) to quarantined ``ident``, kept as ``text`` on ``holder``."""
        self._texts.setdefault(ident, text)
        o = link.origin
        file, line = (o.file, o.line) if o is not None else ("", 0)
        listing = self._listings.setdefault((file, ident), _Listing())
        if link.id in listing.links:
            return
        if line in listing.rows or len(listing.rows) < self.listed:
            listing.rows.add(line)
            listing.links.add(link.id)
            self._lines.append(LoadWarning(
                file, line, f"{link.type} to {text} kept as text on {holder}, not linked: {text} is "
                f"{_review(self.limit)}", {"id": link.id, "start": link.start, "end": link.end},
                count=self._count_row(file, line)))
            return
        if not listing.more_links:
            listing.line = line
        listing.more_links += 1
        listing.more_rows += self._count_row(file, line)

    def text_of(self, ident: str) -> str | None:
        """``Label:value`` of a quarantined identifier a noted link named, else None."""
        return self._texts.get(ident)

    def warnings(self) -> list[LoadWarning]:
        """The lines noted, then one closing line per identifier and file counting the links not
        listed (``count``: the rows of them no line counted); forgets them."""
        closing = [LoadWarning(file, listing.line, f"{listing.more_links} more links to {self._texts[ident]} kept as "
                               f"text on their holders, not listed: it is {_review(self.limit)}", None,
                               count=listing.more_rows)
                   for (file, ident), listing in self._listings.items() if listing.more_links]
        out, self._lines, self._listings = [*self._lines, *closing], [], {}
        return out


def quarantine_warnings(idents: Iterable[str], diverted: Iterable[DivertedLinks | None], limit: int,
                        label_of: Callable[[str], str | None]) -> list[LoadWarning]:
    """The report's lines for a load: one per identifier of ``idents`` (those its summary counts
    as quarantined; ``label_of`` its label, for one no link of the load named as text), then the
    rows ``diverted`` listed."""
    notes = list({id(d): d for d in diverted if d is not None}.values())  # the guard's is the writer's
    lines = []
    for ident in sorted(set(idents)):
        text = next((t for t in (d.text_of(ident) for d in notes) if t), None) or \
            f"{label_of(ident) or 'Identifier'}:{ident.split(':', 1)[-1]}"
        lines.append(identifier_warning(ident, text, limit))
    for d in notes:
        lines += d.warnings()
    return lines

