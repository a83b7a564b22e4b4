"""What readers produce and the writer consumes: ontology-shaped node and edge records.

A reader turns one source row into zero or more :class:`NodeRecord` and :class:`EdgeRecord`
values (or a :class:`Rejection`). Property values are already normalised by
``graphapi.ontology.types``; the writer trusts them.

``op`` says how a record meets what is stored: ``merge`` (the default: provenance merge, see
``graphapi.ingest.merge``), ``replace`` (a source updating its own record, e.g. an FtM delta MOD:
its values replace the stored ones when no other source asserted the item, else it merges) or
``delete`` (an FtM delta DEL: the item goes when no other source asserted it, else only this
source is withdrawn from ``sources``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Sets a frozen record's fields at once: a frozen dataclass's own ``__init__`` calls
#: ``object.__setattr__`` once per field, which was a third of the reader's time per row on the
#: call-record feed (three records a row).
_set = object.__setattr__


@dataclass(frozen=True, init=False)
class Origin:
    """Where a record came from: ``source`` dataset id, ``file`` and 1-based ``line``/row number."""

    source: str
    file: str = ""
    line: int = 0

    def __init__(self, source: str, file: str = "", line: int = 0) -> None:  # one per row read
        _set(self, "__dict__", {"source": source, "file": file, "line": line})

    @property
    def record_id(self) -> str:
        """``file:line`` (or the source id alone), stored as ``recordId`` on relationships."""
        return f"{self.file}:{self.line}" if self.file else self.source


@dataclass(frozen=True, init=False)
class NodeRecord:
    """A node to MERGE: ontology ``label`` (most specific, e.g. ``Company``), its ``id``
    (``Model.node_id``) and properties (list values for ``multiple`` properties)."""

    label: str
    id: str
    properties: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    origin: Origin | None = None
    #: True for a placeholder created for a reference that has no row of its own.
    unresolved: bool = False
    #: merge | replace | delete (see the module docstring).
    op: str = "merge"
    #: the line of the source that says it (an FtM id), when other lines of the source may say the
    #: same of the node: its values are that line's statement, and a ``delete`` takes that line's
    #: statement only (:mod:`graphapi.ingest.statements`, line statements); "" else
    line: str = ""
    #: the line (an FtM id) whose new version the record starts or is part of (an FtM MOD of that
    #: line): the line's statement about the node is replaced, and what the line stated before and
    #: says no more goes (:mod:`graphapi.ingest.replaced_lines`); "" else
    renews: str = ""
    #: the line (an FtM id) of a natural-key node's record (a keyed line: CryptoWallet, Address, ...):
    #: the one of its ``referents`` that is a line of the source, the others ids FtM merged into the
    #: line (:mod:`graphapi.ingest.keyed_line_deletes`); "" else
    keyed_line: str = ""

    def __init__(self, label: str, id: str, properties: dict[str, Any] | None = None,  # noqa: A002
                 origin: Origin | None = None, unresolved: bool = False, op: str = "merge", line: str = "",
                 renews: str = "", keyed_line: str = "") -> None:
        _set(self, "__dict__", {"label": label, "id": id, "properties": {} if properties is None else properties,
                                "origin": origin, "unresolved": unresolved, "op": op, "line": line,
                                "renews": renews, "keyed_line": keyed_line})


@dataclass(frozen=True, init=False)
class EdgeRecord:
    """A relationship to MERGE between two node ids, with its own deterministic ``id``."""

    type: str
    id: str
    start: str
    end: str
    properties: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    origin: Origin | None = None
    #: merge | replace | delete (see the module docstring).
    op: str = "merge"
    #: the line of the source that draws it, when other lines of the source may draw it too (as
    #: for :class:`NodeRecord`): its line statement, which a ``delete`` alone takes; "" else
    line: str = ""
    #: the line whose new version it starts or is part of (as for :class:`NodeRecord`): a MOD's, or
    #: a DEL's of a line that draws no line statement itself (a Call's ``CALLED``)
    renews: str = ""

    def __init__(self, type: str, id: str, start: str, end: str,  # noqa: A002
                 properties: dict[str, Any] | None = None, origin: Origin | None = None, op: str = "merge",
                 line: str = "", renews: str = "") -> None:
        _set(self, "__dict__", {"type": type, "id": id, "start": start, "end": end,
                                "properties": {} if properties is None else properties, "origin": origin, "op": op,
                                "line": line, "renews": renews})


@dataclass(frozen=True)
class DrawnLinksDeletion:
    """An FtM delta DEL of a link entity named by its id alone (``{"op": "DEL", "entity": {"id":
    "own-1", "schema": "Ownership"}}``, as delta feeds write them): every relationship of ``type``
    that the entity ``record`` drew for the load's source (its ``recordId``) goes, as the DEL
    naming its parties takes them (:mod:`graphapi.ingest.drawn_link_deletes`)."""

    type: str
    record: str
    origin: Origin | None = None
    op: str = "delete"

    @property
    def id(self) -> str:
        """The link entity's id (no node's, no relationship's)."""
        return self.record


