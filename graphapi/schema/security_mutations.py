"""Security mutations: ``share``, ``unshare``, ``requestAccess``, ``decideAccessRequest``,
``withdrawAccessRequest``, ``reviewQuarantine``. Each is audited by the service it calls (and the operation itself by
the audit extension)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.args import check_id, check_ids
from graphapi.schema.security_queries import audit_of, requests_of, shown_requests
from graphapi.schema.security_types import AccessRequest, QuarantineReview, ShareResult
from graphapi.schema.types.enums import TLP
from graphapi.security import access, access_decide, quarantine_review
from graphapi.security import share as sharing
from graphapi.security.redaction import may_see_victims
from graphapi.security.runtime import security_runtime
from graphapi.security.victim_lookup import GivenIds, shown_relationship_ids


async def _given(ctx: Any, ids: list[str], agencies: list[str]) -> GivenIds:
    """``share`` / ``unshare`` ids as given, checked: tokens resolved, victims' ids typed in clear
    answered as unknown ones (graphapi.security.victim_lookup). ``agencies`` are checked first,
    before any id is looked up."""
    sharing.check_share_agencies(agencies)
    if len(ids) > sharing.MAX_IDS:
        raise InvalidArgument(f"ids must hold 1..{sharing.MAX_IDS} ids")
    return await ctx.lookup_ids(check_ids("ids", ids))


async def _shown(ctx: Any, result: sharing.ShareResult, given: GivenIds) -> ShareResult:
    """``result`` with the ids a caller without victim-data may see: an entity given as a token
    reads as that token, a relationship touching a victim as its token."""
    typed = {real: g for g, real in given.pairs() if real is not None}
    rels = {i: i for i in result.relationships}
    if not may_see_victims(ctx.principal) and result.ends:
        rels = await shown_relationship_ids(ctx.store, ctx.principal, [(i, *e) for i, e in result.ends.items()])

    def show(i: str) -> str:
        return typed.get(i) or rels.get(i) or i

    return ShareResult.from_record(replace(
        result, nodes=sorted(map(show, result.nodes)), relationships=sorted(map(show, result.relationships)),
        ineffective=sorted(map(show, result.ineffective)),
    ))


@strawberry.type
class SecurityMutation:
    @strawberry.mutation(
        description=(
            "Share your agency's entities `ids` with `agencies` (1..50 agency ids); with `includeRelationships`, "
            "also your relationships among them and those from them to entities an agency and yours already see "
            "(a public checkpoint, an entity shared with it before), with that agency only and opened at most to "
            "AMBER; never those to entities it cannot see. `tlp` opens stricter items up to that level (never makes "
            "anything stricter); AMBER is what sharing needs under TLP 2.0. Items you do not own are `refused`."
        )
    )
    async def share(
        self,
        info: Info[Any, None],
        ids: list[str],
        agencies: list[str],
        tlp: TLP | None = None,
        include_relationships: bool = True,
    ) -> ShareResult:
        ctx = info.context
        given = await _given(ctx, ids, agencies)
        requests = requests_of(info)
        level = tlp.value if tlp is not None else None

        def noted(checked: list[str], nodes: list[str], rels: list[str]) -> None:  # in the share's turn (41a, 2)
            access.note_shared(requests, ctx.principal.agency, checked, level, nodes, rels)

        result = await sharing.share(
            ctx.store, ctx.principal, given, agencies, level,
            include_relationships=include_relationships, audit=audit_of(info), noted=noted,
        )
        return await _shown(ctx, result, given)

    @strawberry.mutation(
        description=(
            "Stop sharing your agency's entities `ids` with `agencies`, and your relationships among them and from "
            "them to other entities that are shared with those agencies."
        )
    )
    async def unshare(self, info: Info[Any, None], ids: list[str], agencies: list[str]) -> ShareResult:
        ctx = info.context
        given = await _given(ctx, ids, agencies)
        requests = requests_of(info)

        def noted(checked: list[str], nodes: list[str]) -> None:  # in the unshare's turn (attack round 26, G3, G4)
            access.note_unshared(requests, ctx.principal.agency, checked, nodes)

        result = await sharing.unshare(ctx.store, ctx.principal, given, agencies, audit=audit_of(info), noted=noted)
        return await _shown(ctx, result, given)

    @strawberry.mutation(
        description=(
            "Ask agency `owner` (an agency id) for access to `ids` (after `restrictedLookup`; at most "
            f"{access.MAX_IDS}, each hidden from you and held by `owner`, else the request is refused whole) or "
            f"to what matches `text`; `reason` and `text` at most {access.MAX_REASON} characters; at most "
            f"{access.MAX_PENDING} pending requests each. The ids take the `restrictedLookup` budget."
        )
    )
    async def request_access(
        self, info: Info[Any, None], owner: str, reason: str, ids: list[str] | None = None, text: str | None = None
    ) -> AccessRequest:
        ctx = info.context
        if ids is not None and len(ids) > access.MAX_IDS:
            raise InvalidArgument(f"ids may hold at most {access.MAX_IDS} ids, got {len(ids)}")
        given = await ctx.lookup_ids(check_ids("ids", ids or []))
        request = await access.file_request(
            ctx.store, requests_of(info), ctx.principal, owner, reason, given, text,
            audit=audit_of(info), budget=getattr(ctx, "lookup_budget", None) or security_runtime().lookup_budget,
            request_id=getattr(ctx, "request_id", None),
        )
        return (await shown_requests(info, [request]))[0]

    @strawberry.mutation(
        description=(
            "Grant or refuse a pending request filed with your agency (roles supervisor, admin). A grant shares "
            "`ids` (default: those asked for) with the requester's agency, opened up to AMBER, with your "
            "relationships among them and from them to entities that agency already sees (as `share`)."
        )
    )
    async def decide_access_request(
        self, info: Info[Any, None], id: str, grant: bool, note: str | None = None, ids: list[str] | None = None
    ) -> AccessRequest:
        ctx = info.context
        chosen = None
        if ids is not None:
            chosen = await ctx.lookup_ids(check_ids("ids", ids))
        request = await access_decide.decide(
            ctx.store, requests_of(info), ctx.principal, id, grant, note, chosen, audit=audit_of(info),
            audit_request_id=getattr(ctx, "request_id", None),
        )
        return (await shown_requests(info, [request]))[0]

    @strawberry.mutation(description="Withdraw a pending request your agency filed.")
    async def withdraw_access_request(self, info: Info[Any, None], id: str) -> AccessRequest:
        # the file is read and rewritten under a lock: off the event loop, then audited on it
        principal = info.context.principal
        request = await asyncio.to_thread(access.withdraw, requests_of(info), principal, id)
        audit = audit_of(info)
        if audit is not None:
            access.audit_withdrawal(audit, principal, request, getattr(info.context, "request_id", None))
        return (await shown_requests(info, [request]))[0]

    @strawberry.mutation(
        description=(
            "Count again the entities linked to identifier `id` that the circuit breaker quarantined (or should "
            "have), and settle its quarantine by the count: it lifts once they fall below the limit (links "
            "withdrawn since), and comes when they pass it. Each agency's quarantine follows what that agency may "
            "see; you are told your own. Roles analyst, supervisor, admin; audited."
        )
    )
    async def review_quarantine(self, info: Info[Any, None], id: str) -> QuarantineReview:
        ctx = info.context
        given = await ctx.lookup_ids([check_id("id", id)])
        (shown, real), = given.pairs()
        if real is None:  # a victim's id typed in clear answers as a missing one
            raise NotFound.no_entity(shown)
        result = await quarantine_review.review(ctx.store, ctx.principal, real, given=shown, audit=audit_of(info),
                                                request_id=getattr(ctx, "request_id", None))
        return QuarantineReview.from_record(result)
