"""The identifiers quarantined for the reader (u-user52, 2: no query listed them): those the
circuit breaker flagged ``quarantined`` for everyone, or marked for the reader's own agency
(:mod:`graphapi.ingest.write_correlation`), that the reader may see, by id, a page at a time.

Visibility and the quarantine rule are inside the statement (``security/quarantined_identifiers``):
another agency's mark is never read, and a victim's identifier is left out for a reader without
victim-data (its place in the order would say its number). Cursors are offsets, never ids.
How many holders each has as the reader sees them is not told here: ``reviewQuarantine`` counts
them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphapi.investigate import cursors
from graphapi.investigate.args import check_range
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node
from graphapi.store.records import node_from_map

#: Identifiers per page at most.
MAX_PAGE = 100
#: How deep a cursor may page (identifiers before it).
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class QuarantinedPage:
    """``nodes`` after ``offset`` identifiers, and whether more follow."""

    nodes: list[Node]
    offset: int
    has_next: bool


def encode_cursor(offset: int) -> str:
    """The cursor continuing after ``offset`` identifiers."""
    return cursors.encode("quarantined", str(offset))


def decode_cursor(cursor: str | None) -> int:
    """The offset in a cursor of this connection (0 for None); InvalidArgument for any other."""
    return cursors.decode_offset("quarantined", cursor, MAX_OFFSET, "quarantinedIdentifiers")


def _params(principal: Principal) -> dict[str, object]:
    return {**principal.cypher_params(), "victimData": may_see_victims(principal)}


async def quarantined_identifiers(store: GraphStore, principal: Principal, *, first: int = 20,
                                  after: str | None = None) -> QuarantinedPage:
    """A page of the identifiers quarantined for ``principal``'s agency that it may see, by id:
    ``first`` (1..:data:`MAX_PAGE`) after the cursor ``after``. InvalidArgument for a size out of
    range or a cursor not of this connection."""
    size = check_range("first", first, 1, MAX_PAGE)
    offset = decode_cursor(after)
    rows = await store.read("security/quarantined_identifiers",
                            {**_params(principal), "skip": offset, "limit": size + 1})
    nodes = [node_from_map(r["node"]) for r in rows]
    return QuarantinedPage(nodes[:size], offset, len(nodes) > size)


async def quarantined_count(store: GraphStore, principal: Principal) -> int:
    """How many identifiers :func:`quarantined_identifiers` lists for ``principal``, all pages."""
    rows = await store.read("security/quarantined_identifier_count", _params(principal))
    return int(rows[0]["n"]) if rows else 0
