"""Search results as a Relay connection whose edges carry the relevance score."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from strawberry import relay

from graphapi.investigate.search import COUNT_CAP, SearchPage, decode_cursor, encode_cursor
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.paging import page_info

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


@strawberry.type(description="One search hit.")
class SearchEdge:
    cursor: str = strawberry.field(description="Opaque cursor; pass as `after` to continue after this hit "
                                   "(search pages forward only).")
    score: float = strawberry.field(
        description=("Relevance from this entity and the text alone, never from data you cannot see: 3 whole "
                     "name or alias as written in the text's own script, or whole identifier; 2.5 whole name "
                     "through a Latin spelling; 2 every word whole; 1.5 every word whole in a Latin spelling; "
                     "1 prefix or typo; ties ordered by caption, then id.")
    )
    node: Entity = strawberry.field(
        description="The matching entity."
    )


@strawberry.type(description="A page of search hits, best first (Relay connection).")
class SearchConnection:
    edges: list[SearchEdge]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(
        description=f"Visible hits of the search, all pages, counted up to {COUNT_CAP:,}: past that it reads "
                    f"{COUNT_CAP:,} and `totalCountCapped` is true (counting ranks every hit counted).")
    total_count_capped: bool = strawberry.field(
        description=f"True if there are more than {COUNT_CAP:,} hits (`totalCount` then reads {COUNT_CAP:,}).")

    @classmethod
    def from_page(cls, page: SearchPage, after: str | None, shown: Shown) -> SearchConnection:
        """Build the connection; hit ``i`` of a page that started at ``after`` gets the cursor
        that continues after it."""
        start = decode_cursor(after)
        # the search statement leaves protected entities out for a reader without victim-data: every
        # hit is known unprotected, nothing to ask before showing it
        shown.prime([hit.node.id for hit in page.hits], False)
        edges = [
            SearchEdge(cursor=encode_cursor(start + i + 1), score=hit.score, node=shown.entity(hit.node))
            for i, hit in enumerate(page.hits)
        ]
        return cls(edges=edges, page_info=page_info(edges, page.has_next, start > 0), total_count=page.total,
                   total_count_capped=page.capped)
