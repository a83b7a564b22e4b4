"""``search``: full-text search over names, aliases and identifier values."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import search as search_service
from graphapi.investigate.search_lanes import in_request_lanes
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Label
from graphapi.schema.types.search import SearchConnection


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description=(
            "Visible entities whose names, aliases or identifiers match `text`, best first. A phone number "
            "typed in any common format finds its E.164 node. `labels` keeps entities with any of these "
            "labels; `countries` (ISO 3166-1 alpha-2) entities tied to any of them. Pages forward only, `first` "
            "(1..100) hits after the cursor `after` (hits are ranked by score, not a keyset: no `last`/`before`; "
            f"at most {search_service.MAX_OFFSET:,} hits deep); `hasPreviousPage` is true when `after` was given. "
            "Error BAD_USER_INPUT for text without letters or digits, longer than 256 characters or "
            "of more than 16 distinct words. A search waits its turn in a queue fair between agencies by the "
            "store time their searches used: first in a quick lane (LINTAS_SEARCH_QUICK_MS, default 300 ms), "
            "then, if cut there, in the broad lane (LINTAS_SEARCH_SLOTS run at once); error RATE_LIMITED "
            "when its turn does not come within "
            "LINTAS_SEARCH_WAIT_S (default 20 s) or you already have LINTAS_SEARCH_IN_FLIGHT (default 4) "
            "searches waiting or running; TIMEOUT past LINTAS_SEARCH_TIMEOUT_MS (default 10 s)."
        )
    )
    async def search(
        self,
        info: Info[Context, None],
        text: str,
        labels: list[Label] | None = None,
        countries: list[str] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> SearchConnection | None:
        ctx = info.context

        async def run(timeout_ms: int) -> search_service.SearchPage:
            return await search_service.search(
                ctx.store, ctx.principal, text,
                labels=[lb.value for lb in labels] if labels is not None else None,
                countries=countries, first=first, after=after, timeout_ms=timeout_ms,
            )

        page = await in_request_lanes(ctx, run)
        return await ctx.shown.ready(SearchConnection.from_page(page, after, ctx.shown))
