"""/healthz (the process answers) and /readyz (the store answers), and the app's store lifecycle."""

from __future__ import annotations

import httpx
import pytest

import graphapi.app as app_module
from graphapi.app import create_app
from graphapi.settings import Settings
from graphapi.store import StoreStats, StoreUnavailable


class FakeStore:
    """A store that answers ping unless ``down``; records init_schema() and close()."""

    dialect = "falkordb"

    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.closed = False
        self.schema_applied = False
        self.stats = StoreStats()

    async def init_schema(self) -> list[str]:
        self.schema_applied = True
        return []

    async def ping(self) -> None:
        if self.down:
            raise StoreUnavailable("connection refused on /tmp/x.sock")

    async def close(self) -> None:
        self.closed = True


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test")


async def test_api_healthz_is_200_even_when_the_store_is_down() -> None:
    async with _client(create_app(store=FakeStore(down=True))) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_api_readyz_is_200_when_the_store_answers(api) -> None:
    response = await api.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "backend": "falkordb"}


@pytest.mark.neo4j
async def test_api_readyz_on_neo4j_reports_the_server_version(neo4j_store) -> None:
    async with _client(create_app(store=neo4j_store)) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["backend"]) == ("ready", "neo4j")
    assert body["version"].startswith("Neo4j/5.26.")


async def test_api_readyz_is_503_with_reason_when_the_store_is_down() -> None:
    async with _client(create_app(store=FakeStore(down=True))) as client:
        response = await client.get("/readyz")
        graphql = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "the graph store is unavailable; try again shortly"}
    assert "sock" not in response.text
    assert graphql.status_code == 200


async def test_api_readyz_is_503_and_graphql_unavailable_when_the_store_cannot_open(monkeypatch) -> None:
    async def cannot_open(settings):
        raise StoreUnavailable("embedded server did not start")

    monkeypatch.setattr(app_module, "open_store", cannot_open)
    async with _client(create_app(Settings())) as client:
        ready = await client.get("/readyz")
        body = (await client.post("/graphql", json={"query": '{ entity(id: "x") { caption } }'})).json()
    assert ready.status_code == 503
    assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_api_lifespan_opens_and_closes_the_configured_store(monkeypatch) -> None:
    fake = FakeStore()
    opened: list[Settings] = []

    async def open_fake(settings):
        opened.append(settings)
        return fake

    monkeypatch.setattr(app_module, "open_store", open_fake)
    settings = Settings()
    app = create_app(settings)
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (await client.get("/readyz")).status_code == 200
        assert opened == [settings] and fake.schema_applied and not fake.closed
    assert fake.closed


async def test_api_graphiql_is_served_to_browsers() -> None:
    async with _client(create_app(store=FakeStore())) as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()
