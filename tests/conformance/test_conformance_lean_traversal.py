"""Conformance: traversals ship ids only at every step, and what they return still carries its
full properties (fetched once, at the end), on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from graphapi.investigate.expand import neighborhood
from graphapi.investigate.paths import shortest_paths
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import DEMO_PRINCIPAL

pytestmark = pytest.mark.asyncio(loop_scope="session")

STEPS = ("expand/frontier", "expand/path_step")


class Recording:
    """The store, recording the name and rows of every read."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.reads: list[tuple[str, list[dict[str, Any]]]] = []

    async def read(self, name: str, params: Any = None, **placeholders: str) -> list[dict[str, Any]]:
        rows = await self.store.read(name, params, **placeholders)
        self.reads.append((name, rows))
        return rows

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.store, attr)


def _step_values(recording: Recording) -> list[Any]:
    return [v for name, rows in recording.reads if name in STEPS for row in rows for v in row.values()]


async def test_neighbourhood_steps_return_neighbour_ids_only(backend_store):
    recording = Recording(backend_store)
    sub = await neighborhood(recording, DEMO_PRINCIPAL, "cmp-lucky-dragon", depth=2, limit=50)
    names = [name for name, _ in recording.reads]
    # security/protected_ids: each hop's new nodes, and the edges, are ordered by the ids the reader
    # is shown (a victim's token), not in the order the store found them.
    assert names == ["entity/by_ids", "expand/frontier", "security/protected_ids", "expand/frontier",
                     "security/protected_ids", "entity/by_ids", "expand/edges_among", "security/protected_ids"]
    assert {k for name, rows in recording.reads if name == "expand/frontier" for row in rows for k in row} == {
        "neighbour"}
    assert all(type(v) is str for v in _step_values(recording))
    assert len(sub.nodes) > 3 and sub.edges


async def test_path_steps_return_ids_and_direction_only(backend_store):
    recording = Recording(backend_store)
    paths = await shortest_paths(recording, DEMO_PRINCIPAL, "per-somchai", "per-zhao-wei")
    names = [name for name, _ in recording.reads]
    # security/protected_ids: paths through meeting nodes go in the order of the ids shown.
    assert names[0] == "entity/by_ids" and names[-3:] == [
        "security/protected_ids", "entity/by_ids", "analytics/relationships_by_ids"]
    assert set(names[1:-3]) == {"expand/path_step"}
    assert {k for name, rows in recording.reads if name == "expand/path_step" for row in rows for k in row} == {
        "source", "rel", "outgoing", "neighbour"}
    assert all(type(v) in (str, bool) for v in _step_values(recording))
    assert len(paths) == 4


async def test_path_relationships_keep_their_direction_and_full_properties(backend_store):
    [path] = await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-nguyen-van-an", "per-zhao-wei")
    held, worked = path.relationships
    assert (held.type, held.start, held.end) == ("HELD_AT", "per-nguyen-van-an", "cmp-lucky-dragon")
    assert (worked.type, worked.start, worked.end) == ("WORKED_AT", "per-zhao-wei", "cmp-lucky-dragon")
    [page] = await relationships_of(backend_store, DEMO_PRINCIPAL, ["cmp-lucky-dragon"], first=100)
    stored = {e.relationship.id: e.relationship.properties for e in page.edges}
    assert held.properties == stored[held.id] and worked.properties == stored[worked.id]
    assert held.properties["tlp"] and held.properties["owner"]
