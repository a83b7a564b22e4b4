"""Introspection off in production (graphapi/schema/introspection.py): a client's introspection
query gets one error that says where the schema is (new-user report: GraphiQL and codegen
answered 'introspection has been disabled' dozens of times and nothing more)."""

from __future__ import annotations

from pathlib import Path

import httpx
from graphql import get_introspection_query

from graphapi.app import create_app
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema, print_sdl
from graphapi.security import Principal
from graphapi.settings import Settings

ANALYST = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
HINT = ("GraphQL introspection is off on this server (LINTAS_ENV=development turns it on); the schema is "
        "schema.graphql in the Lintas repository, and `lintas schema` prints it. The query asked for '__schema'.")
REPO = Path(__file__).resolve().parents[2]


async def _run(query: str, env: str = "production"):
    return await build_schema(Settings(env=env)).execute(query, context_value=Context(None, ANALYST, "t"))


async def test_a_full_introspection_query_gets_one_error_saying_where_the_schema_is():
    result = await _run(get_introspection_query())
    assert result.data is None
    assert [(e.message, e.extensions["code"]) for e in result.errors] == [(HINT, "GRAPHQL_VALIDATION_FAILED")]


async def test_a_type_query_names_the_field_it_asked_for():
    result = await _run('{ __type(name: "Person") { fields { name } } }')
    assert [e.message for e in result.errors] == [HINT.replace("'__schema'", "'__type'")]


async def test_typename_is_still_answered():
    result = await _run("{ __typename }")
    assert result.errors is None and result.data == {"__typename": "Query"}


async def test_development_answers_introspection():
    result = await _run("{ __schema { queryType { name } } }", env="development")
    assert result.errors is None and result.data == {"__schema": {"queryType": {"name": "Query"}}}


def test_the_schema_the_hint_points_to_is_the_served_one():
    assert (REPO / "schema.graphql").read_text(encoding="utf-8") == print_sdl()


async def test_an_introspection_request_over_http_carries_the_hint(fixture_graph):
    app = create_app(Settings(env="production", demo=True), store=fixture_graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        response = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert [e["message"] for e in response.json()["errors"]] == [HINT]
