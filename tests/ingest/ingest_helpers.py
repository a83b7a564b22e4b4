"""Helpers shared by the ingest tests (a module, not a conftest, so fixtures stay the lead's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: /work/shared/data, found relative to the repository root.
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


async def graph_counts(store: Any) -> tuple[int, int]:
    """(nodes, relationships) in the store."""
    rows = await store.read("ingest/count_graph")
    return int(rows[0]["nodes"]), int(rows[0]["relationships"])


async def node_props(store: Any, node_id: str) -> dict[str, Any]:
    """The stored properties of one node (empty dict if absent)."""
    rows = await store.read("ingest/existing_nodes", {"ids": [node_id]})
    return dict(rows[0]["props"]) if rows else {}
