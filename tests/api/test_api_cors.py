"""CORS (``LINTAS_CORS_ORIGINS``): a browser page of an allowed origin may call /graphql (its
preflight is answered, its answers carry Access-Control-Allow-Origin); any other origin gets no
CORS header, so the browser keeps the answer from the page. Unset: none in production, any port
of http://localhost and http://127.0.0.1 in development."""

from __future__ import annotations

import httpx
import pydantic
import pytest

from graphapi.app import create_app
from graphapi.settings import Settings

CHART = "https://chart.example.org"


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test")


async def _preflight(settings: Settings, origin: str):
    async with client_for(create_app(settings)) as client:
        return await client.options("/graphql", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        })


async def test_a_preflight_from_a_configured_origin_is_allowed_with_its_headers():
    response = await _preflight(Settings(cors_origins=f"https://other.example, {CHART}"), CHART)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == CHART
    assert "POST" in response.headers["access-control-allow-methods"].split(", ")
    assert {"Authorization", "Content-Type", "X-API-Key"} <= set(response.headers["access-control-allow-headers"]
                                                                   .split(", "))


async def test_a_preflight_from_an_origin_not_configured_gets_no_cors_headers():
    response = await _preflight(Settings(cors_origins=CHART), "https://evil.example")
    assert response.status_code == 400 and response.text == "Disallowed CORS origin"
    assert "access-control-allow-origin" not in response.headers


async def test_an_answer_to_a_configured_origin_names_it_and_exposes_the_request_id(fixture_graph):
    async with client_for(create_app(Settings(cors_origins=CHART), store=fixture_graph)) as client:
        allowed = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": CHART})
        other = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://x.example"})
    assert allowed.status_code == 200 and allowed.json() == {"data": {"__typename": "Query"}}
    assert allowed.headers["access-control-allow-origin"] == CHART
    assert "X-Request-ID" in allowed.headers["access-control-expose-headers"]
    assert "access-control-allow-origin" not in other.headers


async def test_a_refusal_by_the_security_gate_carries_the_cors_headers_so_the_page_can_read_it(monkeypatch):
    monkeypatch.setenv("LINTAS_DEMO", "false")  # no anonymous access: the gate answers 401
    async with client_for(create_app(Settings(cors_origins=CHART))) as client:
        response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": CHART})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == CHART


async def test_production_allows_no_origin_by_default():
    response = await _preflight(Settings(env="production"), "http://localhost:3000")
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:3000", "http://localhost"])
async def test_development_allows_local_pages_on_any_port_by_default(origin):
    response = await _preflight(Settings(env="development"), origin)
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == origin


@pytest.mark.parametrize("origin", ["http://localhost.evil.example", "https://example.org", "http://localhost:3000.x"])
async def test_development_allows_no_other_origin_by_default(origin):
    response = await _preflight(Settings(env="development"), origin)
    assert "access-control-allow-origin" not in response.headers


async def test_an_empty_setting_allows_no_origin_even_in_development():
    response = await _preflight(Settings(env="development", cors_origins=""), "http://localhost:5173")
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("value", [f"{CHART}/", f"{CHART}/app", "chart.example.org"])
def test_an_origin_with_a_path_or_without_a_scheme_is_refused_at_start_up(value):
    with pytest.raises(pydantic.ValidationError, match="LINTAS_CORS_ORIGINS takes origins"):
        Settings(cors_origins=value)


async def test_a_star_allows_any_origin_but_never_with_credentials():
    response = await _preflight(Settings(cors_origins="*"), "https://anywhere.example")
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_to_a_server_allowing_no_origin_says_how_to_allow_one():
    # new-user report: the demo answered "GraphQL is served over POST", pointing elsewhere
    response = await _preflight(Settings(env="production"), "http://localhost:5173")
    assert response.status_code == 405
    assert response.json()["errors"][0]["message"] == (
        "CORS preflight from origin 'http://localhost:5173' refused: this server allows no cross-origin requests "
        "from it; list the front end's origin in LINTAS_CORS_ORIGINS")
