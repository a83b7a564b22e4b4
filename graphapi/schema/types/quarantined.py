"""The identifiers quarantined for the reader, as a Relay connection (``quarantinedIdentifiers``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import strawberry
from strawberry import relay

from graphapi.investigate.quarantined import QuarantinedPage, encode_cursor
from graphapi.schema.types.entity import Entity
from graphapi.schema.types.paging import page_info

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


@strawberry.type(description="One quarantined identifier.")
class QuarantinedIdentifierEdge:
    cursor: str = strawberry.field(description="Opaque cursor; pass as `after` to continue after this identifier "
                                   "(pages forward only).")
    node: Entity = strawberry.field(description="The identifier (a Phone, BankAccount, CryptoWallet...).")


@strawberry.type(description="A page of the identifiers quarantined for you, by id (Relay connection).")
class QuarantinedIdentifierConnection:
    edges: list[QuarantinedIdentifierEdge]
    page_info: relay.PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Quarantined identifiers you may see, all pages.")
    async def total_count(self) -> int:
        return await self.count()

    @classmethod
    def from_page(cls, page: QuarantinedPage, shown: Shown,
                  count: Callable[[], Awaitable[int]]) -> QuarantinedIdentifierConnection:
        """Build the connection; identifier ``i`` of the page gets the cursor continuing after it."""
        edges = [QuarantinedIdentifierEdge(cursor=encode_cursor(page.offset + i + 1), node=shown.entity(node))
                 for i, node in enumerate(page.nodes)]
        return cls(edges=edges, page_info=page_info(edges, page.has_next, page.offset > 0), count=count)
