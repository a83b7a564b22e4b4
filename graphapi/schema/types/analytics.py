"""GraphQL types of the investigation analytics (money trail, timeline, shared identifiers,
co-travel and co-travel groups).

Every entity and relationship an analytic returns is built by the request's ``Shown``
(``graphapi.schema.shown``; :func:`shown_subgraph` for a subgraph): the same ``Entity`` and
``Relationship`` objects the neighbourhood and paths fields return, so the victim redaction
applies here unchanged. Raw node ids are never exposed beside them; a client reads ids through
these objects.
"""

from __future__ import annotations

import enum
import inspect
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay

from graphapi.investigate import cotravel, cotravel_groups, money, shared_ids, timeline
from graphapi.investigate.expand import Subgraph as SubgraphRecord
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.paging import page_info
from graphapi.schema.types.relationship import Relationship
from graphapi.schema.types.subgraph import Subgraph

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


def shown_subgraph(sub: SubgraphRecord, shown: Shown) -> Subgraph:
    """A service subgraph as the GraphQL ``Subgraph``, its records made types by ``shown``."""
    return Subgraph.from_record(sub, shown)


@strawberry.enum(description="Which way a money trail runs from its start.")
class MoneyDirection(enum.Enum):
    DOWNSTREAM = "DOWNSTREAM"
    UPSTREAM = "UPSTREAM"


@strawberry.enum(description="Why a money trail stopped where it did.")
class TrailEndReason(enum.Enum):
    NO_ONWARD_TRANSFER = "NO_ONWARD_TRANSFER"
    MAX_HOPS = "MAX_HOPS"
    EXCHANGE = "EXCHANGE"
    CASH_OUT = "CASH_OUT"


@strawberry.enum(description=(
    "Where a money trail ends: EXCHANGE, at an account or wallet a visible exchange (an Organization flagged "
    "`exchange`) holds, where the trail stops; CASH_OUT, at a withdrawal (a transfer of `kind` withdrawal, "
    "DOWNSTREAM only), where it stops; OPEN, anywhere else (no onward transfer, or maxHops)."))
class TrailEnd(enum.Enum):
    EXCHANGE = "EXCHANGE"
    CASH_OUT = "CASH_OUT"
    OPEN = "OPEN"


@strawberry.type(description="One transfer of a trail: its amount in its own currency, and approximately in USD.")
class TrailHop:
    at: str = strawberry.field(description="Value date/time, ISO 8601 UTC.")
    amount: float | None = strawberry.field(description=(
        "Amount in `currency` units, as recorded: a payment to several parties is one transfer to each, each "
        "with the whole amount (`transfer`'s `sharedBy` and `txId`): count it once by `txId`."))
    currency: str | None = strawberry.field(description="ISO 4217 code or token (USDT).")
    approx_amount: float | None = strawberry.field(
        description="`amount` in `approxCurrency`, approximate, as of `approxAsOf` (2024-12-31 with the shipped rate "
                    "table, seed/rates; LINTAS_RATES_FILE names another): a reference rate of that date, not the "
                    "rate of the transfer's own day, rounded to cents. Null where the table has no rate for "
                    "`currency` (other crypto assets, say) or there is no amount."
    )
    approx_currency: str | None = strawberry.field(
        description="The currency of `approxAmount` (USD); null where `approxAmount` is."
    )
    approx_as_of: str | None = strawberry.field(
        description="The date of the rate behind `approxAmount` (ISO 8601); null where `approxAmount` is."
    )
    transfer: Relationship = strawberry.field(description="The TRANSFERRED_TO relationship (its id, ends, txId).")
    reports: list[Relationship] = strawberry.field(description=(
        "Every visible TRANSFERRED_TO reporting this transfer, `transfer` (the most precise) first: the records of "
        "one transfer by different sources (the same ends, amount, currency and kind, times that agree at the "
        "coarser precision: 10:15 and 10:15:42; no source in common) are one hop, not one trail each."))

    @strawberry.field(description="The sources that reported this transfer: every report's `sources`, once each, "
                                  "sorted.")
    async def reported_by(self) -> list[str]:
        told: list[str] = []
        for report in self.reports:  # as each report shows its own sources (scrubbed of a victim's name)
            view = report._view
            raw = view.props.get("sources") or []
            sources: Any = [str(s) for s in (raw if isinstance(raw, list | tuple) else [raw])]
            if "sources" in view.watched:
                sources = view.answer("sources", sources)
                sources = await sources if inspect.isawaitable(sources) else sources
            told += sources
        return sorted(set(told))


