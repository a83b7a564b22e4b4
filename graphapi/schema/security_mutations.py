"""Security mutations: ``share``, ``unshare``, ``requestAccess``, ``decideAccessRequest``,
``withdrawAccessRequest``. Each is audited by the service it calls (and the operation itself by
the audit extension)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_ids
from graphapi.schema.security_queries import audit_of, requests_of
from graphapi.schema.security_types import AccessRequest, ShareResult
from graphapi.schema.types.enums import TLP
from graphapi.security import access
from graphapi.security import share as sharing
from graphapi.security.runtime import security_runtime


@strawberry.type
class SecurityMutation:
    @strawberry.mutation(
        description=(
            "Share your agency's entities `ids` (and, with `includeRelationships`, its relationships among them) "
            "with `agencies`. `tlp` opens stricter items up to that level (never makes anything stricter); "
            "AMBER is what sharing needs under TLP 2.0. Items you do not own are `refused`."
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
        result = await sharing.share(
            ctx.store, ctx.principal, ids, agencies, tlp.value if tlp is not None else None,
            include_relationships=include_relationships, audit=audit_of(info),
        )
        return ShareResult.from_record(result)

    @strawberry.mutation(description="Stop sharing your agency's entities `ids` (and relationships among them).")
    async def unshare(self, info: Info[Any, None], ids: list[str], agencies: list[str]) -> ShareResult:
        ctx = info.context
        return ShareResult.from_record(
            await sharing.unshare(ctx.store, ctx.principal, ids, agencies, audit=audit_of(info))
        )

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
        request = await access.file_request(
            ctx.store, requests_of(info), ctx.principal, owner, reason, check_ids("ids", ids or []), text,
            audit=audit_of(info), budget=getattr(ctx, "lookup_budget", None) or security_runtime().lookup_budget,
            request_id=getattr(ctx, "request_id", None),
        )
        return AccessRequest.from_record(request)

    @strawberry.mutation(
        description=(
            "Grant or refuse a pending request filed with your agency (roles supervisor, admin). A grant shares "
            "`ids` (default: those asked for) with the requester's agency, opened up to AMBER."
        )
    )
    async def decide_access_request(
        self, info: Info[Any, None], id: str, grant: bool, note: str | None = None, ids: list[str] | None = None
    ) -> AccessRequest:
        ctx = info.context
        request = await access.decide(
            ctx.store, requests_of(info), ctx.principal, id, grant, note,
            check_ids("ids", ids) if ids is not None else None, audit=audit_of(info),
            audit_request_id=getattr(ctx, "request_id", None),
        )
        return AccessRequest.from_record(request)

    @strawberry.mutation(description="Withdraw a pending request your agency filed.")
    def withdraw_access_request(self, info: Info[Any, None], id: str) -> AccessRequest:
        return AccessRequest.from_record(
            access.withdraw(requests_of(info), info.context.principal, id, audit=audit_of(info),
                            audit_request_id=getattr(info.context, "request_id", None))
        )
