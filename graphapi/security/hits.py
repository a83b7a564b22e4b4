"""Hit / no-hit (the Prüm model of cross-border exchange): when a search or an id lookup matches
entities the principal may not see, the answer is only "a restricted match exists at agency X".

No id (beyond one the caller typed), name, label, property or count of a hidden entity is
returned: the statements under ``cypher/{falkordb,neo4j}/security/search/`` and
``cypher/security/lookup/`` return owner agencies only. The principal may then file an access
request with that agency (:mod:`graphapi.security.access`). Every restricted hit is audited, so
the owner can later see who hit their data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_labels
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.search import build_query
from graphapi.security.audit import AuditSink
from graphapi.security.principal import Principal
from graphapi.store import GraphStore, Node

#: Agencies reported per search at most.
MAX_AGENCIES = 100


@dataclass(frozen=True)
class RestrictedHit:
    """A match the principal may not see: only the owner ``agency`` ('' if unknown) and, for an id
    lookup, the ``id`` the caller asked for."""

    agency: str
    id: str | None = None


@dataclass(frozen=True)
class Lookup:
    """An id lookup: the visible nodes by id, and the hidden ids with their owners."""

    found: dict[str, Node]
    restricted: list[RestrictedHit]


async def restricted_hits(
    store: GraphStore,
    principal: Principal,
    text: str,
    labels: Sequence[str] | None = None,
    audit: AuditSink | None = None,
) -> list[RestrictedHit]:
    """The agencies owning entities that match ``text`` (as :func:`graphapi.investigate.search.search`
    matches it) but are hidden from ``principal``, sorted. Raises InvalidArgument for text without
    a letter or digit and for unknown labels."""
    query = build_query(text or "", store.dialect)
    if query is None:
        raise InvalidArgument("text must contain at least one letter or digit")
    rows = await store.read(
        "security/search/restricted_hits",
        {"query": query, "labels": check_labels(labels), "limit": MAX_AGENCIES, **principal.cypher_params()},
    )
    hits = [RestrictedHit(agency=str(r["agency"])) for r in rows]
    if hits and audit is not None:
        audit.record(
            principal, "restrictedHits", {"text": text, "labels": list(labels or []),
                                          "agencies": [h.agency for h in hits]},
            len(hits), kind="hit",
        )
    return hits


async def lookup(
    store: GraphStore, principal: Principal, ids: Sequence[str], audit: AuditSink | None = None
) -> Lookup:
    """Look ids up: visible nodes in ``found``; ids that exist but are hidden in ``restricted``
    (with the owner agency); unknown ids in neither. Two round trips."""
    unique = list(dict.fromkeys(ids))
    found = await get_nodes(store, principal, unique)
    missing = [i for i in unique if i not in found]
    restricted: list[RestrictedHit] = []
    if missing:
        rows = await store.read("security/lookup/restricted_by_ids", {"ids": missing, **principal.cypher_params()})
        restricted = sorted((RestrictedHit(agency=str(r["agency"]), id=str(r["id"])) for r in rows),
                            key=lambda h: (h.id or "", h.agency))
    if restricted and audit is not None:
        audit.record(
            principal, "lookup", {"ids": unique, "restricted": [[h.id, h.agency] for h in restricted]},
            len(found), kind="hit",
        )
    return Lookup(found=found, restricted=restricted)
