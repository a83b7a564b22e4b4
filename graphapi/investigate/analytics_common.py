"""What the investigation analytics share: fetching the relationships an answer names."""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.security import Principal
from graphapi.store import GraphStore, Relationship
from graphapi.store.records import relationship_from_map


async def fetch_relationships(
    store: GraphStore, principal: Principal, rels: Sequence[tuple[str, str, str]]
) -> list[Relationship]:
    """The visible relationships among ``(id, start id, end id)`` triples, ordered by id, in one
    round trip (statement ``analytics/relationships_by_ids``); hidden or unknown ones are absent."""
    if not rels:
        return []
    unique = list(dict.fromkeys(rels))
    rows = await store.read(
        "analytics/relationships_by_ids",
        {"rels": [{"id": i, "start": s, "end": e} for i, s, e in unique], **principal.cypher_params()},
    )
    return [relationship_from_map(r["rel"]) for r in rows]
