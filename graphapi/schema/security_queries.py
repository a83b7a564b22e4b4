"""Security root queries: ``restrictedHits``, ``restrictedLookup``, ``accessRequests``, ``auditEntries``
(and ``auditTrail``, its deprecated first shape).

Resolvers stay thin: they call :mod:`graphapi.security` with the context's store, principal and
the audit log / access-request store (``info.context.audit`` / ``info.context.access_requests``
when the context carries them, else the process-wide :func:`graphapi.security.runtime.security_runtime`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_ids
from graphapi.investigate.search_lanes import in_request_lanes
from graphapi.schema.security_types import (
    AccessRequest,
    AuditEntryConnection,
    AuditTrail,
    RestrictedHit,
    decode_audit_cursor,
)
from graphapi.security import access, hits, trail
from graphapi.security.access import AccessRequest as AccessRequestRecord
from graphapi.security.access import AccessRequestStore
from graphapi.security.audit import AuditLog
from graphapi.security.redaction import may_see_victims
from graphapi.security.runtime import security_runtime
from graphapi.security.victim_ids import is_token
from graphapi.security.victim_lookup import shown_node_ids, unreachable

MAX_IDS = 1000


def audit_of(info: Info) -> AuditLog:
    """The audit sink for this request."""
    return getattr(info.context, "audit", None) or security_runtime().audit


def requests_of(info: Info) -> AccessRequestStore:
    """The access-request store for this request."""
    return requests_of_context(info.context)


def _audit_count(ctx: Any, log: AuditLog, principal: Any, filters: dict[str, Any]
                 ) -> Callable[[], Awaitable[int]]:
    """``totalCount`` of an audit page: the log scanned off the event loop (a scan of a big log held
    the worker's every request), once per request and filters however many aliases ask (attack
    round 25, F4)."""
    counts: dict[tuple, asyncio.Future[int]] = ctx.__dict__.setdefault("_audit_counts", {})
    key = tuple(sorted(filters.items()))

    def count() -> Awaitable[int]:
        if key not in counts:
            counts[key] = asyncio.ensure_future(asyncio.to_thread(trail.count_trail, log, principal, **filters))
        return counts[key]

    return count


def requests_of_context(ctx: Any) -> AccessRequestStore:
    return getattr(ctx, "access_requests", None) or security_runtime().access_requests


async def shown_requests(info: Info, requests: list[AccessRequestRecord]) -> list[AccessRequest]:
    """``requests`` with the ids the reader may see (graphapi.security.victim_lookup): for a reader
    without victim-data, an id the requester gave as a token, or a victim's (or its phone's,
    account's) id, reads as its token, in ``lintasIds`` and ``shared``; and the free text the
    other agency wrote (the requester's reason and text, the owner's note) masked as the audit
    trail masks it (:func:`graphapi.security.trail.mask_texts`)."""
    ctx = info.context
    requests = await _texts_masked(ctx, requests)
    if may_see_victims(ctx.principal):
        return [AccessRequest.from_record(r) for r in requests]
    shown = await shown_node_ids(ctx.store, ctx.principal, [i for r in requests for i in (*r.ids, *r.shared)])
    out = []
    for r in requests:
        tokens = {i: g for i, g in zip(r.ids, r.given, strict=False) if is_token(g)}

        def show(i: str, tokens: dict[str, str] = tokens) -> str:
            return tokens.get(i) or shown.get(i, i)

        out.append(AccessRequest.from_record(replace(r, ids=[show(i) for i in r.ids],
                                                     shared=[show(i) for i in r.shared])))
    return out


async def _texts_masked(ctx: Any, requests: list[AccessRequestRecord]) -> list[AccessRequestRecord]:
    agency = ctx.principal.agency
    written = [(r, field) for r in requests for field in ("reason", "text", "note")
               if getattr(r, field) and agency != (r.owner if field == "note" else r.requester_agency)]
    if not written:
        return requests
    known = frozenset(r.id for r in requests_of_context(ctx).all() if agency in (r.requester_agency, r.owner))
    texts = await trail.mask_texts(ctx.store, ctx.principal, [getattr(r, field) for r, field in written], known)
    changed: dict[str, dict[str, str]] = {}
    for (r, field), text in zip(written, texts, strict=True):
        changed.setdefault(r.id, {})[field] = text
    return [replace(r, **changed[r.id]) if r.id in changed else r for r in requests]


@strawberry.type
class SecurityQuery:
    @strawberry.field(
        description=(
            "Hit / no-hit: the agencies owning entities you may not see whose WHOLE name, alias or identifier "
            "equals `text` after normalisation (names case-, diacritic- and whitespace-folded; phones in "
            "international form to E.164; other identifiers upper-cased without separators). No prefix or fuzzy "
            "match, no content, only whom to ask (`requestAccess`); each hit is audited for its owner. "
            f"At most {hits.HIT_BUDGET_PER_HOUR} calls per hour by default (LINTAS_HIT_LIMIT_PER_HOUR): error "
            "RATE_LIMITED past it. Error BAD_USER_INPUT for empty text, or text longer than 256 "
            "characters or of more than 16 distinct words (no unit taken)."
        )
    )
    async def restricted_hits(self, info: Info[Any, None], text: str) -> list[RestrictedHit] | None:
        ctx = info.context
        found = await hits.restricted_hits(
            ctx.store, ctx.principal, text, audit=audit_of(info),
            budget=getattr(ctx, "hit_budget", None) or security_runtime().hit_budget,
            request_id=getattr(ctx, "request_id", None),
            lanes=lambda run: in_request_lanes(ctx, run),
        )
        return [RestrictedHit.from_record(h) for h in found]

    @strawberry.field(
        description=(
            f"Hit / no-hit by id (at most {MAX_IDS}): for each id that exists but is hidden from you, its owner "
            "agency. Visible ids are fetched with `entities`; unknown ids are absent. Each id you cannot see "
            f"takes one unit of a budget of {hits.LOOKUP_BUDGET_PER_HOUR} per hour by default "
            "(LINTAS_LOOKUP_LIMIT_PER_HOUR; ids of data you see are free): error RATE_LIMITED past it."
        )
    )
    async def restricted_lookup(self, info: Info[Any, None], ids: list[str]) -> list[RestrictedHit] | None:
        if len(ids) > MAX_IDS:
            raise InvalidArgument(f"ids may hold at most {MAX_IDS} ids, got {len(ids)}")
        ctx = info.context
        given = await ctx.lookup_ids(check_ids("ids", ids))
        with given.naming():
            result = await hits.lookup(
                ctx.store, ctx.principal, given.lookup, audit=audit_of(info),
                budget=getattr(ctx, "lookup_budget", None) or security_runtime().lookup_budget,
                request_id=getattr(ctx, "request_id", None),
            )
        typed = dict(zip(given.lookup, given.given, strict=True))  # a token answers as the token
        # another agency's victim typed in clear is a hit, as ingest answers it (a token is not)
        clear = [as_given for looked, as_given in typed.items() if looked == unreachable(as_given)]
        victims = await hits.victims_typed_in_clear(ctx.store, ctx.principal, clear)
        hits.audit_hits(audit_of(info), ctx.principal, "lookup", victims, request_id=getattr(ctx, "request_id", None))
        found = sorted([*(replace(h, id=typed.get(h.id or "", h.id)) for h in result.restricted), *victims],
                       key=lambda h: (h.id or "", h.agency))
        return [RestrictedHit.from_record(h) for h in found]

    @strawberry.field(
        description="Access requests filed by or with your agency, oldest first; `status` filters (pending, ...)."
    )
    async def access_requests(self, info: Info[Any, None], status: str | None = None) -> list[AccessRequest] | None:
        found = access.list_requests(requests_of(info), info.context.principal, status, audit=audit_of(info),
                                     request_id=getattr(info.context, "request_id", None))
        return await shown_requests(info, found)

    @strawberry.field(
        description=(
            "The audit trail (roles auditor, admin). Auditors see their agency's entries and others' hits on and "
            "requests to their agency's data; admins see all. Ids of nodes and relationships your agency may not see "
            "read `<hidden>` in every field. `since`/`until`: ISO 8601 UTC; `first` 1..500; "
            "`after`: an `endCursor`. Error FORBIDDEN without the role."
        ),
        deprecation_reason=("Use `auditEntries`, the same entries as a Relay connection (string cursors, "
                            "`last`/`before`, `totalCount`); this field goes in the next release."),
    )
    async def audit_trail(
        self,
        info: Info[Any, None],
        subject: str | None = None,
        agency: str | None = None,
        kind: str | None = None,
        operation: str | None = None,
        since: str | None = None,
        until: str | None = None,
        first: int = 100,
        after: int | None = None,
    ) -> AuditTrail | None:
        log = audit_of(info)
        page = await trail.read_visible_trail(
            info.context.store, log, info.context.principal, subject=subject, agency=agency, kind=kind,
            operation=operation, since=since, until=until, first=first, after=after, audit=log,
            request_id=getattr(info.context, "request_id", None),
        )
        return AuditTrail.from_page(page)

    @strawberry.field(
        description=(
            "The audit trail as a Relay connection, oldest first (roles auditor, admin). Auditors see their agency's "
            "entries and others' hits on and requests to their agency's data; admins see all. Ids of nodes and "
            "relationships your agency may not see read `<hidden>` in every field. `subject`, `agency`, `kind`, "
            "`operation` filter; `since`/`until`: ISO 8601 UTC, inclusive. Paging (Relay): `first` (1..500, "
            f"{trail.DEFAULT_FIRST} when neither it nor `last` is given) entries after the cursor `after`, or the "
            "`last` entries before the cursor `before`, still oldest first; not both directions at once. "
            "`hasPreviousPage` is true on a page after a cursor (`hasNextPage` on one before a cursor). A cursor "
            "not of this field is BAD_USER_INPUT. Error FORBIDDEN without the role."
        )
    )
    async def audit_entries(
        self,
        info: Info[Any, None],
        subject: str | None = None,
        agency: str | None = None,
        kind: str | None = None,
        operation: str | None = None,
        since: str | None = None,
        until: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> AuditEntryConnection | None:
        log, principal = audit_of(info), info.context.principal
        filters = {"subject": subject, "agency": agency, "kind": kind, "operation": operation, "since": since,
                   "until": until}
        page = await trail.read_visible_trail(
            info.context.store, log, principal, **filters, first=first, after=decode_audit_cursor(after, "after"),
            last=last, before=decode_audit_cursor(before, "before"), audit=log,
            request_id=getattr(info.context, "request_id", None),
        )
        return AuditEntryConnection.from_page(page, _audit_count(info.context, log, principal, filters))
