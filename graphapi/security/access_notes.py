"""What an owner does after a grant of its pending request was cut off part way, and what that
leaves of the grant's noted take-back (:attr:`graphapi.security.access.AccessRequest.granting`...).

A killed grant's take-back withdraws the requester from what the grant's share gave it and puts
back each level it relaxed to AMBER. What the owner says of those items since is its own choice
and outlives the refusal: a share (:func:`note_shared`), an unshare (:func:`graphapi.security.access.note_unshared`) and
its own load's records (:func:`note_said`, called by the ingest writer in the load's turn).

- The requester's place goes from the notes of what the owner shared with the requester's agency.
- A noted level goes only where what the owner said opens the item at least to AMBER (the level
  the grant gave it: the take-back would put nothing back); said at a level between, the noted
  level becomes that level; said stricter, or with no level, it stays as noted. A share at RED
  after a killed grant of a RED phone dropped the noted RED, so the refusal left the phone AMBER
  to every agency on it (attack round 42a, 1); the owner's later load was undone by the refusal
  (42a, 6).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from graphapi.ontology.tlp import strictness
from graphapi.security.grant_shares import GRANT_TLP

if TYPE_CHECKING:  # access imports this module
    from graphapi.security.access import AccessRequest, AccessRequestStore

log = logging.getLogger("graphapi.security.access")

#: What the owner said of an item since: its level (None: none named) and the agencies named.
Said = tuple[str | None, Collection[str]]


def level_after(noted: str, said: str | None) -> str | None:
    """The level a killed grant's take-back puts back on an item noted at ``noted`` once its owner
    said ``said`` of it since (a share's ``tlp``, a record's level): None (nothing to put back) when
    ``said`` opens it at least to :data:`GRANT_TLP`; the looser of the two otherwise."""
    if said is None:
        return noted
    if strictness(said) <= strictness(GRANT_TLP):
        return None
    return said if strictness(said) < strictness(noted) else noted


def _forget_said(request: AccessRequest, said: Mapping[str, Said]) -> None:
    """Take what the owner said of the items ``said`` (id -> level, agencies) out of ``request``'s notes."""
    # by the notes (a few ids), not by what was said (a load's flush: thousands)
    noted = {*request.granting, *request.granting_nodes, *(t["id"] for t in request.granting_ties)}
    placed = {i for i in noted if i in said and request.requester_agency in said[i][1]}
    request.granting = [i for i in request.granting if i not in placed]
    request.granting_nodes = [i for i in request.granting_nodes if i not in placed]
    request.granting_ties = [t for t in request.granting_ties if t["id"] not in placed]
    levels: list[dict[str, str]] = []
    dropped: set[str] = set()
    for row in request.granting_levels:
        level = level_after(row["tlp"], said[row["id"]][0]) if row["id"] in said else row["tlp"]
        if level is None:
            dropped.add(row["id"])
        else:
            levels.append({**row, "tlp": level})
    request.granting_levels = levels
    # an opened id with no node note is withdrawn whole unless a level is noted for it
    # (access_decide._Decision._unshare): with its level gone, it was the requester's before the grant
    request.granting = [i for i in request.granting if i not in dropped or i in request.granting_nodes]


def _noted(request: AccessRequest, owner: str) -> bool:
    return request.status == "pending" and request.owner == owner and bool(
        request.granting or request.granting_nodes or request.granting_ties or request.granting_levels)


def note_shared(requests: AccessRequestStore, owner: str, agencies: Sequence[str], tlp: str | None,
                nodes: Sequence[str], relationships: Sequence[str]) -> None:
    """Take what ``owner`` has just shared with ``agencies`` at ``tlp`` (None: no level named) out of
    what a grant of its pending requests cut off part way noted to take back (see the module
    docstring; attack rounds 41a, 2 and 42a, 1). Called in the share's turn
    (:func:`graphapi.security.share.share`'s ``noted``), after its writes: a share cut short before
    leaves them noted, as they were."""
    said: dict[str, Said] = {i: (tlp, agencies) for i in (*nodes, *relationships)}
    if not said:
        return
    with requests._locked() as table:
        for request in table.values():
            if _noted(request, owner):
                _forget_said(request, said)


def levels_noted(requests: AccessRequestStore, owner: str, but: str) -> dict[str, str]:
    """The levels the killed grants of ``owner``'s pending requests other than ``but`` noted, by item
    id (the strictest where several did): a grant of the items takes them over."""
    out: dict[str, str] = {}
    for request in requests.all():
        if request.id != but and _noted(request, owner):
            for row in request.granting_levels:
                if strictness(row["tlp"]) > strictness(out.get(row["id"], GRANT_TLP)):
                    out[row["id"]] = row["tlp"]
    return out


