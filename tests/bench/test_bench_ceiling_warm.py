"""The store ceiling is the steady rate of the writer's statements: each runs once untimed first
(Neo4j plans and compiles a statement on its first run), and the scratch graph is left empty."""

from __future__ import annotations

import pytest

from graphapi.bench.ceiling import store_ceiling

pytestmark = pytest.mark.backends


class _KeptOpen:
    """The test's store, which the ceiling may close: the fixture closes it."""

    def __init__(self, store) -> None:
        self._store = store

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    async def close(self) -> None:
        return None


async def test_the_ceiling_writes_every_prepared_relationship_after_a_warm_up_and_leaves_the_graph_empty(
        backend_empty_store, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[str, int]] = []
    write_batches = backend_empty_store.write_batches

    async def counted(name, rows, *args, **kwargs):
        rows = list(rows)
        sent.append((name, len(rows)))
        return await write_batches(name, rows, *args, **kwargs)

    monkeypatch.setattr(backend_empty_store, "write_batches", counted)
    result = await store_ceiling(lambda: _opened(backend_empty_store), 1_500, batch_size=500)
    assert (result["nodes"], result["relationships"]) == (1_000, 1_500)
    assert sent == [("ingest/create_nodes", 100), ("ingest/add_relationships", 100),
                    ("ingest/create_nodes", 100), ("bench/bare_create_relationships", 100),
                    ("ingest/create_nodes", 1_000), ("ingest/add_relationships", 1_500),
                    ("ingest/create_nodes", 1_000), ("bench/bare_create_relationships", 1_500)]
    assert all(result[k] > 0 for k in ("nodes_per_s", "relationships_per_s", "bare_create_per_s"))
    assert await backend_empty_store.read("ingest/count_graph") == [{"nodes": 0, "relationships": 0}]


async def _opened(store):
    return _KeptOpen(store)
