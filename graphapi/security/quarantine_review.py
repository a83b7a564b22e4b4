"""An analyst's review of an identifier the circuit breaker quarantined: the holders are counted
again in the store, and the quarantine follows the count (DESIGN.md: "quarantined for review").

The breaker (:mod:`graphapi.ingest.write_correlation`) only ever adds a quarantine, when new links
pass the limit; links retracted or deleted since (decoys withdrawn, attack round 53, 3) left it in
place. The review decides again, per audience as the breaker does: the ``quarantined`` flag
everyone reads from the holders everyone may see, and each agency's internal mark from the holders
that agency may see. A quarantine lifts only once its holders fall below the limit (the breaker
leaves exactly ``limit`` of them linked when it stops a load's links, and more links bring it
back); a new one needs more than the limit, as in the breaker. The reviewer is told only its own
view (quarantined for it or not, and the holders it may see); other agencies' marks are recounted
from their own views and never shown. Reviews are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphapi.errors import InvalidArgument, NotFound
from graphapi.ingest.guard import Exclusions, IdentifierGuard, load_exclusions
from graphapi.ontology.tlp import item_audience
from graphapi.security.audit import AuditSink
from graphapi.security.guards import require_agency, require_role
from graphapi.security.principal import Principal
from graphapi.store.base import GraphStore

#: Who may ask for a review: it recounts, it never widens what anyone sees.
REVIEW_ROLES = ("analyst", "supervisor", "admin")


@dataclass(frozen=True)
class QuarantineReview:
    """What a review decided for the reviewer: ``quarantined`` for its agency, from ``holders``
    (the distinct entities it may see linked to the identifier) against ``limit``."""

    id: str
    quarantined: bool
    holders: int
    limit: int


def still_quarantined(holders: int, limit: int, *, before: bool) -> bool:
    """The breaker's decision on a recount: past the limit, or (already quarantined) at it."""
    return holders >= limit if before else holders > limit


async def review(store: GraphStore, principal: Principal, node_id: str, *, given: str | None = None,
                 exclusions: Exclusions | None = None, limit: int | None = None,
                 audit: AuditSink | None = None, request_id: str | None = None) -> QuarantineReview:
    """Recount identifier ``node_id`` (as ``given`` by the caller) and settle its quarantine;
    :class:`NotFound` if ``principal`` may not see it, :class:`InvalidArgument` if it is no
    identifier. ``limit`` overrides the policy's correlation limit (``seed/exclusions``)."""
    require_role(principal, *REVIEW_ROLES)
    agency = require_agency(principal)
    shown = given or node_id
    guard = IdentifierGuard(exclusions or load_exclusions(), limit=limit)
    seen = await store.read("security/quarantine_seen", {"id": node_id, "agency": agency})
    if not seen:
        raise NotFound.no_entity(shown)
    if not any(guard.is_identifier(label) for label in seen[0]["labels"] if label != "Entity"):
        raise InvalidArgument(f"{shown} is no identifier the circuit breaker counts")
    types = sorted(guard.ex.linking_relationships)
    agencies = [agency, *sorted(await _audiences(store, node_id, types) - {agency})]
    row = await _holders(store, node_id, types, agencies)
    # marks of agencies whose links went since are counted again too
    stale = sorted(set(row["marks"]) - set(agencies))
    if stale:
        agencies += stale
        row = await _holders(store, node_id, types, agencies)
    flag = still_quarantined(row["holders"], guard.limit, before=bool(row["quarantined"]))
    views = {v["agency"]: v for v in row["audience"]}
    marks = sorted(a for a, v in views.items()
                   if still_quarantined(v["holders"], guard.limit, before=bool(v["quarantined"])))
    if flag != bool(row["quarantined"]) or set(marks) != set(row["marks"]):
        await store.write("ingest/settle_quarantine", {"id": node_id, "flag": True if flag else None,
                                                       "marks": marks or None})
    out = QuarantineReview(shown, flag or agency in marks, views[agency]["holders"], guard.limit)
    if audit is not None:
        audit.record(principal, "reviewQuarantine", {"id": shown, "quarantined": out.quarantined}, 1,
                     kind="mutation", request_id=request_id)
    return out


async def _holders(store: GraphStore, node_id: str, types: list[str], agencies: list[str]) -> dict[str, Any]:
    """``ingest/identifier_holders`` of one identifier: for everyone, and each of ``agencies``."""
    rows = await store.read("ingest/identifier_holders", {"ids": [node_id], "types": types, "agencies": agencies})
    return rows[0]


async def _audiences(store: GraphStore, node_id: str, types: list[str]) -> set[str]:
    """The agencies whose view of the identifier's holders may differ from everyone's."""
    out: set[str] = set()
    for row in await store.read("ingest/identifier_audiences", {"id": node_id, "types": types}):
        for item in (row["link"], row["holder"]):
            out |= item_audience(item) or set()
    return out
