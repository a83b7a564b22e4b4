"""An analyst's review of an identifier the circuit breaker quarantined: the holders are counted
again in the store, and the quarantine follows the count (DESIGN.md: "quarantined for review").

The breaker (:mod:`graphapi.ingest.write_correlation`) only ever adds a quarantine, when new links
pass the limit; links retracted or deleted since (decoys withdrawn, attack round 53, 3) left it in
place. The review decides again, per audience as the breaker does
(:func:`graphapi.ingest.quarantine_recount.recount`, which unshares and deletes of links ask for
too), in one turn of the store's write lease (:func:`graphapi.security.turns.in_turn`), as a
load's recount is. The reviewer is told only its own view (quarantined for it or not, and the holders it may
see); other agencies' marks are recounted from their own views and never shown. Reviews are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphapi.errors import InvalidArgument, NotFound
from graphapi.ingest.guard import Exclusions, IdentifierGuard, load_exclusions
from graphapi.ingest.quarantine_recount import recount
from graphapi.security.audit import AuditSink
from graphapi.security.guards import require_agency, require_role
from graphapi.security.principal import Principal
from graphapi.security.turns import in_turn
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
    # in a turn of the write lease, as a load's recount: a load's DEL and recount between this
    # read and its settle were lost (attack round a-62, 5)
    done = await in_turn(store, lambda leased: recount(leased, node_id, types, guard.limit, agency))
    if done is None:  # deleted since it was read
        raise NotFound.no_entity(shown)
    out = QuarantineReview(shown, done.flag or agency in done.marks, done.views[agency]["holders"], guard.limit)
    if audit is not None:
        audit.record(principal, "reviewQuarantine", {"id": shown, "quarantined": out.quarantined}, 1,
                     kind="mutation", request_id=request_id)
    return out

