"""The line marks of a natural-key node's statement (:data:`graphapi.ingest.statements.LINE_REFERENT`
and :data:`~graphapi.ingest.statements.LEGACY_REFERENT` entries): which lines of its source it
names, and what a DEL or MOD of some of them takes from it (:mod:`graphapi.ingest.keyed_line_deletes`,
:mod:`graphapi.ingest.statement_store`). Moved out of :mod:`graphapi.ingest.statements`, which
imports nothing from here. All functions here are pure."""

from __future__ import annotations

from collections.abc import Collection

from graphapi.ingest.statements import LEGACY_REFERENT, LINE_REFERENT, Statement

_MARKS = (LINE_REFERENT, LEGACY_REFERENT)


def _marked(stmt: Statement) -> bool:
    return any(prop in _MARKS for prop, _ in stmt.entries)


def lines_named(stmt: Statement, dropped: Collection[tuple[str, str]] = ()) -> set[str]:
    """The lines of its source a natural-key node's statement names, once its ``dropped`` entries
    go: its :data:`LINE_REFERENT` and :data:`LEGACY_REFERENT` entries; one written before they were
    kept has none, and its ``referents`` are taken as lines. Whether it had them is read before the
    drop: a statement whose last line entry goes names no line, whatever ids FtM merged into that
    line are left in its ``referents`` (attack round a-104, 1: the merged ``r-1`` became a line and
    kept the node)."""
    marks = _MARKS if _marked(stmt) else ("referents",)
    return {text for prop, text in stmt.entries if prop in marks and (prop, text) not in dropped}


def line_entries(stmt: Statement, lines: Collection[str], said: Collection[str]) -> list[tuple[str, str]]:
    """The entries of ``stmt`` a DEL (or a MOD into other datasets) of keyed ``lines`` takes
    (``said``: the referents of their records, merged ids too): each line's :data:`LINE_REFERENT`
    and the referent naming it (the ids FtM merged into it stay while another line states the
    node: :mod:`graphapi.ingest.keyed_line_deletes`), and every referent the records name that
    ``stmt`` held before the lines were marked (its :data:`LEGACY_REFERENT` entries, or its
    ``referents`` in a statement with no mark), as the DEL took them then (a-104, 2)."""
    legacy = ({text for prop, text in stmt.entries if prop == LEGACY_REFERENT} if _marked(stmt)
              else {text for prop, text in stmt.entries if prop == "referents"})
    # a legacy referent its record said with one of the lines (one run of referents) is an id FtM
    # merged into that line, not another line: it goes with the line (a-113, 0: a legacy line's MOD
    # naming no merged id any more left r-31, and W1 kept the line's old level and value)
    runs = _referent_runs(stmt)
    own = {runs[t] for t in lines if t in runs}
    return [(prop, text) for prop, text in stmt.entries
            if (prop in ("referents", LINE_REFERENT) and text in lines)
            or (prop in ("referents", LEGACY_REFERENT) and text in legacy
                and (text in said or runs.get(text, -1) in own))]


def _referent_runs(stmt: Statement) -> dict[str, int]:
    """``stmt``'s referents, each with the number of its run: ``referents`` entries side by side,
    first said by one record, as one record's referents are (they come before its other values).
    A recordId alone does not tell a record: it is the file's base name and line, so line 1 of two
    days' ``wallets.json`` share it (a-115, 1: k-2's referent, so said, went as an id merged into
    k-1, and k-1's DEL took W1 whole); another load's referent follows some other value."""
    runs: dict[str, int] = {}
    run, last = -1, None
    for (prop, text), seen in stmt.entries.items():
        if prop != "referents":
            last = None
            continue
        if seen[0] != last:
            run, last = run + 1, seen[0]
        runs[text] = run
    return runs


def names_another_line(base: Statement, later: Statement) -> bool:
    """Whether ``base``, the source's one statement of a natural-key node (marked by
    :func:`with_lines_marked`), names a line that ``later``, a keyed line's MOD, does not: one of its
    :data:`LINE_REFERENT` entries ``later``'s do not name, or one of its :data:`LEGACY_REFERENT`
    entries ``later``'s referents do not (a legacy referent the MOD's record names is that line's,
    as before the marks). A MOD of one line onto a key another line holds replaced that line's
    referent away, and the moved line's DEL then took the node whole (attack round a-94, 4): such a
    MOD merges, as the lines' ADDs do."""
    said = {text for prop, text in later.entries if prop == LINE_REFERENT}
    if not said:  # no keyed line's: a plain entity's MOD replaces, whatever ids FtM merged (a-104, 3)
        return False
    referents = {text for prop, text in later.entries if prop == "referents"}
    # a legacy referent first said by the record that said the MOD's line is an id FtM merged into
    # that line, not another line (a-107, 2: FtM's dedupe changed r-1 to r-2, and the MOD kept r-1)
    its_records = {base.entries[(LEGACY_REFERENT, t)][0] for t in said if (LEGACY_REFERENT, t) in base.entries}
    return any((p == LINE_REFERENT and t not in said)
               or (p == LEGACY_REFERENT and t not in referents and seen[0] not in its_records)
               for (p, t), seen in base.entries.items())


def with_lines_marked(base: Statement, later: Statement) -> Statement:
    """``base`` with its ``referents`` kept as :data:`LEGACY_REFERENT` entries where it is a
    statement written before the :data:`LINE_REFERENT` entries (every referent then was taken as a
    line) and ``later``, merged into it, has them: else the older lines would stop counting once a
    new line is marked. Not marked as lines: a merged id among them would then keep the node for
    good (a-104, 2)."""
    if _marked(base) or not any(p == LINE_REFERENT for p, _ in later.entries):
        return base
    out = base.at_level(base.tlp, base.shared_with)
    for (prop, text), seen in base.entries.items():
        if prop == "referents":
            out.entries[(LEGACY_REFERENT, text)] = list(seen)
    return out