def hand_over_levels(requests: AccessRequestStore, owner: str, to: str, items: Sequence[str]) -> None:
    """A grant of request ``to`` has just shared ``items`` at AMBER, having noted the levels other
    killed grants noted for them (:func:`levels_noted`): those grants' notes of the levels go, the
    requesters' places stay. Else the refusal of a killed grant put the noted level back on what the
    owner granted another agency since (closing it to that agency), or, once this grant was taken
    back too, left the item AMBER with no note of its level. Called in the grant's turn, after its
    share's writes: a grant cut short before leaves both notes (each take-back puts the level back
    where the item is still AMBER)."""
    said: dict[str, Said] = {i: (GRANT_TLP, ()) for i in items}
    if not said:
        return
    with requests._locked() as table:
        for request in table.values():
            if request.id != to and _noted(request, owner):
                _forget_said(request, said)


#: The owners whose pending requests have something noted, by request file: its stat key (inode,
#: mtime, size) and the owners. Every write turn of every load asks (:func:`note_said`): a file of
#: 1,000 requests of 24 KB was parsed in each, holding the write lease (attack round 43b, 4).
_NOTED_OWNERS: dict[str, tuple[tuple[int, int, int], frozenset[str]]] = {}
#: How old a file's mtime must be for a read of it to be kept: a file's times tick coarsely (a
#: clock tick, some ms), so a change within the tick of the version read, of the same size, on an
#: inode used again, would look unchanged; any change after the read has a later mtime.
_SETTLED_NS = 100_000_000


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def noted_owners(requests: AccessRequestStore) -> frozenset[str]:
    """The owners with a killed grant's take-back noted on a pending request: read again only when
    the file changed since the last read (each change replaces it, its mtime later), else as then."""
    key = _stat_key(requests.path)
    if key is None:
        return frozenset()
    cached = _NOTED_OWNERS.get(str(requests.path))
    if cached is not None and cached[0] == key:
        return cached[1]
    owners = frozenset(r.owner for r in requests.all() if _noted(r, r.owner))
    # kept only if no change came between the stat and the read, nor can come within its tick
    if _stat_key(requests.path) == key and time.time_ns() - key[1] > _SETTLED_NS:
        _NOTED_OWNERS[str(requests.path)] = (key, owners)
    return owners


def _said_by_owner(owners: Collection[str], statements: Iterable[tuple[str, str, str, Sequence[str]]]
                   ) -> dict[str, dict[str, Said]]:
    """What a load's statements said, by owner (of ``owners`` alone) and item id: the loosest level
    said, and every agency named, where an owner had several records of one item."""
    by_owner: dict[str, dict[str, Said]] = {}
    for owner, item, tlp, agencies in statements:
        if owner in owners:
            items = by_owner.setdefault(owner, {})
            level, named = items.get(item, (tlp, ()))
            items[item] = (tlp if strictness(tlp) < strictness(level) else level, {*named, *agencies})
    return by_owner


def places_named(requests: AccessRequestStore, statements: Iterable[tuple[str, str, str, Sequence[str]]]
                 ) -> list[tuple[str, str, list[str], list[dict[str, str]]]]:
    """The items an owner's load has just said naming the requester of a killed grant of its
    pending requests, where that grant noted the requester's place: rows owner, requester agency,
    node ids, relationship rows (id, type, start, end). The owner's record speaks for the item's
    audience now, so the grant's share entry must go (:mod:`graphapi.security.grant_entries`);
    :func:`note_said` then takes the places out of the notes. Empty, reading nothing but the
    file's stat, while no grant has anything noted."""
    by_owner = _said_by_owner(noted_owners(requests), statements)
    if not by_owner:
        return []
    out = []
    for request in requests.all():
        said = by_owner.get(request.owner)
        if not (said and _noted(request, request.owner)):
            continue
        named = {i for i, (_, agencies) in said.items() if request.requester_agency in agencies}
        nodes = sorted({i for i in (*request.granting, *request.granting_nodes) if i in named})
        ties = [t for t in request.granting_ties if t["id"] in named]
        if nodes or ties:
            out.append((request.owner, request.requester_agency, nodes, ties))
    return out


def note_said(requests: AccessRequestStore, statements: Iterable[tuple[str, str, str, Sequence[str]]]) -> None:
    """Take what an owner's load has just said (rows owner, item id, level, agencies: its records'
    statements, written) out of what a grant of the owner's pending requests cut off part way noted
    to take back: the owner's later record of an item outlives the refusal (attack round 42a, 6).
    Called in the load's turn of the write lease, after its writes. Reads the request file only
    if it changed since a read found a request with something noted (:func:`noted_owners`), and
    locks it only if a request of one of those owners has something noted; a file it cannot read
    leaves the notes as they are (the refusal then takes back more, never less)."""
    try:
        by_owner = _said_by_owner(noted_owners(requests), statements)
        if not by_owner:
            return
        with requests._locked() as table:
            for request in table.values():
                said = by_owner.get(request.owner)
                if said and _noted(request, request.owner):
                    _forget_said(request, said)
    except (OSError, ValueError):
        log.exception("access requests: the notes of killed grants were not updated after a load")
