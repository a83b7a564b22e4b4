"""GraphQL types of syndicate detection: communities with scores, and brokers between two groups.

Entities are built by the request's ``Shown`` and ``shown_subgraph`` (``graphapi.schema.types.analytics``),
so the victim redaction applies to them as to every other field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from graphapi.investigate import syndicates
from graphapi.schema.types.analytics import shown_subgraph
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.subgraph import Subgraph

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


@strawberry.type(description="An entity of the scope with its community, component and scores.")
class CommunityMember:
    entity: Entity
    community: int = strawberry.field(description="Community id (Leiden, modularity): 0 is the largest.")
    component: int = strawberry.field(description="Weakly connected component id within the scope.")
    page_rank: float = strawberry.field(description="PageRank in the scope (sums to 1 over it).")
    betweenness: float = strawberry.field(description="Betweenness in the scope, normalised to 0..1.")


@strawberry.type(description="A community: its size, the countries its members are tied to, its top brokers.")
class Community:
    id: int
    size: int
    countries: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes of its members, sorted.")
    brokers: list[Entity] = strawberry.field(description="Its members of highest betweenness (at most 3).")


@strawberry.type(description="Communities over the visible subgraph around the seeds.")
class Syndicates:
    subgraph: Subgraph = strawberry.field(description="The members listed and the relationships among them; "
                                          "`truncated` if the node limit cut the scope or not every member is listed.")
    members: list[CommunityMember] = strawberry.field(
        description="The entities of the scope (at most 1,000: all of a scope that small, else the most central of "
                    "the largest communities), in subgraph order.")
    communities: list[Community] = strawberry.field(description="Largest first (the 200 largest at most).")
    scope_size: int = strawberry.field(description="Entities in the scope (the visible subgraph computed over).")
    community_count: int = strawberry.field(description="Communities found in the scope.")
    scope_truncated: bool = strawberry.field(description="The node limit cut the scope: entities within reach "
                                             "were left out (the same ones on every call).")

    @classmethod
    def from_record(cls, found: syndicates.Syndicates, shown: Shown) -> Syndicates:
        """Build from the service's ``Syndicates``."""
        nodes = {n.id: n for n in found.subgraph.nodes}
        return cls(
            subgraph=shown_subgraph(found.subgraph, shown),
            members=[CommunityMember(entity=shown.entity(m.node), community=m.community, component=m.component,
                                     page_rank=m.page_rank, betweenness=m.betweenness) for m in found.members],
            communities=[Community(id=c.id, size=c.size, countries=c.countries,
                                   brokers=[shown.entity(nodes[b]) for b in c.brokers if b in nodes])
                         for c in found.communities],
            scope_size=found.scope_size, community_count=found.community_count,
            scope_truncated=found.scope_truncated,
        )


@strawberry.type(description="An entity between two groups.")
class Broker:
    entity: Entity
    score: float = strawberry.field(
        description="Share (0..1) of the shortest paths between the two groups' connected pairs that run through it."
    )


@strawberry.type(description="Brokers between two groups, highest score first.")
class Brokers:
    brokers: list[Broker]
    subgraph: Subgraph = strawberry.field(description="The scope they were computed over.")

    @classmethod
    def from_record(cls, found: syndicates.Brokers, shown: Shown) -> Brokers:
        """Build from the service's ``Brokers``."""
        return cls(brokers=[Broker(entity=shown.entity(b.node), score=b.score) for b in found.brokers],
                   subgraph=shown_subgraph(found.subgraph, shown))
