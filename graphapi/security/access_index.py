"""The access file's side index: what a load's turn, a share and an unshare ask of the requests,
kept small beside the file (``<file>.index``) so that none of them parses the whole file.

Each of those asks whether its items concern a request at all: a pending request with a killed
grant's take-back noted (:mod:`graphapi.security.access_notes`), or a granted request's ``shared``
and ``shared_ties`` lists (:func:`graphapi.security.access.note_unshared`, and a killed grant's share entries, which an
entry of a granted request for the same item must outlive). The file holds every request, and
filing and withdrawing cost a requester nothing, so it grows to megabytes (a principal keeps 120
requests of up to 24 KB); parsed in every write turn, every share and every unshare, it held the
store's write lease and the event loop (attack round 44b, 2 and 5). The index holds only those
notes and lists, which owners' decisions make and a requester cannot grow.

It is written under the file's lock with each change of the file, after the file, naming the
file's stat key (inode, mtime, size) as written; the index before is removed before the file is
replaced, so no index of an older file is left beside a newer one, whatever key the newer one has
(an inode reused within one mtime tick). A reader that finds no index, or one naming another key (a
process killed between the two writes, a file an older version or a hand wrote), takes the lock
and builds the index again from the file. A failed index write (disk full, the path a folder) is
logged, never raised: the change is in the file already, and a step that answered an error for it
undid a recorded grant (attack round 45b, 3); the next reader builds the index again.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graphapi.private_files import replace_private
from graphapi.security.filelock import locked

if TYPE_CHECKING:  # access imports this module
    from graphapi.security.access import AccessRequest, AccessRequestStore

log = logging.getLogger("graphapi.security.access")

StatKey = tuple[int, int, int]


def has_notes(request: AccessRequest) -> bool:
    """Whether a grant of ``request`` cut off part way left a take-back noted on it."""
    return request.status == "pending" and bool(
        request.granting or request.granting_nodes or request.granting_ties or request.granting_levels)


@dataclass(frozen=True)
class NotedGrant:
    """A pending request's noted take-back: the requester's places (node ids, relationship rows
    id, type, start, end) and the ids whose level is noted."""

    request: str
    owner: str
    agency: str
    nodes: tuple[str, ...] = ()
    ties: tuple[dict[str, str], ...] = ()
    levels: tuple[str, ...] = ()

    def items(self) -> frozenset[str]:
        """Every id the notes name: what the owner said of any other changes nothing in them."""
        return frozenset((*self.nodes, *(t["id"] for t in self.ties), *self.levels))


@dataclass(frozen=True)
class AccessIndex:
    """The noted take-backs, and the ids and relationships (id, start, end, and the killed request
    held against, if any) granted requests list as shared, by (owner, requester agency)."""

    noted: tuple[NotedGrant, ...] = ()
    granted: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    granted_ties: Mapping[tuple[str, str], frozenset[tuple[str, ...]]] = field(default_factory=dict)

    def owners(self) -> frozenset[str]:
        """The owners with a killed grant's take-back noted."""
        return frozenset(n.owner for n in self.noted)

    def touches(self, owner: str, ids: Iterable[str], *, but: str | None = None) -> bool:
        """Whether a take-back noted on a request to ``owner`` (other than ``but``) names one of ``ids``."""
        named = set(ids)
        return any(n.owner == owner and n.request != but and not n.items().isdisjoint(named) for n in self.noted)

    def granted_ids(self, owner: str, agency: str) -> frozenset[str]:
        """The ids granted requests of ``agency`` to ``owner`` list as shared."""
        return self.granted.get((owner, agency), frozenset())

    def granted_tie_ids(self, owner: str, agency: str, against: str) -> frozenset[str]:
        """The relationships granted requests of ``agency`` to ``owner`` hold against the killed
        grant of request ``against`` (a row written before ``against`` was noted holds nothing)."""
        return frozenset(t[0] for t in self.granted_ties.get((owner, agency), ()) if t[3:] == (against,))

    def granted_places(self, owner: str, agency: str) -> frozenset[str]:
        """The node ids granted requests of ``agency`` to ``owner`` list, and the ends of their relationships."""
        ends = {e for t in self.granted_ties.get((owner, agency), ()) for e in t[1:3]}
        return self.granted_ids(owner, agency) | ends


def _against(tie: dict) -> list[tuple[str, ...]]:
    """The killed grants a granted request's tie is held against, each as a 1-tuple; ``()`` for
    none (held against nothing: still a place an unshare cleans)."""
    return [(a,) for a in tie.get("against", ())] or [()]


