"""The HTTP edge of the real app never answers a hostile request with a 500 in plain text: huge
numbers and deep JSON in the body (GraphQL variables and ``ingest`` records) are a GraphQL-shaped
400, bodies that are not UTF-8 (UTF-16, UTF-32, byte-order marks) are refused as documented, GET
/graphql needs a principal, and the OpenAPI pages exist only in development."""

import json

import httpx
import pytest
from pydantic import SecretStr

from graphapi.app import create_app
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

SECRET = "test-secret-of-at-least-32-bytes-long!!"
SEARCH = 'query($n: Int) { search(text: "zhao", first: $n) { edges { cursor } } }'
INGEST = "mutation($records: [JSON!]!) { ingest(records: $records, dryRun: true) { __typename } }"


def _settings(tmp_path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0, **kw)


def _bearer(**kw) -> dict[str, str]:
    token = mint_token("ana", secret=SECRET, agency="TH-DSI", roles=["analyst", "loader"], **kw)
    return {"Authorization": f"Bearer {token}"}


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                             base_url="http://lintas.test")


def _refusal(response: httpx.Response) -> tuple[int, str, str]:
    """``(status, code, message)`` of a GraphQL-shaped error carrying the response's request id."""
    assert response.headers["content-type"] == "application/json", response.text
    body = response.json()
    [error] = body["errors"]
    assert body["data"] is None and error["extensions"]["requestId"] == response.headers["x-request-id"]
    return response.status_code, error["extensions"]["code"], error["message"]


async def _post_raw(app, body: bytes, headers: dict | None = None) -> httpx.Response:
    async with _client(app) as c:
        return await c.post("/graphql", content=body,
                            headers={"content-type": "application/json", **_bearer(), **(headers or {})})


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.parametrize(("body", "message"), [
    (b'{"query": "%s", "variables": {"n": %s}}' % (SEARCH.replace('"', '\\"').encode(), b"1" * 4400),
     "a number of 4400 characters; at most 100 are accepted"),
    (b'{"query": "%s", "variables": {"n": %s}}' % (SEARCH.replace('"', '\\"').encode(), _deep(2000)),
     "JSON nested deeper than 64 levels"),
    (b'{"query": "%s", "variables": {"records": [{"x": %s}]}}' % (INGEST.encode(), _deep(2000)),
     "JSON nested deeper than 64 levels"),
    (b'{"query": "%s", "variables": {"records": [{"amount": %s.5}]}}' % (INGEST.encode(), b"9" * 5000),
     "a number of 5002 characters; at most 100 are accepted"),
    (b'{"query": "%s", "variables": {"n": NaN}}' % SEARCH.replace('"', '\\"').encode(), "NaN is not JSON"),
], ids=["huge-int-variable", "deep-variable", "deep-ingest-record", "huge-float-in-ingest", "nan"])
async def test_unbounded_json_in_the_body_is_a_graphql_shaped_400(fixture_graph, tmp_path, body, message):
    response = await _post_raw(create_app(_settings(tmp_path), store=fixture_graph), body)
    assert _refusal(response) == (400, "BAD_REQUEST", f"Unable to parse request body as JSON: {message}")


async def test_nesting_within_the_bound_is_still_served(fixture_graph, tmp_path):
    records = [{"schema": "Person", "id": "p1", "properties": {"name": ["A"]}, "extra": json.loads(_deep(30))}]
    async with _client(create_app(_settings(tmp_path), store=fixture_graph)) as c:
        r = await c.post("/graphql", json={"query": INGEST, "variables": {"records": records}}, headers=_bearer())
    assert r.status_code == 200 and r.json()["data"] is not None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-32-be", "utf-8-sig"])
async def test_a_body_that_is_not_utf8_is_refused_even_as_a_batch(fixture_graph, tmp_path, encoding):
    app = create_app(_settings(tmp_path), store=fixture_graph)
    response = await _post_raw(app, json.dumps({"query": "{ __typename }"}).encode(encoding))
    status, code, message = _refusal(response)
    assert (status, code) == (400, "BAD_REQUEST") and message.startswith("Unable to parse request body as JSON")
    # a batch was served one operation at a time past the gate's check; now refused either way
    batch = json.dumps([{"query": "{ __typename }"}, {"query": "{ __typename }"}]).encode(encoding)
    assert _refusal(await _post_raw(app, batch))[:2] in {(400, "BAD_REQUEST"), (400, "BATCHING_DISABLED")}


async def test_get_graphql_in_production_needs_a_principal_and_answers_json(fixture_graph, tmp_path):
    app = create_app(_settings(tmp_path), store=fixture_graph)
    async with _client(app) as c:
        for headers in ({}, {"Authorization": "Bearer junk"}):
            response = await c.get("/graphql", headers={**headers, "Accept": "text/html"})
            assert _refusal(response)[:2] == (401, "UNAUTHENTICATED")
        page = await c.get("/graphql", headers={**_bearer(), "Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
async def test_openapi_pages_are_served_only_in_development(fixture_graph, tmp_path, path):
    async with _client(create_app(_settings(tmp_path), store=fixture_graph)) as c:
        assert (await c.get(path)).status_code == 404
    async with _client(create_app(_settings(tmp_path, env="development"), store=fixture_graph)) as c:
        assert (await c.get(path)).status_code == 200


async def test_unbounded_json_in_get_variables_is_a_graphql_shaped_400(fixture_graph, tmp_path):
    app = create_app(_settings(tmp_path, allow_get_queries=True), store=fixture_graph)
    async with _client(app) as c:
        for variables, message in ((_deep(2000).decode(), "JSON nested deeper than 64 levels"),
                                   ('{"n": %s}' % ("7" * 4400), "a number of 4400 characters")):
            response = await c.get("/graphql", params={"query": SEARCH, "variables": variables}, headers=_bearer())
            status, code, text = _refusal(response)
            assert (status, code) == (400, "BAD_REQUEST") and message in text
