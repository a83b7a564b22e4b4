"""What the investigation analytics share: fetching the relationships an answer names."""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.security import Principal
from graphapi.store import GraphStore, Relationship
from graphapi.store.records import relationship_from_map


async def fetch_relationships(
    store: GraphStore, principal: Principal, rels: Sequence[tuple[str, str, str]]
) -> list[Relationship]:
    """The visible relationships among ``(id, start id, end id)`` triples, in the order asked, in
    one round trip (statement ``analytics/relationships_by_ids``); hidden or unknown ones are
    absent. The store seeks both ends of each pair and reads only the relationships between
    them, so the cost follows what is asked, not the degree of a hub at either end. Callers ask
    in the order the reader is shown: ordered by stored id, a relationship touching a victim
    (shown as a token) placed the hash of the victim's id among the others."""
    if not rels:
        return []
    unique = list(dict.fromkeys(rels))
    rows = await store.read(
        "analytics/relationships_by_ids",
        {"rels": [{"id": i, "start": s, "end": e} for i, s, e in unique], **principal.cypher_params()},
    )
    found = {r["rel"]["id"]: r["rel"] for r in rows}
    return [relationship_from_map(found[i]) for i, _, _ in unique if i in found]
