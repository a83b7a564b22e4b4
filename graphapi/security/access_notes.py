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
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from graphapi.ontology.tlp import strictness
from graphapi.security.access_index import AccessIndex, has_notes, read_index
from graphapi.security.grant_shares import GRANT_TLP, KilledNotes

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
    return request.owner == owner and has_notes(request)


def note_shared(requests: AccessRequestStore, owner: str, agencies: Sequence[str], tlp: str | None,
                nodes: Sequence[str], relationships: Sequence[str]) -> None:
    """Take what ``owner`` has just shared with ``agencies`` at ``tlp`` (None: no level named) out of
    what a grant of its pending requests cut off part way noted to take back (see the module
    docstring; attack rounds 41a, 2 and 42a, 1). Called in the share's turn
    (:func:`graphapi.security.share.share`'s ``noted``), after its writes: a share cut short before
    leaves them noted, as they were."""
    said: dict[str, Said] = {i: (tlp, agencies) for i in (*nodes, *relationships)}
    if not (said and read_index(requests).touches(owner, said)):  # no lock, no parse (attack round 44b, 5)
        return
    with requests._locked() as table:
        for request in table.values():
            if _noted(request, owner):
                _forget_said(request, said)


def levels_noted(requests: Iterable[AccessRequest], owner: str, but: str) -> dict[str, str]:
    """The levels the killed grants of ``owner``'s pending requests other than ``but`` noted, by item
    id (the strictest where several did): a grant of the items takes them over. ``requests``: the
    access file as read once for the grant's turn (``AccessRequestStore.all``)."""
    out: dict[str, str] = {}
    for request in requests:
        if request.id != but and _noted(request, owner):
            for row in request.granting_levels:
                if strictness(row["tlp"]) > strictness(out.get(row["id"], GRANT_TLP)):
                    out[row["id"]] = row["tlp"]
    return out


def killed_notes(requests: Iterable[AccessRequest], agency: str, but: str) -> KilledNotes:
    """What the killed grants of pending requests of ``agency`` other than ``but`` noted to take
    back, of every owner: the node ids they opened or withdraw the requester from, and the
    relationship ids, each with the requests that noted it (what a grant holds its ``shared`` ids
    and ``shared_ties`` against: :func:`graphapi.security.grant_shares.covered_ties`)."""
    places: dict[str, set[str]] = {}
    ties: dict[str, set[str]] = {}
    for request in requests:
        if request.id != but and request.requester_agency == agency and has_notes(request):
            for i in (*request.granting, *request.granting_nodes):
                places.setdefault(i, set()).add(request.id)
            for t in request.granting_ties:
                ties.setdefault(t["id"], set()).add(request.id)
    return KilledNotes({k: frozenset(v) for k, v in places.items()}, {k: frozenset(v) for k, v in ties.items()})


def hand_over_levels(requests: AccessRequestStore, owner: str, to: str, items: Sequence[str]) -> None:
    """A grant of request ``to`` has just shared ``items`` at AMBER, having noted the levels other
    killed grants noted for them (:func:`levels_noted`): those grants' notes of the levels go, the
    requesters' places stay. Else the refusal of a killed grant put the noted level back on what the
    owner granted another agency since (closing it to that agency), or, once this grant was taken
    back too, left the item AMBER with no note of its level. Called in the grant's turn, after its
    share's writes: a grant cut short before leaves both notes (each take-back puts the level back
    where the item is still AMBER)."""
    said: dict[str, Said] = {i: (GRANT_TLP, ()) for i in items}
    if not (said and read_index(requests).touches(owner, said, but=to)):
        return
    with requests._locked() as table:
        for request in table.values():
            if request.id != to and _noted(request, owner):
                _forget_said(request, said)


def noted_owners(requests: AccessRequestStore) -> frozenset[str]:
    """The owners with a killed grant's take-back noted on a pending request (the side index's:
    :mod:`graphapi.security.access_index`; the file is parsed only where the index is not current)."""
    return read_index(requests).owners()


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


def places_named(requests: AccessRequestStore, statements: Iterable[tuple[str, str, str, Sequence[str]]],
                 index: AccessIndex | None = None) -> list[tuple[str, str, list[str], list[dict[str, str]]]]:
    """The items an owner's load has just said naming the requester of a killed grant of its
    pending requests, where that grant noted the requester's place: rows owner, requester agency,
    node ids, relationship rows (id, type, start, end). The owner's record speaks for the item's
    audience now, so the grant's share entry must go (:mod:`graphapi.security.grant_entries`);
    :func:`note_said` then takes the places out of the notes. Read from the side index alone
    (:mod:`graphapi.security.access_index`; ``index``: as read already in the turn), never the
    file while it is current.

    Left out: the items another granted request of that agency to the owner lists as shared (its
    ``shared`` ids and ``shared_ties``), as the take-back leaves them
    (``access_decide._Decision._takeable``): the entry is that request's too, and went with the
    killed grant's (attack round 44b, 3: the owner's RED MOD then closed the phone a granted request
    still listed). Only those: a relationship that merely touches a granted id was never that
    request's, and the killed grant's entry on it widened the owner's RED replace back to the refused
    requester (round 45b, 1)."""
    index = read_index(requests) if index is None else index
    by_owner = _said_by_owner(index.owners(), statements)
    if not by_owner:
        return []
    out = []
    for grant in index.noted:
        said = by_owner.get(grant.owner)
        if not said:
            continue
        named = {i for i, (_, agencies) in said.items() if grant.agency in agencies}
        kept = index.held_ids(grant.owner, grant.agency, grant.request)
        kept_ties = index.granted_tie_ids(grant.owner, grant.agency, grant.request)
        nodes = sorted({i for i in grant.nodes if i in named and i not in kept})
        ties = [t for t in grant.ties if t["id"] in named and t["id"] not in kept_ties]
        if nodes or ties:
            out.append((grant.owner, grant.agency, nodes, [dict(t) for t in ties]))
    return out


def note_said(requests: AccessRequestStore, statements: Iterable[tuple[str, str, str, Sequence[str]]],
              index: AccessIndex | None = None) -> None:
    """Take what an owner's load has just said (rows owner, item id, level, agencies: its records'
    statements, written) out of what a grant of the owner's pending requests cut off part way noted
    to take back: the owner's later record of an item outlives the refusal (attack round 42a, 6).
    Called in the load's turn of the write lease, after its writes. Reads the side index
    (:mod:`graphapi.security.access_index`; ``index``: as read already in the turn), and locks,
    parses and rewrites the file only where the load said an item a take-back notes (attack rounds
    43b, 4 and 44b, 2); a file it cannot read leaves the notes as they are (the refusal then takes
    back more, never less)."""
    try:
        index = read_index(requests) if index is None else index
        by_owner = _said_by_owner(index.owners(), statements)
        if not any(index.touches(owner, said) for owner, said in by_owner.items()):
            return
        with requests._locked() as table:
            for request in table.values():
                said = by_owner.get(request.owner)
                if said and _noted(request, request.owner):
                    _forget_said(request, said)
    except (OSError, ValueError):
        log.exception("access requests: the notes of killed grants were not updated after a load")
