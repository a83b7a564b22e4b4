"""Errors over HTTP: a clear message and ``extensions.code``, HTTP 200, never a stack trace."""

from __future__ import annotations

import httpx
import pytest

from graphapi.app import create_app
from graphapi.settings import Settings
from graphapi.store import StoreStats

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j


async def test_api_unknown_entity_is_not_found(gql) -> None:
    body = await gql('{ entity(id: "per-nobody") { caption } }')
    assert body["data"] == {"entity": None}
    [error] = body["errors"]
    assert error["message"] == "no entity with id 'per-nobody'"
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["requestId"]
    assert error["path"] == ["entity"]


async def test_api_unknown_ends_of_paths_and_neighborhood_are_not_found(gql) -> None:
    for query in (
        '{ neighborhood(id: "per-nobody") { truncated } }',
        '{ shortestPaths(fromId: "per-somchai", toId: "per-nobody") { length } }',
    ):
        [error] = (await gql(query))["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND" and "per-nobody" in error["message"]


async def test_api_depth_four_is_bad_user_input(gql) -> None:
    body = await gql('{ neighborhood(id: "cmp-lucky-dragon", depth: 4) { truncated } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "depth must be between 1 and 3, got 4"


async def test_api_max_hops_nine_is_bad_user_input(gql) -> None:
    body = await gql('{ shortestPaths(fromId: "per-somchai", toId: "per-zhao-wei", maxHops: 9) { length } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "maxHops" in error["message"]


async def test_api_empty_search_is_bad_user_input(gql) -> None:
    for text in ("", "   ", "--"):
        [error] = (await gql("query ($t: String!) { search(text: $t) { edges { cursor } } }", {"t": text}))["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"] == "text must contain at least one letter or digit"


async def test_api_request_id_header_is_echoed_in_errors(api) -> None:
    response = await api.post(
        "/graphql", json={"query": '{ entity(id: "per-nobody") { caption } }'}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.status_code == 200 and response.headers["x-request-id"] == "abc-123"
    assert response.json()["errors"][0]["extensions"]["requestId"] == "abc-123"


class ExplodingStore:
    """Every statement fails with a bug-like exception carrying a secret."""

    dialect = "falkordb"

    def __init__(self) -> None:
        self.stats = StoreStats()

    async def read(self, name, params=None, **placeholders):
        raise KeyError("column 'password' of secret table")

    async def ping(self) -> None:
        return None


async def test_api_internal_errors_are_masked_not_500() -> None:
    app = create_app(store=ExplodingStore())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        response = await client.post("/graphql", json={"query": '{ entity(id: "per-zhao-wei") { caption } }'})
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == "internal error" and error["extensions"]["code"] == "INTERNAL"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "password" not in response.text and "Traceback" not in response.text


async def test_api_get_queries_are_off_by_default_and_mutations_never_go_over_get(api, fixture_graph) -> None:
    query = '{ entity(id: "per-zhao-wei") { caption } }'
    response = await api.get("/graphql", params={"query": query})
    assert response.status_code == 405 and response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    app = create_app(Settings(allow_get_queries=True), store=fixture_graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        response = await client.get("/graphql", params={"query": query})
        assert response.status_code == 200 and response.json()["data"]["entity"]["caption"] == "Zhao Wei"
        mutation = 'mutation { unshare(ids: ["x"], agencies: ["y"]) { nodes } }'
        assert (await client.get("/graphql", params={"query": mutation})).status_code == 400


async def test_api_request_id_from_client_is_replaced_unless_it_looks_like_an_id(api) -> None:
    response = await api.get("/healthz", headers={"X-Request-ID": "x" * 65})
    assert response.headers["x-request-id"] != "x" * 65 and len(response.headers["x-request-id"]) == 32


async def test_api_lone_surrogate_anywhere_in_the_body_is_a_400_with_a_code_not_a_python_error(api) -> None:
    for body in (
        b'{"query": "query($q: String!) { search(text: $q) { edges { cursor } } }", "variables": {"q": "x\\ud800"}}',
        b'{"query": "query Q { search(text: \\"a\\") { edges { cursor } } }", "operationName": "\\ud800"}',
    ):
        response = await api.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400, response.text
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["requestId"]
        assert "lone UTF-16 surrogate" in error["message"]


async def test_api_a_surrogate_pair_is_an_ordinary_character(api) -> None:
    query = "query($q: String!) { search(text: $q) { edges { cursor } } }"
    body = b'{"query": "' + query.encode() + b'", "variables": {"q": "Chen \\ud83d\\ude00"}}'
    response = await api.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200 and "errors" not in response.json()