@dataclass(frozen=True)
class LineRenewal:
    """An FtM line's MOD or DEL that draws nothing of its own: a Passport's DEL by its id alone (or
    naming no holder or no number), a MOD leaving it no number. What the line stated before goes,
    found by the line (:mod:`graphapi.ingest.replaced_lines`), as a new version that says nothing
    would take it (attack round a-73, 1 and 2: such a DEL was refused "without a holder" or loaded
    doing nothing, and such a MOD kept the old number, document and link)."""

    line: str
    origin: Origin | None = None
    op: str = "delete"

    @property
    def id(self) -> str:
        """The line's FtM id (no node's, no relationship's)."""
        return self.line


_new = object.__new__


def origin(source: str, file: str, line: int) -> Origin:
    """``Origin(source, file, line)`` made without a call of its ``__init__``: a reader makes one
    for every row it reads."""
    rec = _new(Origin)
    _set(rec, "__dict__", {"source": source, "file": file, "line": line})
    return rec


def node_record(label: str, id: str, properties: dict[str, Any], origin: Origin) -> NodeRecord:  # noqa: A002
    """``NodeRecord(label, id, properties, origin)`` made without a call of its ``__init__``: a
    reader makes one per entity of every row, and the call was most of the cost of making it."""
    rec = _new(NodeRecord)
    _set(rec, "__dict__", {"label": label, "id": id, "properties": properties, "origin": origin,
                           "unresolved": False, "op": "merge", "line": "",
                           "renews": "", "keyed_line": ""})
    return rec


def edge_record(type: str, id: str, start: str, end: str, properties: dict[str, Any],  # noqa: A002
                origin: Origin) -> EdgeRecord:
    """``EdgeRecord(type, id, start, end, properties, origin)``, made as :func:`node_record` is."""
    rec = _new(EdgeRecord)
    _set(rec, "__dict__", {"type": type, "id": id, "start": start, "end": end, "properties": properties,
                           "origin": origin, "op": "merge", "line": "",
                           "renews": ""})
    return rec


@dataclass(frozen=True)
class Rejection:
    """A source row that could not be loaded: file, 1-based line, reason and the raw row.

    ``links``: the link records (``op`` merge or replace, never delete) a reader can still name
    for the row, with no value of it (at most its sources): nothing of them is loaded, but its
    agency's echo of each is no wider than the load's level, as for a record refused with its row
    (:func:`graphapi.ingest.echoes.narrow_refused_links`; attack round 51, 1)."""

    file: str
    line: int
    reason: str
    raw: Any = None
    links: tuple[EdgeRecord, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class LoadWarning:
    """A source row that was loaded but needs a person's eye (an account of a bank no gazetteer
    knows): file, 1-based line, reason and the raw row. Not a rejection: the row counts as loaded."""

    file: str
    line: int
    reason: str
    raw: Any = None
    #: the reason names the file's lines and no value of a row (a layout warning: records that span
    #: lines, a same-named file merged): it may show where only counts and file names do (a load
    #: job's poll view, which analysts see)
    about_file: bool = False
    #: the rows it stands for: a closing count of warnings not listed one by one stands for them all
    #: (:mod:`graphapi.ingest.readers.counted_warnings`)
    count: int = 1
