"""Shared fixtures.

Policy (the yente habit): few, small, named datasets, opted into per test.
- ``store``: one embedded FalkorDB for the whole session, in a temporary data directory, with
  the ontology's schema applied. Tests that write use ``empty_store`` or ``fixture_graph``.
- ``empty_store``: ``store`` with the graph cleared.
- ``fixture_graph``: ``store`` holding exactly the hand-checked fixture of ``seed/fixture``.
- ``backend_store``: the conformance fixture, parametrised over every backend: the embedded
  FalkorDB always; Neo4j when ``NEO4J_URI`` is set, otherwise reported skipped with the reason.
  Holds the fixture graph.
Nothing here touches the network; the embedded server listens on a unix socket only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from graphapi.ingest.fixture import load_fixture
from graphapi.settings import Neo4jSettings, Settings
from graphapi.store import GraphStore, open_store

REPO = Path(__file__).resolve().parents[1]
#: The real public data shipped beside the repository (see ../shared/data/README.md).
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def store(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("lintas-store")
    st = await open_store(Settings(data_dir=data_dir, graph="test", neo4j=Neo4jSettings(uri=None)))
    await st.init_schema()
    yield st
    await st.close()


async def reset_rate_limits(store: GraphStore) -> None:
    """Empty the rate-limit buckets the embedded server shares between workers (apps), so each
    test starts with full budgets as a fresh deployment would."""
    socket = getattr(getattr(store, "server", None), "socket", None)
    if not socket:
        return
    client = Redis(unix_socket_path=socket)
    try:
        keys = await client.keys("lintas:ratelimit:*")
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def empty_store(store: GraphStore) -> GraphStore:
    await store.clear()
    await reset_rate_limits(store)
    return store


@pytest_asyncio.fixture(loop_scope="session")
async def fixture_graph(store: GraphStore) -> GraphStore:
    await store.clear()
    await reset_rate_limits(store)
    await load_fixture(store)
    return store


@pytest_asyncio.fixture(scope="session", loop_scope="session", params=["falkordb", "neo4j"])
async def _backend(request: pytest.FixtureRequest, store: GraphStore):
    if request.param == "falkordb":
        yield store
        return
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("Neo4j conformance skipped: NEO4J_URI is not set")
    st = await open_store(Settings(neo4j=Neo4jSettings()))
    await st.init_schema()
    yield st
    await st.close()


@pytest_asyncio.fixture(loop_scope="session")
async def backend_store(_backend: GraphStore) -> GraphStore:
    await _backend.clear()
    await load_fixture(_backend)
    return _backend