@strawberry.type(description="One time-respecting trail: its transfers in the order followed, and where it stopped.")
class MoneyTrailPath:
    hops: list[TrailHop]
    end: Entity = strawberry.field(description="The entity the trail stopped at.")
    reason: TrailEndReason
    ends_at: TrailEnd = strawberry.field(description="Where the trail ends: an exchange, a cash-out, or open.")


@strawberry.type(description="An entity where trails stopped, and how many did.")
class TrailEndPoint:
    entity: Entity
    reason: TrailEndReason = strawberry.field(
        description="NO_ONWARD_TRANSFER: no visible transfer within the time window; MAX_HOPS: maxHops reached; "
                    "EXCHANGE: an exchange holds it; CASH_OUT: the money was withdrawn to it."
    )
    trails: int = strawberry.field(description="Trails that end here so.")
    ends_at: TrailEnd = strawberry.field(description="Where the trails end here: an exchange, a cash-out, or open.")
    exchange: Entity | None = strawberry.field(
        description="The exchange holding this account or wallet (EXCHANGE only), drawn in the subgraph with its "
                    "holding link."
    )


@strawberry.type(description="Where money went (or came from) along time-respecting transfer paths.")
class MoneyTrail:
    subgraph: Subgraph = strawberry.field(description="Every entity and transfer on the trails, for a link chart.")
    trails: list[MoneyTrailPath]
    end_points: list[TrailEndPoint]
    truncated: bool = strawberry.field(
        description="True if the trail limit or the per-hop transfer budget left trails out."
    )

    @classmethod
    def from_record(cls, found: money.MoneyTrail, shown: Shown) -> MoneyTrail:
        """Build from the service's ``MoneyTrail``."""
        nodes = {n.id: n for n in found.subgraph.nodes}
        edges = {r.id: r for r in found.subgraph.edges}
        trails = [
            MoneyTrailPath(
                hops=[_hop(t, edges, shown) for t in trail.transfers],
                end=shown.entity(nodes[trail.end]),
                reason=TrailEndReason(trail.reason),
                ends_at=TrailEnd(trail.ends_at),
            )
            for trail in found.trails
            if trail.end in nodes and all(t.id in edges for t in trail.transfers)
        ]
        return cls(
            subgraph=shown_subgraph(found.subgraph, shown),
            trails=trails,
            end_points=[TrailEndPoint(entity=shown.entity(e.node), reason=TrailEndReason(e.reason), trails=e.trails,
                                      ends_at=TrailEnd(e.ends_at),
                                      exchange=shown.entity(e.exchange) if e.exchange is not None else None)
                        for e in found.end_points],
            truncated=found.truncated,
        )


def _hop(t: money.Transfer, edges: dict, shown: Shown) -> TrailHop:
    """The GraphQL hop of trail transfer ``t``, its reports those of ``edges`` (the visible ones)."""
    transfer = shown.relationship(edges[t.id])
    return TrailHop(at=t.at, amount=t.amount, currency=t.currency, approx_amount=t.approx_amount,
                    approx_currency=t.approx_currency, approx_as_of=t.approx_as_of, transfer=transfer,
                    reports=[transfer, *(shown.relationship(edges[i]) for i in t.reports if i in edges)])


@strawberry.type(description="One dated event of a relationship on a timeline.")
class TimelineEdge:
    cursor: str = strawberry.field(
        description="Opaque keyset cursor (time, id, kind); pass as `after` (or `before`) for the next (or "
                    "previous) page.")
    time: str = strawberry.field(
        description="When the event happened: the property `kind` of the relationship (UTC ISO 8601, partial dates "
                    "kept)."
    )
    kind: str = strawberry.field(
        description="The property that dates the event: `at`, else `from`, else `to` for the relationship itself; "
                    "another dated property of its type for an event of its own (INVOLVED_IN's `rescued` and "
                    "`repatriated`, SANCTIONED's `listed`)."
    )
    relationship: Relationship
    node: Relationship = strawberry.field(
        description="The relationship of the event (the same as `relationship`: the Relay name, which every "
                    "connection's edges have).")


@strawberry.type(description="A page of a timeline, oldest first then by relationship id (Relay connection).")
class TimelineConnection:
    edges: list[TimelineEdge]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(description="Visible events matching the filters, all pages.")

    @classmethod
    def from_page(cls, page: timeline.TimelinePage, shown: Shown) -> TimelineConnection:
        """Build from the service's ``TimelinePage``."""
        edges = []
        for e in page.events:
            rel = shown.relationship(e.relationship)
            edges.append(TimelineEdge(cursor=e.cursor, time=e.time, kind=e.kind, relationship=rel, node=rel))
        return cls(edges=edges, page_info=page_info(edges, page.has_next, page.has_previous), total_count=page.total)


