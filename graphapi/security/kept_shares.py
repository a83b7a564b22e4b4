"""The owner's explicit shares an item keeps, which its owner's loads never take back.

A ``share`` (or an access grant, which shares) is the owner's act through the API, like an ACL
entry in Aleph or OpenCTI: only an ``unshare``, or the take-back of the access request that
granted it, withdraws it. So each item keeps what its owner's shares gave it in ``shares``, one
entry ``"<agency>|<level>"`` per agency and level a share gave (``cypher/security/share_nodes``,
``share_relationships``; ``unshare_*`` and ``take_back_*`` remove them, a take-back that puts a
level back leaving another agency's AMBER entry no level, since a share naming none took it from
the grant: attack round 43b, 1; a new owner starts with none). The level is the share's ``tlp``
as named (a share at RED kept as AMBER reopened the owner's RED record: attack round 43b, 3),
else ``AMBER`` when the share let the agency read the item (an item at AMBER or wider), else
none (``"LA-POL|"``: a RED item shared without a level, which the share left closed to it).

A load of the owner's records about such an item takes the record's level widened by them
(:func:`widened`): a nightly ``--replace`` of the same file, or a MOD of the same record, said
AMBER with no agency and took back every share made since (attack round 42a, 4). A record
narrower than the item still narrows it, to its own level widened by the shares: GREEN p-1
shared with LA-POL and replaced at RED is AMBER shared with LA-POL. The owner's statement an
item is re-owned at after a DEL or replace is widened alike (``graphapi/ingest/relevel.py``), and
what the access requests learn of the load is the record's own level (``Statement.said``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.statements import Statement
from graphapi.ontology.tlp import strictness

#: The stored property, and the separator of an entry's agency and level.
SHARES = "shares"
SEPARATOR = "|"


def given(entries: Iterable[str] | None) -> tuple[tuple[str, ...], str | None]:
    """The agencies the shares ``entries`` gave (sorted) and the least strict level they gave
    (None: none)."""
    agencies: set[str] = set()
    level: str | None = None
    for entry in entries or ():
        agency, _, tlp = str(entry).partition(SEPARATOR)
        agencies.add(agency)
        if tlp and (level is None or strictness(tlp) < strictness(level)):
            level = tlp
    return tuple(sorted(agencies)), level


def widen(tlp: str | None, shared_with: Iterable[str] | None,
          entries: Iterable[str] | None) -> tuple[str | None, list[str]]:
    """Level ``tlp`` shared with ``shared_with`` as the shares ``entries`` widen it: their
    agencies added, and opened to their level where it is stricter (what ``share`` does to it)."""
    agencies, level = given(entries)
    out = list(shared_with or [])
    out += [a for a in agencies if a not in out]
    if level is not None and strictness(tlp) > strictness(level):
        tlp = level
    return tlp, out


def owners_record(stored: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """Whether record properties ``record`` are the stored item's owner's, and it keeps shares."""
    return bool(stored.get(SHARES)) and record.get("owner") is not None and record.get("owner") == stored.get("owner")


def widened(stored: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """Record properties ``record`` at their level widened by the stored item's shares when they
    are its owner's (a new dict; otherwise a copy as it is)."""
    out = dict(record)
    if owners_record(stored, record):
        tlp, shared_with = widen(out.get("tlp"), out.get("sharedWith"), stored[SHARES])
        out["tlp"], out["sharedWith"] = tlp, shared_with or None
        if out["sharedWith"] is None:
            out.pop("sharedWith")
    return out


def widen_record(stored: Mapping[str, Any], record: dict[str, Any],
                 stmts: Iterable[tuple[Statement, bool]] = ()) -> None:
    """Widen the owner's record ``record`` (in place) about stored item ``stored``, and its
    statements ``stmts``, by the item's shares (:func:`widened`)."""
    if not owners_record(stored, record):
        return
    wide = widened(stored, record)
    record["tlp"] = wide.get("tlp")
    if wide.get("sharedWith"):
        record["sharedWith"] = wide["sharedWith"]
    for stmt, _ in stmts:
        if stmt.owner == stored.get("owner"):
            tlp, shared_with = widen(stmt.tlp, stmt.shared_with, stored[SHARES])
            if stmt.said is None:  # what the record said: no share the access requests take as the owner's
                stmt.said = (stmt.tlp, stmt.shared_with)
            stmt.tlp, stmt.shared_with = tlp or stmt.tlp, tuple(shared_with)
