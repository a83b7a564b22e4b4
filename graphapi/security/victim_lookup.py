"""Ids a caller gives, and ids shown back, for a principal without ``victim-data``.

A victim (and a phone or account a victim uses) is reachable for such a principal only through
its opaque ``vid:`` token (:mod:`graphapi.security.victim_ids`). Typed in clear, its real id
answers exactly like an id nobody has: :func:`lookup_ids` turns it into :func:`unreachable` (an
id no entity can have) before any service sees it, so every field (``entity``, ``entities``,
``node``, traversals, analytics, ``restrictedLookup``, ``share``, ``requestAccess``, ...) answers
with its own "missing" answer, errors named with the id as typed (:meth:`GivenIds.naming`).
Otherwise guessing ``per-nguyen-van-an`` or ``phone:+84912345678`` confirmed a victim and gave
its token.

Ids shown back by the security services (share results, access requests) go through
:func:`shown_node_ids` / :func:`shown_relationship_ids`: a protected entity's id, and the id of a
relationship touching one, read as their tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims, protected_ids
from graphapi.security.victim_ids import naming_given_ids, victim_ids
from graphapi.store import GraphStore


def unreachable(real_id: str) -> str:
    """An id that no entity has, standing in for ``real_id`` (a victim's id typed in clear):
    ``real_id`` and a blank, which canonical ids never end with (trimmed at every edge)."""
    return real_id + " "


@dataclass(frozen=True)
class GivenIds:
    """Ids as the caller gave them (``given``, canonical) and the ids to look up (``lookup``,
    same order: tokens decrypted, victims' ids typed in clear made :func:`unreachable`)."""

    given: list[str]
    lookup: list[str]

    def pairs(self) -> list[tuple[str, str | None]]:
        """``(id as given, id to look up)`` in order; ``None`` for one that must answer as an
        unknown id (a victim's id typed in clear): services that write never send it anywhere."""
        return [(g, None if lk == unreachable(g) else lk) for g, lk in zip(self.given, self.lookup, strict=True)]

    @contextmanager
    def naming(self) -> Iterator[None]:
        """Errors raised inside name each id as given (a token stays a token; a victim's id
        typed in clear reads as typed, as a missing one does)."""
        with naming_given_ids(self.given, self.lookup):
            yield


async def lookup_ids(store: GraphStore, principal: Principal, given: Sequence[str]) -> GivenIds:
    """The ids to look ``given`` up by, for ``principal``. One round trip (``security/protected_ids``
    over the ids typed in clear, whether they exist or not), none for a holder of ``victim-data``,
    who may type victims' ids."""
    tokens = victim_ids()
    real = [tokens.resolve(g) for g in given]
    if may_see_victims(principal):
        return GivenIds(list(given), real)
    clear = [r for g, r in zip(given, real, strict=True) if g == r]
    guarded = await protected_ids(store, principal, clear) if clear else set()
    lookup = [unreachable(r) if g == r and r in guarded else r for g, r in zip(given, real, strict=True)]
    return GivenIds(list(given), lookup)


async def shown_node_ids(store: GraphStore, principal: Principal, ids: Iterable[str]) -> dict[str, str]:
    """``{real id: id to show}``: a protected entity's token, any other id as it is."""
    unique = list(dict.fromkeys(ids))
    guarded = await protected_ids(store, principal, unique)
    tokens = victim_ids()
    return {i: tokens.opaque(i) if i in guarded else i for i in unique}


async def shown_relationship_ids(
    store: GraphStore, principal: Principal, relationships: Iterable[tuple[str, str, str]]
) -> dict[str, str]:
    """``{relationship id: id to show}`` for ``(id, start id, end id)`` triples: the token of a
    relationship touching a protected entity (its id hashes its ends' ids), any other as it is."""
    rels = list(relationships)
    guarded = await protected_ids(store, principal, [e for _, s, t in rels for e in (s, t)])
    tokens = victim_ids()
    return {i: tokens.opaque(i) if s in guarded or t in guarded else i for i, s, t in rels}
