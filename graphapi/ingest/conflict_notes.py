"""Which values a load found in conflict, for its reject report (new-user report 51: a load
said ``conflicts: 1`` and nothing named the node, the property or the values).

A value that disagrees with the stored one is kept in the item's ``conflicts``
(:func:`graphapi.ingest.merge.conflict_entry`) and counted in the load's ``conflicts``; the writer
also notes each such entry as a :class:`ConflictNote`: the node's or relationship's id, the
property, the value that stays and the one that disagreed with their sources, and the file and
line of the record that brought it. A load keeps at most :data:`MAX_CONFLICT_NOTES` of them (a
file of a million conflicts costs no more memory than that); its report lists those and one line
counting the rest (``conflictsNotListed``), so the counts stay exact.

The value that stays and its sources are named only to a load that sees every source (an
operator's, no ``viewer``): an agency's load is told the property, its own record's value and
sources, and that the item keeps another value, never which: the kept value may be one it may not
read (a victim's name, blanked for a reader without victim-data even of the owner agency; another
agency's statement; attack round 52, 1), nor who asserted it (``Entity.sources`` hides a source
whose every statement it may not see).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphapi.ingest.records import Origin

#: conflicts a load names in its report (the count of the others follows them)
MAX_CONFLICT_NOTES = 1_000


@dataclass(frozen=True)
class ConflictNote:
    """One conflict a load recorded: on ``item`` (a node's or relationship's id, ``kind``),
    ``property`` keeps ``kept`` (asserted by ``kept_sources``; both None when not for this load to
    know: an agency's load) and ``value`` of ``sources`` disagreed, brought by the record at ``file`` line ``line``."""

    kind: str
    item: str
    property: str
    kept: Any
    kept_sources: tuple[str, ...] | None
    value: Any
    sources: tuple[str, ...]
    file: str
    line: int


def note_batch_conflicts(writer: Any, item: str, old: dict[str, Any], merged: dict[str, Any],
                         origin: Origin | None) -> None:
    """Remember, for the writer's next write of ``item``, the record (``origin``) that brought each
    conflict two records of one batch make (``old``: the first one's values, whose sources hold
    the value that stays); the item's first record is the one a write knows. At most
    :data:`MAX_CONFLICT_NOTES` remembered; each taken by :func:`new_conflicts`."""
    before = set(old.get("conflicts") or [])
    found = writer._batch_conflicts
    for text in merged.get("conflicts") or []:
        if text not in before and len(found) < MAX_CONFLICT_NOTES:
            found[(item, text)] = (origin, tuple(old.get("sources") or ()))


def new_conflicts(item: str, kind: str, old: dict[str, Any], merged: dict[str, Any], origin: Origin | None,
                  writer: Any) -> list[ConflictNote]:
    """The conflicts ``merged`` (the item's properties as written) holds that the stored ``old``
    did not: one note each, brought by ``origin`` unless the batch said which record did
    (:func:`note_batch_conflicts`). ``writer``: the load's, whose ``viewer`` (None: it sees every
    source) says whether the kept value's sources are named."""
    see_all = getattr(writer, "viewer", None) is None
    batch = getattr(writer, "_batch_conflicts", {})
    before = set(old.get("conflicts") or [])
    out = []
    for text in merged.get("conflicts") or []:
        if text in before:
            continue
        brought, kept_by = batch.pop((item, text), (origin, tuple(old.get("sources") or ())))
        try:
            entry = json.loads(text)
        except (TypeError, ValueError):
            continue
        prop = entry.get("property")
        out.append(ConflictNote(
            kind, item, str(prop), merged.get(prop) if see_all else None, kept_by if see_all else None,
            entry.get("value"),
            tuple(entry.get("sources") or ()), brought.file if brought else "", brought.line if brought else 0))
    return out


def keep(notes: list[ConflictNote], more: list[ConflictNote]) -> None:
    """Add ``more`` to ``notes`` up to :data:`MAX_CONFLICT_NOTES`."""
    notes.extend(more[:max(0, MAX_CONFLICT_NOTES - len(notes))])


def _said(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def conflict_reason(note: ConflictNote) -> str:
    """``node p-1 birthDate keeps "1980-01-01" (a); "1981-02-02" (b) disagrees, kept in its conflicts``
    (an agency's load: ``node p-1 birthDate keeps another value; "1981-02-02" (b) disagrees, ...``)."""
    if note.kept_sources is None:
        kept = "another value"
    else:
        kept = _said(note.kept) + (f" ({', '.join(note.kept_sources)})" if note.kept_sources else "")
    return (f"{note.kind} {note.item} {note.property} keeps {kept}; "
            f"{_said(note.value)} ({', '.join(note.sources)}) disagrees, kept in its conflicts")


def conflict_to_json(note: ConflictNote) -> str:
    """One report line: ``{"file", "line", "reason", "raw": null, "conflict": {...}}``; the row
    was loaded (a conflict is no rejection), its value kept in the item's ``conflicts``."""
    reason = f"conflict: {conflict_reason(note)}"
    conflict = {"kind": note.kind, "id": note.item, "property": note.property,
                "value": note.value, "sources": list(note.sources)}
    if note.kept_sources is not None:  # an operator's load: the value that stays, and who said it
        conflict["kept"], conflict["keptSources"] = note.kept, list(note.kept_sources)
    return json.dumps({"file": note.file, "line": note.line, "reason": reason, "raw": None, "conflict": conflict},
                      ensure_ascii=False, default=str)


def conflict_lines(notes: list[ConflictNote], total: int) -> Iterator[str]:
    """The report's lines of a load's ``notes``, then one for the conflicts not listed (of ``total``)."""
    for note in notes:
        yield conflict_to_json(note) + "\n"
    if total <= len(notes):
        return
    rest = total - len(notes)
    yield json.dumps({"file": "", "line": 0, "reason": (
        f"{rest:,} further conflict(s) not listed: a load names at most {MAX_CONFLICT_NOTES:,}; the count "
        f"(conflicts: {total:,}) includes them, and each item keeps its own in its conflicts"),
        "raw": None, "conflictsNotListed": rest}) + "\n"
