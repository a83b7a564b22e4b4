"""GraphQL types of the security surface: restricted hits, share results, access requests, audit trail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from graphapi.errors import InvalidArgument
from graphapi.investigate import cursors
from graphapi.schema.types.paging import page_info
from graphapi.security.access import AccessRequest as AccessRequestRecord
from graphapi.security.hits import RestrictedHit as RestrictedHitRecord
from graphapi.security.quarantine_review import QuarantineReview as QuarantineReviewRecord
from graphapi.security.share import ShareResult as ShareResultRecord
from graphapi.security.trail import AuditPage

#: An audit cursor's seq has at most this many digits (a log of a billion billion lines).
MAX_SEQ_DIGITS = 18


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


@strawberry.type(description="What `reviewQuarantine` decided, in your agency's view.")
class QuarantineReview:
    id: str = strawberry.field(description="The identifier reviewed, as you gave it.")
    quarantined: bool = strawberry.field(
        description="Still quarantined for you: its links past the circuit breaker's limit stay kept as text.")
    holders: int = strawberry.field(description="The distinct entities you may see linked to it.")
    limit: int = strawberry.field(description="The circuit breaker's limit of linked entities.")

    @classmethod
    def from_record(cls, r: QuarantineReviewRecord) -> QuarantineReview:
        return cls(id=r.id, quarantined=r.quarantined, holders=r.holders, limit=r.limit)


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


def encode_audit_cursor(seq: int) -> str:
    """The opaque cursor of the entry ``seq`` (its place in the log, which the entry shows anyway)."""
    return cursors.encode("audit", str(seq))


def decode_audit_cursor(cursor: str | None, argument: str) -> int | None:
    """The ``seq`` in an audit cursor (None for None); InvalidArgument (naming ``argument``) if it
    is not one of ours."""
    if cursor is None:
        return None
    value = cursors.decode_number("audit", cursor, MAX_SEQ_DIGITS)
    if value is None:
        raise InvalidArgument(f"{argument} is not a valid audit cursor")
    return value


@strawberry.type(description="One audit entry on a page of `auditEntries`.")
class AuditEntryEdge:
    cursor: str = strawberry.field(
        description="Opaque cursor; pass as `after` (or `before`) for the next (or previous) page.")
    node: AuditEntry


@strawberry.type(description="A page of the audit trail, oldest first (Relay connection).")
class AuditEntryConnection:
    edges: list[AuditEntryEdge]
    page_info: relay.PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Entries you may read that match the filters, all pages. Counting reads the "
                                  "whole log once, so it is done only when this field is asked for.")
    async def total_count(self) -> int:
        return await self._count()

    @classmethod
    def from_page(cls, page: AuditPage, count: Callable[[], Awaitable[int]]) -> AuditEntryConnection:
        """Build from a trail page; ``count`` gives ``totalCount`` when asked."""
        edges = [AuditEntryEdge(cursor=encode_audit_cursor(int(e["seq"])), node=AuditEntry.from_entry(e))
                 for e in page.entries]
        return cls(edges=edges, page_info=page_info(edges, page.has_next, page.has_previous), _count=count)
