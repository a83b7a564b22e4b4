"""Requests to /graphql that are not a GraphQL operation get a GraphQL-shaped JSON error (never plain
text, a 500 or Python error text): ``{"data": null, "errors": [{"message", "extensions": {"code",
"requestId"}}]}``, the status saying what is wrong, and an audit entry like the gate's refusals."""

from __future__ import annotations

import httpx
import pytest

from graphapi.app import create_app
from graphapi.security.audit import AuditLog
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

QUERY = "query A { __typename }"
#: Refused before any statement: the same Python whatever the store (a Neo4j case paid the fixture
#: graph's check and an app for nothing); test_json_with_a_charset_is_still_served and
#: test_a_document_at_the_limit_is_served are served on Neo4j too.
REFUSED_BEFORE_THE_STORE = "refused before the store: test_a_document_at_the_limit_is_served runs on Neo4j"


def _error(response: httpx.Response) -> tuple[int, str, str]:
    """``(status, code, message)`` of a GraphQL-shaped error whose request id is the response's."""
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return response.status_code, error["extensions"]["code"], error["message"]


@pytest.mark.one_store(REFUSED_BEFORE_THE_STORE)
@pytest.mark.parametrize(("body", "message"), [
    (b'{"query":', "Unable to parse request body as JSON"),
    (b"", "Unable to parse request body as JSON"),
    (b'{"query": "\xff"}', "Unable to parse request body as JSON: it is not UTF-8"),
    (b"{}", "No GraphQL query found in the request"),
    (b'{"query": 5}', "The GraphQL operation's `query` must be a string or null, if provided."),
    (b'{"query": "{ __typename }", "variables": "x"}',
     "The GraphQL operation's `variables` must be an object or null, if provided."),
    (b'{"query": "query A { __typename }", "operationName": "B"}', 'Unknown operation named "B".'),
    (b'"{ __typename }"', "expected a JSON object, got a string"),
    (b"null", "expected a JSON object, got null"),
    (b"5", "expected a JSON object, got a number"),
], ids=["bad-json", "empty", "not-utf8", "no-query", "query-not-string", "variables-not-object",
        "unknown-operation", "string-body", "null-body", "number-body"])
async def test_malformed_graphql_body_is_a_graphql_shaped_400_bad_request(api, body, message) -> None:
    response = await api.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert _error(response) == (400, "BAD_REQUEST", message)


@pytest.mark.one_store(REFUSED_BEFORE_THE_STORE)
@pytest.mark.parametrize("headers", [{"content-type": "text/plain"}, {}], ids=["text-plain", "none"])
async def test_a_post_that_is_not_application_json_is_a_graphql_shaped_415(api, headers) -> None:
    response = await api.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    assert _error(response) == (415, "BAD_REQUEST", "send the operation as JSON (Content-Type: application/json)")


async def test_json_with_a_charset_is_still_served(api) -> None:
    response = await api.post("/graphql", content=b'{"query": "{ __typename }"}',
                              headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.one_store(REFUSED_BEFORE_THE_STORE)
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_on_graphql_are_a_graphql_shaped_405(api, method) -> None:
    response = await api.request(method, "/graphql", content=b"{}")
    assert _error(response) == (405, "METHOD_NOT_ALLOWED", "GraphQL is served over POST (GET: the GraphiQL page)")
    assert response.headers["allow"] == "GET, HEAD, POST"


@pytest.mark.one_store(REFUSED_BEFORE_THE_STORE)
async def test_a_mutation_over_get_is_a_graphql_shaped_400(fixture_graph) -> None:
    app = create_app(Settings(allow_get_queries=True), store=fixture_graph)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        response = await client.get("/graphql", params={"query": 'mutation { unshare(ids: ["x"], agencies: ["y"]) '
                                                                  "{ nodes } }"})
    assert _error(response) == (400, "BAD_REQUEST", "mutations are not allowed when using GET")


@pytest.mark.one_store(REFUSED_BEFORE_THE_STORE)
async def test_a_malformed_request_is_audited_once_as_a_refusal_under_the_caller(api, tmp_path) -> None:
    response = await api.post("/graphql", json={"query": QUERY, "operationName": "B"},
                              headers={"X-Request-ID": "req-malformed-1"})
    assert response.status_code == 400
    entries = [e for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["requestId"] == "req-malformed-1"]
    assert [(e["kind"], e["operation"], e["outcome"], e["arguments"]) for e in entries] == [
        ("auth", "http", "denied", {"path": "/graphql", "reason": "BAD_REQUEST"})]
    assert entries[0]["subject"] == "demo"


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
def test_a_websocket_on_graphql_is_refused(protocol: str, embedded_store) -> None:
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    # the session's store, never asked: an app opening its own started an embedded server a case
    with TestClient(create_app(Settings(), store=embedded_store)) as client, pytest.raises(WebSocketDisconnect):
        with client.websocket_connect("/graphql", subprotocols=[protocol]) as ws:
            ws.receive_text()


@pytest.mark.one_store(REFUSED_BEFORE_THE_STORE)
async def test_a_document_longer_than_the_limit_is_refused_413_before_it_is_parsed(api) -> None:
    # attack round 38b, 3: one 1.9 MB comment is 3 tokens and ~1.7 s of the event loop's lexing
    body = b'{"query": "#' + b"x" * 40_000 + b'\\n{ __typename }"}'
    response = await api.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert _error(response) == (413, "BAD_REQUEST", "the GraphQL document has 40,016 characters, at most 32,768 "
                                "(LINTAS_MAX_DOCUMENT_CHARS); send data in variables")


async def test_a_document_at_the_limit_is_served(api) -> None:
    query = "#" + "x" * (32_768 - 16) + "\n{ __typename }"
    assert len(query) == 32_768
    response = await api.post("/graphql", json={"query": query})
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}
