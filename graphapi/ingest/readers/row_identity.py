"""Row identity for feeds with no record id (``{_file}``, ``{_line}``, ``{_sha256}`` in a mapping's
keys): the file's content digest, and the warning when a key made of a file's *name* merged a
row into a stored one with other values.

``{_file}:{_line}`` suits a log that grows in place: a reload of the grown file keeps the ids of
its old lines. But a partner's monthly export under the same name (``crossings.csv`` every
month) then makes April's line 2 the same relationship as March's line 2: its values merge in
as conflicts and nothing new is created. ``{_sha256}:{_line}`` keys a row by the file's content,
so each export's rows are their own and a reload of the same file changes nothing. A load that
finds a conflict on a relationship keyed by name warns of it (:func:`merged_by_name`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphapi.ingest.records import EdgeRecord, LoadWarning

_FIELD = re.compile(r"\{(_file|_line|_sha256)\}")


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of the file's bytes (read in 1 MiB blocks)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def keyed_by_name(relationships: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Relationship type -> its key, for the relationships keyed by ``{_file}`` (the file's name)
    and not by ``{_sha256}`` (its content)."""
    out: dict[str, str] = {}
    for rel in relationships:
        fields = set(_FIELD.findall(str(rel.get("key") or "")))
        if "_file" in fields and "_sha256" not in fields:
            out[str(rel["type"])] = str(rel["key"])
    return out


def merged_by_name(keyed: dict[str, str], conflicted: Iterable[EdgeRecord]) -> list[LoadWarning]:
    """One warning per file whose rows, keyed by ``keyed`` (type -> key), met a stored relationship
    of the same key with other values: most likely another file of the same name was loaded
    before, and this one's rows were merged into its rows instead of being added."""
    first: dict[str, EdgeRecord] = {}
    counted: dict[str, int] = {}
    for edge in conflicted:
        if edge.type in keyed and edge.origin is not None:
            first.setdefault(edge.origin.file, edge)
            counted[edge.origin.file] = counted.get(edge.origin.file, 0) + 1
    return [LoadWarning(file, e.origin.line,
                        f"{counted[file]} {e.type} relationship(s) keyed {keyed[e.type]!r} met a stored one of the "
                        f"same key with other values: a different file named {file} was loaded before (last "
                        "month's export?) and these rows were merged into its rows, not added. Key an export's "
                        "rows by its content, {_sha256}:{_line} (docs/mappings.md, Row identity)", about_file=True)
            for file, e in first.items()]
