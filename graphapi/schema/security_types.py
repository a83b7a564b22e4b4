"""GraphQL types of the security surface: restricted hits, share results, access requests, audit trail."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from graphapi.security.access import AccessRequest as AccessRequestRecord
from graphapi.security.hits import RestrictedHit as RestrictedHitRecord
from graphapi.security.share import ShareResult as ShareResultRecord
from graphapi.security.trail import AuditPage


@strawberry.type(description="A match the caller may not see (hit / no-hit): only whose it is.")
class RestrictedHit:
    owner: str = strawberry.field(description="The owner agency to ask for access ('' if unknown).")
    # `agency` was this field's first name; everything else in the schema says `owner` (trial 6)
    agency: str = strawberry.field(description="The owner agency, as `owner` (its former name).",
                                   deprecation_reason="Use `owner`, the name the rest of the schema uses.")
    lintas_id: str | None = strawberry.field(description="The id looked up (id lookups only; never from a search).")

    @classmethod
    def from_record(cls, hit: RestrictedHitRecord) -> RestrictedHit:
        return cls(owner=hit.agency, agency=hit.agency, lintas_id=hit.id)


@strawberry.type(description="What `share` / `unshare` changed.")
class ShareResult:
    nodes: list[str] = strawberry.field(description="Entity ids whose sharing changed.")
    relationships: list[str] = strawberry.field(
        description="Relationship ids whose sharing changed: among the entities, and from them to entities the "
                    "agencies see."
    )
    refused: list[str] = strawberry.field(description="Ids not changed: not owned by your agency, or unknown.")
    ineffective: list[str] = strawberry.field(
        description="Ids shared but still closed to the agencies by their TLP (AMBER+STRICT, RED); pass tlp: AMBER."
    )

    @classmethod
    def from_record(cls, r: ShareResultRecord) -> ShareResult:
        return cls(nodes=r.nodes, relationships=r.relationships, refused=r.refused, ineffective=r.ineffective)


@strawberry.type(description="A request for access to another agency's entities (Prüm model).")
class AccessRequest:
    id: str
    requester: str
    requester_agency: str
    owner: str = strawberry.field(description="The agency asked, which decides.")
    reason: str
    lintas_ids: list[str] = strawberry.field(description="Entity ids asked for.")
    text: str | None = strawberry.field(description="Search text asked for (after a search hit).")
    status: str = strawberry.field(description="pending, granted, refused or withdrawn.")
    created: str
    decided_by: str | None
    decided_at: str | None
    note: str | None
    shared: list[str] = strawberry.field(description="Entity ids shared with the requester on grant.")

    @classmethod
    def from_record(cls, r: AccessRequestRecord) -> AccessRequest:
        return cls(
            id=r.id, requester=r.requester, requester_agency=r.requester_agency, owner=r.owner, reason=r.reason,
            lintas_ids=list(r.ids), text=r.text, status=r.status, created=r.created, decided_by=r.decided_by,
            decided_at=r.decided_at, note=r.note, shared=list(r.shared),
        )


@strawberry.type(description="One line of the hash-chained audit log.")
class AuditEntry:
    seq: int
    at: str
    subject: str | None
    agency: str | None
    roles: list[str]
    kind: str = strawberry.field(description="query, mutation, invalid, auth, hit, share, access, audit, load.")
    operation: str
    arguments: JSON
    result_size: int | None
    outcome: str
    request_id: str | None
    prev: str = strawberry.field(description="SHA-256 of the previous line.")

    @classmethod
    def from_entry(cls, e: dict[str, Any]) -> AuditEntry:
        return cls(
            seq=int(e["seq"]), at=str(e.get("at", "")), subject=e.get("subject"), agency=e.get("agency"),
            roles=list(e.get("roles") or []), kind=str(e.get("kind", "")), operation=str(e.get("operation", "")),
            arguments=e.get("arguments") or {}, result_size=e.get("resultSize"), outcome=str(e.get("outcome", "")),
            request_id=e.get("requestId"), prev=str(e.get("prev", "")),
        )


@strawberry.type(description="A page of the audit trail, oldest first.")
class AuditTrail:
    entries: list[AuditEntry]
    has_next_page: bool
    end_cursor: int | None = strawberry.field(description="Pass as `after` for the next page.")

    @classmethod
    def from_page(cls, page: AuditPage) -> AuditTrail:
        return cls(
            entries=[AuditEntry.from_entry(e) for e in page.entries], has_next_page=page.has_next,
            end_cursor=page.end_cursor,
        )
