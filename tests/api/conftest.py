"""HTTP fixtures: the real app (``create_app``) over httpx's ASGI transport, on the fixture graph.

``api``: an ``httpx.AsyncClient`` as the demo principal (demo mode, see ``_demo_mode``); ``gql(query, variables=None,
client=None)`` posts to /graphql and returns the JSON body (asserting HTTP 200).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from graphapi.app import create_app
from graphapi.settings import get_settings
from graphapi.store import GraphStore

Gql = Callable[..., Awaitable[dict[str, Any]]]


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test")


@pytest.fixture(autouse=True)
def _demo_mode(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests call as the anonymous demo principal: demo mode on (issue 4: anonymous access is
    off otherwise), rate limit off, and the audit log and key files in a temporary data dir."""
    monkeypatch.setenv("LINTAS_DEMO", "true")
    monkeypatch.setenv("LINTAS_RATE_LIMIT_PER_MINUTE", "0")
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest_asyncio.fixture(loop_scope="session")
async def api(fixture_graph: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(store=fixture_graph)) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def gql(api: httpx.AsyncClient) -> Gql:
    async def run(query: str, variables: dict[str, Any] | None = None, client: httpx.AsyncClient | None = None):
        response = await (client or api).post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        return response.json()

    return run
