"""``quarantinedIdentifiers``: the identifiers the circuit breaker quarantined for the reader."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import quarantined as service
from graphapi.schema.context import Context
from graphapi.schema.types.quarantined import QuarantinedIdentifierConnection


@strawberry.type
class QuarantinedQuery:
    @strawberry.field(
        description=(
            "The identifiers (phones, accounts, wallets...) quarantined for you, which you may see, by id: linked "
            "to more holders than the circuit breaker's limit, counting the holders everyone may see (flagged for "
            "everyone) or those your agency may see (for your agency alone). Their links past the limit were kept "
            "as text on the holders (`identifiers`); `reviewQuarantine(id)` counts the holders again. A victim's "
            "identifier is listed only to a reader with victim-data. Pages forward only: "
            f"`first` (1..{service.MAX_PAGE}) after the cursor `after` (at most {service.MAX_OFFSET:,} deep); "
            "a cursor not of this field is BAD_USER_INPUT."
        )
    )
    async def quarantined_identifiers(self, info: Info[Context, None], first: int = 20,
                                      after: str | None = None) -> QuarantinedIdentifierConnection | None:
        ctx = info.context
        page = await service.quarantined_identifiers(ctx.store, ctx.principal, first=first, after=after)

        async def count() -> int:
            return await service.quarantined_count(ctx.store, ctx.principal)

        return await ctx.shown.ready(QuarantinedIdentifierConnection.from_page(page, ctx.shown, count))