def index_of(requests: Iterable[AccessRequest]) -> AccessIndex:
    """The index of ``requests`` (the file's table, as parsed)."""
    noted = []
    granted: dict[tuple[str, str], set[str]] = {}
    ties: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for r in sorted(requests, key=lambda r: r.id):
        if has_notes(r):
            places = tuple(dict.fromkeys((*r.granting, *r.granting_nodes)))
            noted.append(NotedGrant(r.id, r.owner, r.requester_agency, places, tuple(r.granting_ties),
                                    tuple(row["id"] for row in r.granting_levels)))
        elif r.status == "granted" and (r.shared or r.shared_ties):  # one row per tie and killed grant
            granted.setdefault((r.owner, r.requester_agency), set()).update(r.shared)
            ties.setdefault((r.owner, r.requester_agency), set()).update(
                (t["id"], t["start"], t["end"], *a) for t in r.shared_ties or () for a in _against(t))
    return AccessIndex(tuple(noted), {k: frozenset(v) for k, v in granted.items()},
                       {k: frozenset(v) for k, v in ties.items() if v})


def index_path(path: Path) -> Path:
    return path.with_name(path.name + ".index")


def stat_key(path: Path) -> StatKey | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def write_index(path: Path, index: AccessIndex) -> None:
    """Write the index of the request file ``path`` as it is now (call under its lock, after writing it)."""
    key = stat_key(path)
    doc = {"file": list(key) if key else None,
           "noted": [{"request": n.request, "owner": n.owner, "agency": n.agency, "nodes": list(n.nodes),
                      "ties": list(n.ties), "levels": list(n.levels)} for n in index.noted],
           "granted": [{"owner": o, "agency": a, "ids": sorted(ids),
                        "ties": sorted(list(t) for t in index.granted_ties.get((o, a), ()))}
                       for (o, a), ids in sorted(index.granted.items())]}
    # not synced: after a power cut an index that came back empty or old is built again
    replace_private(index_path(path), json.dumps(doc, sort_keys=True))


def drop_index(path: Path) -> None:
    """Remove the index of the request file ``path`` (before the file is replaced: no reader takes it
    for the file written next; a path that cannot be removed is logged, and read as no index)."""
    try:
        with contextlib.suppress(FileNotFoundError):
            index_path(path).unlink()
    except OSError:
        log.exception("access requests: the side index %s could not be removed", index_path(path))


def rewrite_index(path: Path, index: AccessIndex) -> None:
    """:func:`write_index`, a failure logged: the file holds the change already (round 45b, 3)."""
    try:
        write_index(path, index)
    except OSError:
        log.exception("access requests: the side index %s was not written; the next reader builds it",
                      index_path(path))
        drop_index(path)


def _parsed(doc: dict) -> AccessIndex:
    return AccessIndex(
        tuple(NotedGrant(n["request"], n["owner"], n["agency"], tuple(n["nodes"]), tuple(n["ties"]),
                         tuple(n["levels"])) for n in doc["noted"]),
        {(g["owner"], g["agency"]): frozenset(g["ids"]) for g in doc["granted"]},
        {(g["owner"], g["agency"]): frozenset(tuple(t) for t in g["ties"]) for g in doc["granted"] if g["ties"]})


def _current(path: Path) -> AccessIndex | None:
    """The index of ``path`` if it names the file on disk, else None. Read before the file's
    stat: a file replaced between the two has a key the index read does not name."""
    try:
        doc = json.loads(index_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = None
    except (OSError, ValueError):  # garbled, or not a file (a folder): built again
        return None
    key = stat_key(path)
    if key is None:
        return AccessIndex()
    if not isinstance(doc, dict) or doc.get("file") != list(key):
        return None
    try:
        return _parsed(doc)
    except (KeyError, TypeError):
        return None


def read_index(requests: AccessRequestStore) -> AccessIndex:
    """The index of the request file: read from beside it, or, where it does not name the file on
    disk, built again from the file under its lock (and written). Raises OSError and ValueError
    (a file that cannot be read or parsed)."""
    found = _current(requests.path)
    if found is not None:
        return found
    with locked(requests.path):  # a write under way finishes first; then it is current, or built
        found = _current(requests.path)
        if found is not None:
            return found
        index = index_of(requests._load().values())
        rewrite_index(requests.path, index)
        return index
