"""A MOD or DEL of a line whose records are line statements (an FtM Passport's number on its holder
and its ``HOLDS_DOCUMENT``, a Call's ``USES_PHONE``: :mod:`graphapi.ingest.statements`) replaces
what that line said: what it stated before and its new version does not say goes, as the DEL of the
line takes it (:mod:`graphapi.ingest.line_deletes`); what another line of the source states stays.
What the line stated is found by the line (``provenance/line_statements``), not by the items the
MOD's or DEL's values name (attack round a-69, F2: a MOD of a Passport's number left the old number,
its document and link, 20 MODs 20 documents; F5: a DEL naming another holder than the stored line
left what the line had said of hers).

:class:`ReplacedLines` follows a load's records in the order they are read, as
:mod:`graphapi.ingest.replaced_links` follows a link record's pairs: a record that renews a line
(``renews``: a MOD of it; a Call's ``CALLED`` names its line so) or deletes its line, and a DEL of
a Call by its id alone, start the line's new version (once per row: a row's own records add up),
and the items the line's records name after it (the MOD's, a later ADD's) are that version's. The
first record of each item in it replaces the line's statement about the item
(:meth:`ReplacedLines.renews`, a replace of :class:`~graphapi.ingest.statement_store.StatementLog`),
so an old number leaves it; the rest of the version merge. Once the load wrote them,
:meth:`graphapi.ingest.line_deletes.LineDeletes._renew_lines` notes the line's stored statements
about other items as the line's DELs, and rebuilds the values of the nodes it said again from
their statements. Run again after a kill it finds what is left by the line the same way.
A ``CALLED`` the line's new version draws (its MOD's row, or an ADD after it) makes that version a
Call (:meth:`ReplacedLines.calls`); a line whose last version is not one loses the CALLED it drew.
"""

from __future__ import annotations

from collections.abc import Collection

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin

Row = tuple[str, str, int]


class ReplacedLines:
    """The lines a load renewed (MOD) or deleted, and the items each new version names, by source."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], set[str]] = {}  # (source, line) -> items its new version names
        self._rows: dict[tuple[str, str], Row] = {}  # the row that started each line's new version
        # (source, line, item) -> the row whose record of the item replaces the line's statement: a
        # record of an earlier row held back behind a DEL (an ADD before the MOD) merges (a-83, F6)
        self._renewing: dict[tuple[str, str, str], Row] = {}
        self._calls: set[tuple[str, str]] = set()  # (source, line) whose new version drew a CALLED

    def __bool__(self) -> bool:
        return bool(self._kept)

    def note(self, record: NodeRecord | EdgeRecord, source: str) -> None:
        """Follow one record as the load reads it (``source``: the source it writes under)."""
        started = record.renews or (record.line if record.op == "delete" else "")
        if started:
            self.start(started, source, record.origin)
        if type(record) is EdgeRecord and record.type == "CALLED" and record.op != "delete":
            # a Call drawn by the line's new version, by its row or a later ADD's (a-83, F5: the
            # ADD as a Call after the MOD drew the CALLED and the load took it again)
            key = (source, str(record.properties.get("recordId") or ""))
            if key in self._kept:
                self._calls.add(key)
            return
        if not record.line and type(record) is NodeRecord and record.op != "delete":
            # the line's own node (a Person MOD'd as a Person, or ADDed after): its version says it
            # again; not another line's reference to it
            if not record.unresolved and (source, record.id) in self._kept:
                self._kept[(source, record.id)].add(record.id)
            return
        if not record.line or record.op == "delete":
            return
        kept = self._kept.get((source, record.line))
        if kept is None or record.id in kept:
            return
        kept.add(record.id)
        self._renewing[(source, record.line, record.id)] = _row(record.origin)

    def start(self, line: str, source: str, origin: Origin | None) -> None:
        """A MOD or DEL of ``line`` read at ``origin``: its new version starts, unless that row's
        started it already (a second MOD, or a DEL, starts again)."""
        row = _row(origin)
        if self._rows.get((source, line)) != row:
            self._kept[(source, line)], self._rows[(source, line)] = set(), row
            self._calls.discard((source, line))

    def calls(self) -> set[tuple[str, str]]:
        """The (source, line) whose last version is a Call: it drew a CALLED since the row that
        started it (a later MOD as a Passport after the MOD as a Call starts a version that draws
        none, which decides: attack round a-76, F1)."""
        return set(self._calls)

    def renews(self, record: NodeRecord | EdgeRecord, source: str) -> bool:
        """True for the first record of an item in its line's new version (asked once, as it is
        buffered): its statement replaces the line's stored one."""
        if not self._renewing or not record.line:
            return False
        key = (source, record.line, record.id)
        if self._renewing.get(key) != _row(record.origin):
            return False
        del self._renewing[key]
        return True

    def take(self, refused_rows: Collection[Row] = ()) -> dict[tuple[str, str], set[str]]:
        """The lines renewed or deleted since the last call, each with the items its new version
        names, but those whose MOD row the writer refused whole (it loads nothing, so it takes
        nothing either: its old version stands)."""
        taken = {key: kept for key, kept in self._kept.items() if self._rows[key] not in refused_rows}
        self._kept, self._rows, self._renewing, self._calls = {}, {}, {}, set()
        return taken


def _row(origin: Origin | None) -> Row:
    return (origin.source, origin.file, origin.line) if origin is not None else ("", "", 0)