@strawberry.type(description="Two entities attached to the same identifier(s).")
class SharedIdentifierTie:
    a: Entity = strawberry.field(description="One entity of the pair (the smaller Lintas id).")
    b: Entity = strawberry.field(description="The other entity of the pair.")
    identifiers: list[Entity] = strawberry.field(description="The phones, devices, accounts... both are attached to.")


@strawberry.type(description="People and organisations tied together through shared identifiers.")
class SharedIdentifiers:
    ties: list[SharedIdentifierTie] = strawberry.field(description="Most shared identifiers first, then by ids.")
    subgraph: Subgraph = strawberry.field(description="The tied entities, the identifiers and the links to them.")
    truncated: bool = strawberry.field(description="True if the row budget left ties out.")

    @classmethod
    def from_record(cls, found: shared_ids.SharedIdentifiers, shown: Shown) -> SharedIdentifiers:
        """Build from the service's ``SharedIdentifiers``."""
        return cls(
            ties=[SharedIdentifierTie(a=shown.entity(t.a), b=shown.entity(t.b),
                                      identifiers=[shown.entity(i) for i in t.identifiers]) for t in found.ties],
            subgraph=shown_subgraph(found.subgraph, shown),
            truncated=found.truncated,
        )


@strawberry.type(description="One of the person's crossings, and the co-traveller's crossing(s) within the window.")
class CoTravelOccasion:
    crossing: Relationship = strawberry.field(description="The person's CROSSED relationship.")
    theirs: list[Relationship] = strawberry.field(description="The co-traveller's CROSSED relationships near it.")


@strawberry.type(description="Someone who crossed with the person, and when.")
class CoTraveller:
    person: Entity
    count: int = strawberry.field(description="Occasions (the person's crossings) they crossed with.")
    occasions: list[CoTravelOccasion] = strawberry.field(description="Oldest first.")


@strawberry.type(description="People who crossed the same checkpoints in the same direction close in time.")
class CoTravel:
    travellers: list[CoTraveller] = strawberry.field(description="Most occasions first, then by id.")
    truncated: bool = strawberry.field(description="True if a crossing, row or traveller budget left some out.")

    @classmethod
    def from_record(cls, found: cotravel.CoTravel, shown: Shown) -> CoTravel:
        """Build from the service's ``CoTravel``."""
        return cls(
            travellers=[
                CoTraveller(
                    person=shown.entity(t.person), count=len(t.occasions),
                    occasions=[CoTravelOccasion(crossing=shown.relationship(o.crossing),
                                                theirs=[shown.relationship(x) for x in o.theirs])
                               for o in t.occasions],
                )
                for t in found.travellers
            ],
            truncated=found.truncated,
        )


@strawberry.type(description="One occasion a group crossed on together: where, which way, and the members' crossings.")
class CoTravelGroupOccasion:
    checkpoint: Entity = strawberry.field(description="The border checkpoint crossed.")
    direction: str | None = strawberry.field(description="The crossings' direction (entry, exit), as stored.")
    first: str = strawberry.field(description="The earliest member crossing, UTC ISO 8601.")
    last: str = strawberry.field(description="The latest member crossing, UTC ISO 8601.")
    crossings: list[Relationship] = strawberry.field(description="The members' CROSSED relationships, by time.")


@strawberry.type(description="People who crossed together on repeated occasions.")
class CoTravelGroup:
    members: list[Entity] = strawberry.field(description="By id.")
    count: int = strawberry.field(description="Occasions they all crossed on together.")
    occasions: list[CoTravelGroupOccasion] = strawberry.field(description="Oldest first.")


@strawberry.type(description="Groups that cross borders together again and again, found without a seed person.")
class CoTravelGroups:
    groups: list[CoTravelGroup] = strawberry.field(
        description="Most occasions first, then the largest, then by member ids.")
    crowds: int = strawberry.field(
        description=f"Occasions of more than {cotravel_groups.MAX_CROWD} people, left out as crowds, not groups.")
    truncated: bool = strawberry.field(description="True if the crossing, candidate or group budget left some out.")

    @classmethod
    def from_record(cls, found: cotravel_groups.CoTravelGroups, shown: Shown) -> CoTravelGroups:
        """Build from the service's ``CoTravelGroups``."""
        return cls(
            groups=[
                CoTravelGroup(
                    members=[shown.entity(m) for m in g.members], count=len(g.occasions),
                    occasions=[CoTravelGroupOccasion(
                        checkpoint=shown.entity(o.checkpoint), direction=o.direction, first=o.first, last=o.last,
                        crossings=[shown.relationship(c) for c in o.crossings]) for o in g.occasions],
                )
                for g in found.groups
            ],
            crowds=found.crowds,
            truncated=found.truncated,
        )
