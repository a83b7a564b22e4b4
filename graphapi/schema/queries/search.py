"""``search``: full-text search over names, aliases and identifier values."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.investigate import search as search_service
from graphapi.investigate.search_queue import SearchQueue
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Label
from graphapi.schema.types.search import SearchConnection
from graphapi.settings import get_settings


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
            "of more than 16 distinct words. A search waits its turn in a queue fair between agencies "
            "(LINTAS_SEARCH_SLOTS run at once); error RATE_LIMITED when its turn does not come within "
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
        settings = get_settings()
        queue = SearchQueue(settings.data_dir / "search-queue", settings.search_slots_in_force,
                            settings.search_in_flight, settings.search_wait_s)
        request = getattr(ctx, "request", None)  # None outside HTTP (tests, the bench's in-process calls)
        async with queue.turn(ctx.principal, request.is_disconnected if request is not None else None):
            page = await search_service.search(
                ctx.store, ctx.principal, text,
                labels=[lb.value for lb in labels] if labels is not None else None,
                countries=countries, first=first, after=after, timeout_ms=settings.search_timeout_ms,
            )
        return await ctx.shown.ready(SearchConnection.from_page(page, after, ctx.shown))
