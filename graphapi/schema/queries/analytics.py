"""Investigation analytics as root fields: ``moneyTrail``, ``timeline``, ``sharedIdentifiers``,
``coTravellers``, ``coTravelGroups``. Thin: unwrap enums, call ``graphapi.investigate``, shape the answer
(``graphapi.schema.types.analytics``). Audited by the schema's ``AuditOperations`` like every field."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphapi.errors import InvalidArgument
from graphapi.investigate import cotravel, cotravel_groups, money, shared_ids, timeline
from graphapi.investigate.args import check_id, check_ids
from graphapi.schema.context import Context
from graphapi.schema.types.analytics import (
    CoTravel,
    CoTravelGroups,
    MoneyDirection,
    MoneyTrail,
    SharedIdentifiers,
    TimelineConnection,
)
from graphapi.schema.types.enums import RelationshipType, type_names
from graphapi.schema.types.paging import PAGING_ARGUMENTS


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description=(
            "Where money went from (DOWNSTREAM) or came to (UPSTREAM) the account or wallet `id`, along "
            "time-respecting TRANSFERRED_TO paths through visible transfers only: each transfer happens at or after "
            "the one before it (UPSTREAM: at or before) and, with `maxGap` (ISO 8601 duration such as `PT48H`, or "
            "hours such as `48`), within that gap of it. `maxHops` 1..6; `since`/`until` bound every transfer "
            "(ISO 8601, inclusive); `minAmount` per transfer in its own currency (each hop also gives an approximate "
            "USD amount where the rate table has the currency's rate); `currencies` ISO 4217 codes in any "
            "case or crypto tickers (USDT), anything else BAD_USER_INPUT; `limit` 1..1000 trails. Errors NOT_FOUND, "
            "BAD_USER_INPUT."
        )
    )
    async def money_trail(
        self,
        info: Info[Context, None],
        id: str,
        direction: MoneyDirection = MoneyDirection.DOWNSTREAM,
        max_hops: int = 4,
        since: str | None = None,
        until: str | None = None,
        min_amount: float | None = None,
        max_gap: str | None = None,
        currencies: list[str] | None = None,
        limit: int = 100,
    ) -> MoneyTrail | None:
        ctx = info.context
        given = check_id("id", id)
        ids = await ctx.lookup_ids([given])
        real = ids.lookup
        with ids.naming():
            found = await money.money_trail(
                ctx.store, ctx.principal, real[0], direction=direction.value, max_hops=max_hops, since=since,
                until=until, min_amount=min_amount, max_gap=max_gap, currencies=currencies, limit=limit,
            )
        return await ctx.shown.ready(MoneyTrail.from_record(found, ctx.shown))

    @strawberry.field(
        description=(
            f"The dated events of every visible relationship touching the entities `ids` (1..{timeline.MAX_IDS}), "
            "oldest first, then by id and kind: a relationship's own event is its `at`, else its `from`, else its "
            "`to`, and each other dated property of its type (INVOLVED_IN's `rescued`, `repatriated`; SANCTIONED's "
            "`listed`) is an event of that kind; undated relationships are left out. "
            "`since`/`until` bound the time (ISO 8601, inclusive); `relationshipTypes` limits the types and "
            "`excludeRelationshipTypes` leaves types out (nothing by default: a designation is an event of its "
            "entity; a type in both is BAD_USER_INPUT); keyset cursors (stable while data is added). "
            f"{PAGING_ARGUMENTS} Errors NOT_FOUND (an id unknown or hidden), BAD_USER_INPUT."
        )
    )
    async def timeline(
        self,
        info: Info[Context, None],
        ids: list[str],
        since: str | None = None,
        until: str | None = None,
        relationship_types: list[RelationshipType] | None = None,
        first: int | None = None,
        after: str | None = None,
        exclude_relationship_types: list[RelationshipType] | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> TimelineConnection | None:
        ctx = info.context
        given = check_ids("ids", ids)
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            page = await timeline.timeline(
                ctx.store, ctx.principal, real, since=since, until=until,
                relationship_types=type_names(relationship_types), first=first, after=after,
                exclude_relationship_types=type_names(exclude_relationship_types), last=last, before=before,
            )
        return await ctx.shown.ready(TimelineConnection.from_page(page, ctx.shown))

    @strawberry.field(
        description=(
            f"Visible people and organisations tied to any of `ids` (1..{shared_ids.MAX_IDS}), or to any person "
            "or organisation involved in the case `caseId` (its visible INVOLVED_IN links, at most "
            f"{shared_ids.MAX_IDS}; give one of the two), through the same "
            "visible phone, device, bank account, wallet, online account, website, address or identity document, "
            "with the identifiers "
            "of each tie. Placeholder identifiers (hotlines, 'N/A'...) and quarantined ones tie nobody. "
            "Errors NOT_FOUND (an id or case unknown or hidden), BAD_USER_INPUT."
        )
    )
    async def shared_identifiers(self, info: Info[Context, None], ids: list[str] | None = None,
                                 case_id: str | None = None) -> SharedIdentifiers | None:
        ctx = info.context
        if (ids is None) == (case_id is None):
            raise InvalidArgument("give either ids or caseId")
        if case_id is not None:
            case = await ctx.lookup_ids([check_id("caseId", case_id)])
            with case.naming():
                members = await shared_ids.case_members(ctx.store, ctx.principal, case.lookup[0])
            found = await shared_ids.shared_identifiers(ctx.store, ctx.principal, members)
            return await ctx.shown.ready(SharedIdentifiers.from_record(found, ctx.shown))
        given = check_ids("ids", ids or [])
        looked_up = await ctx.lookup_ids(given)
        with looked_up.naming():
            found = await shared_ids.shared_identifiers(ctx.store, ctx.principal, looked_up.lookup)
        return await ctx.shown.ready(SharedIdentifiers.from_record(found, ctx.shown))

    @strawberry.field(
        description=(
            "People who crossed (CROSSED) the same border checkpoint in the same direction within `window` hours "
            "(0 < window <= 168, default 2) of the person `personId`, on at least `minOccurrences` (default 2) of "
            "the person's crossings, ranked by that number; visible crossings only. `checkpoints` limits the "
            "checkpoints (ids); `limit` 1..100 travellers. Errors NOT_FOUND, BAD_USER_INPUT."
        )
    )
    async def co_travellers(
        self,
        info: Info[Context, None],
        person_id: str,
        window: float = 2,
        checkpoints: list[str] | None = None,
        min_occurrences: int = 2,
        limit: int = 50,
    ) -> CoTravel | None:
        ctx = info.context
        given = [check_id("personId", person_id)]
        if checkpoints is not None:
            given += check_ids("checkpoints", checkpoints)
        ids = await ctx.lookup_ids(given)
        real = ids.lookup
        with ids.naming():
            found = await cotravel.co_travellers(
                ctx.store, ctx.principal, real[0], window=window,
                checkpoints=real[1:] if checkpoints is not None else None,
                min_occurrences=min_occurrences, limit=limit,
            )
        return await ctx.shown.ready(CoTravel.from_record(found, ctx.shown))

    @strawberry.field(
        description=(
            "Groups of at least `minSize` (2..20) people who crossed (CROSSED) the same border checkpoint in the same "
            "direction together on at least `minOccurrences` (1..100, default 2) occasions, found without a seed "
            "person, over visible crossings only. An occasion is a run of crossings of one checkpoint in one "
            "direction each within `window` hours (0 < window <= 168, default 2) of the one before; one of more "
            f"than {cotravel_groups.MAX_CROWD} people is a crowd and left out. A group is as large as its occasions "
            "allow, and listed with exactly those occasions. `since`/`until` (ISO 8601, inclusive) bound the "
            f"crossings; `checkpoints` (ids, 1..{cotravel_groups.MAX_CHECKPOINTS}) limits the checkpoints; `limit` "
            "1..100 groups. Error BAD_USER_INPUT."
        )
    )
    async def co_travel_groups(
        self,
        info: Info[Context, None],
        since: str | None = None,
        until: str | None = None,
        checkpoints: list[str] | None = None,
        window: float = 2,
        min_size: int = 2,
        min_occurrences: int = 2,
        limit: int = 50,
    ) -> CoTravelGroups | None:
        ctx = info.context
        real = check_ids("checkpoints", checkpoints) if checkpoints is not None else None
        found = await cotravel_groups.co_travel_groups(
            ctx.store, ctx.principal, since=since, until=until, checkpoints=real, window=window,
            min_size=min_size, min_occurrences=min_occurrences, limit=limit,
            # a gone client's read leaves the queue, as its search does (attack round a-88, 6)
            client_gone=request.is_disconnected if (request := getattr(ctx, "request", None)) is not None else None,
        )
        return await ctx.shown.ready(CoTravelGroups.from_record(found, ctx.shown))
