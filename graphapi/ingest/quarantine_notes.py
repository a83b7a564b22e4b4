"""What a load's reject report says of the circuit breaker's quarantines (u-user52, 2): the
identifiers the load's summary counts as ``quarantined``, and each row whose link to one was kept
as text on its holder (``identifiers: ["Phone:+66..."]``) instead of written as a relationship.

The summary counted ``quarantined 1`` and the report was empty: neither the identifier nor the
rows whose links became text were named. Both are warning lines now (``"warning": true``: the
rows count as loaded, :func:`graphapi.ingest.reject_report.warning_to_json`), so the load's
``warnings`` counts the rows diverted. A hub's links are many: per identifier and file the first
:data:`LISTED` rows are listed, one closing line counts the rest
(:class:`graphapi.ingest.readers.counted_warnings.CountedWarnings`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graphapi.ingest.readers.counted_warnings import CountedWarnings
from graphapi.ingest.records import EdgeRecord, LoadWarning

#: rows listed per quarantined identifier and file; the rest are counted in one line
LISTED = 1_000


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

    def __init__(self, limit: int, listed: int = LISTED) -> None:
        self.limit = limit
        self._lines: list[LoadWarning] = []
        self._counted = CountedWarnings(listed)
        self._texts: dict[str, str] = {}

    def note(self, link: EdgeRecord, ident: str, text: str, holder: str) -> None:
        """Note ``link`` (of a row) to quarantined ``ident``, kept as ``text`` on ``holder``."""
        self._texts.setdefault(ident, text)
        o = link.origin
        file, line = (o.file, o.line) if o is not None else ("", 0)
        said = (f"{{n}} more links to {text} kept as text on their holders, not listed: it is "
                f"{_review(self.limit)}")
        if self._counted.listed(file, line, ident, f"{line}:{link.id}", said):
            self._lines.append(LoadWarning(
                file, line, f"{link.type} to {text} kept as text on {holder}, not linked: {text} is "
                f"{_review(self.limit)}", {"id": link.id, "start": link.start, "end": link.end}))

    def text_of(self, ident: str) -> str | None:
        """``Label:value`` of a quarantined identifier a noted link named, else None."""
        return self._texts.get(ident)

    def warnings(self) -> list[LoadWarning]:
        """The lines noted, then the closing counts; forgets them."""
        out, self._lines = [*self._lines, *self._counted.closing()], []
        return out


def quarantine_warnings(idents: Iterable[str], diverted: Iterable[DivertedLinks | None], limit: int,
                        label_of: Callable[[str], str | None]) -> list[LoadWarning]:
    """The report's lines for a load: one per identifier of ``idents`` (those its summary counts
    as quarantined; ``label_of`` its label, for one no link of the load named as text), then the
    rows ``diverted`` listed."""
    notes = [d for d in diverted if d is not None]
    lines = []
    for ident in sorted(set(idents)):
        text = next((t for t in (d.text_of(ident) for d in notes) if t), None) or \
            f"{label_of(ident) or 'Identifier'}:{ident.split(':', 1)[-1]}"
        lines.append(identifier_warning(ident, text, limit))
    for d in notes:
        lines += d.warnings()
    return lines

