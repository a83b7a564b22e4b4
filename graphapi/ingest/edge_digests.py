"""A reload's relationship records compared by digest, not by their properties (issue 14): each
relationship keeps the hash of the record that created it (``ingest/add_relationships``), and a
record saying it again sends only its id and hash (``ingest/relationship_digests``)."""

from __future__ import annotations

from typing import Any

from graphapi.ingest.digests import content_digest
from graphapi.store.base import GraphStore


def edge_digest(row: dict[str, Any], props: dict[str, Any]) -> str:
    """A hash of what one relationship record says: its id, endpoints and stamped properties
    (``props``; its ``id`` aside), kept by the relationship it creates (``ingest/add_relationships``)
    and compared by ``ingest/relationship_digests`` when a record says it again."""
    return content_digest((row["id"], row["start"], row["end"], {k: v for k, v in props.items() if k != "id"}))


async def stored_alike(store: GraphStore, rel_type: str, digests: dict[str, str], batch_size: int) -> set[str]:
    """The ids of ``digests`` (id -> :func:`edge_digest`) whose relationship of ``rel_type`` is
    stored as created from the very same record (``ingest/relationship_digests``):
    add_relationships' "same", found without sending their properties."""
    ids = list(digests)
    alike: set[str] = set()
    for i in range(0, len(ids), batch_size):
        chunk = ids[i:i + batch_size]
        [row] = await store.read("ingest/relationship_digests",
                                 {"rows": [{"id": rid, "digest": digests[rid]} for rid in chunk]}, type=rel_type)
        differ = set(row["differ"])
        alike.update(rid for rid in chunk if rid not in differ)
    return alike
