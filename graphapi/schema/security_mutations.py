"""Security mutations: ``share``, ``unshare``, ``requestAccess``, ``decideAccessRequest``,
``withdrawAccessRequest``. Each is audited by the service it calls (and the operation itself by
the audit extension)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from graphapi.investigate.args import check_ids
from graphapi.schema.security_queries import audit_of, requests_of
from graphapi.schema.security_types import AccessRequest, ShareResult
from graphapi.schema.types.enums import TLP
from graphapi.security import access
from graphapi.security import share as sharing


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
        description="Ask agency `owner` for access to `ids` (after `restrictedLookup`) or to what matches `text`."
    )
    def request_access(
        self, info: Info[Any, None], owner: str, reason: str, ids: list[str] | None = None, text: str | None = None
    ) -> AccessRequest:
        request = access.file_request(
            requests_of(info), info.context.principal, owner, reason, check_ids("ids", ids or []), text,
            audit=audit_of(info),
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
        )
        return AccessRequest.from_record(request)

    @strawberry.mutation(description="Withdraw a pending request your agency filed.")
    def withdraw_access_request(self, info: Info[Any, None], id: str) -> AccessRequest:
        return AccessRequest.from_record(
            access.withdraw(requests_of(info), info.context.principal, id, audit=audit_of(info))
        )
