"""GraphQL over GET behind the gate: off by default; when on, queries only (never mutations)."""

import httpx
import pytest
from fastapi import FastAPI, Request
from strawberry.fastapi import GraphQLRouter

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Mutation, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security.wiring import install_security
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

SCHEMA = LintasSchema(
    query=Query, mutation=Mutation,
    types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors],
)


def _app(store, settings: Settings) -> FastAPI:
    app = FastAPI()
    provider, runtime = install_security(app, settings)

    async def context(request: Request) -> Context:
        return Context(store, request.state.principal, request.state.request_id)

    app.include_router(
        GraphQLRouter(SCHEMA, context_getter=context, allow_queries_via_get=settings.allow_get_queries),
        prefix="/graphql",
    )
    return app


async def test_get_queries_off_by_default_and_mutations_never(fixture_graph, tmp_path):
    off = _app(fixture_graph, Settings(data_dir=tmp_path, demo=True))
    on = _app(fixture_graph, Settings(data_dir=tmp_path, demo=True, allow_get_queries=True))
    query = '{ entity(id: "per-somchai") { caption } }'
    mutation = 'mutation { unshare(ids: ["x"], agencies: ["y"]) { nodes } }'
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=off), base_url="http://t") as c:
        assert (await c.get("/graphql", params={"query": query})).status_code == 405
        body = (await c.post("/graphql", json={"query": query})).json()
        assert body["data"]["entity"]["caption"] == "Somchai Prasert"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=on), base_url="http://t") as c:
        r = await c.get("/graphql", params={"query": query})
        assert r.status_code == 200 and r.json()["data"]["entity"]["caption"] == "Somchai Prasert"
        r = await c.get("/graphql", params={"query": mutation})
        assert r.status_code == 400 and "mutations are not allowed" in r.text.lower()


async def test_demo_mode_is_announced_at_startup(fixture_graph, tmp_path, caplog):
    _app(fixture_graph, Settings(data_dir=tmp_path, demo=True))
    assert any("DEMO MODE" in r.getMessage() for r in caplog.records)
