"""The HTTP gate in front of /graphql: 401 shape, body size, GET policy, batching, rate limit, timeout."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import SecretStr

from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.auth import Unauthenticated, principal_provider
from graphapi.security.http import SecurityMiddleware
from graphapi.security.principal import Principal
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")
SECRET = "test-secret-of-at-least-32-bytes-long!!"


def _app(tmp_path, **kw) -> tuple[FastAPI, AuditLog]:
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), **kw)
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = FastAPI()
    provide = principal_provider(settings)

    @app.post("/graphql")
    async def graphql(request: Request) -> dict:
        body = await request.json()
        p = provide(request)
        if body.get("query") == "slow":
            await asyncio.sleep(5)
        return {"data": {"who": p.subject, "agency": p.agency, "echo": body}}

    @app.get("/graphql")
    async def ide() -> dict:
        return {"ide": True}

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    app.add_middleware(SecurityMiddleware, settings=settings, audit=audit)
    return app, audit


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test")


def _bearer(**kw) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token('alice', secret=SECRET, agency='TH-DSI', **kw)}"}


async def test_gate_missing_credentials_is_a_graphql_shaped_401_and_audited(tmp_path):
    app, audit = _app(tmp_path)
    async with _client(app) as c:
        r = await c.post("/graphql", json={"query": "{ x }"}, headers={"X-Request-ID": "req-1"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    err = r.json()["errors"][0]
    assert r.json()["data"] is None
    assert err["extensions"] == {"code": "UNAUTHENTICATED", "requestId": "req-1"}
    (entry,) = audit.entries()
    assert entry["kind"] == "auth" and entry["outcome"] == "denied" and entry["requestId"] == "req-1"
    assert verify_log(audit.path).ok


async def test_gate_valid_token_reaches_the_app_with_its_principal(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        r = await c.post("/graphql", json={"query": "{ x }"}, headers=_bearer())
    assert r.status_code == 200 and r.json()["data"]["who"] == "alice" and r.json()["data"]["agency"] == "TH-DSI"


async def test_gate_expired_token_is_refused(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        r = await c.post("/graphql", json={"query": "{ x }"}, headers=_bearer(ttl_s=-120))
    assert r.status_code == 401 and "expired" in r.json()["errors"][0]["message"]


async def test_gate_demo_mode_serves_anonymous_callers(tmp_path):
    app, _ = _app(tmp_path, demo=True)
    async with _client(app) as c:
        r = await c.post("/graphql", json={"query": "{ x }"})
    assert r.status_code == 200 and r.json()["data"]["who"] == "demo"


async def test_gate_leaves_other_paths_alone(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        assert (await c.get("/healthz")).status_code == 200


async def test_gate_rejects_a_body_over_the_limit(tmp_path):
    app, _ = _app(tmp_path, max_body_bytes=2048)
    async with _client(app) as c:
        r = await c.post("/graphql", json={"query": "{ x }", "pad": "y" * 5000}, headers=_bearer())
    assert r.status_code == 413 and r.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_gate_rejects_a_chunked_body_over_the_limit(tmp_path):
    app, _ = _app(tmp_path, max_body_bytes=2048)

    async def chunks():
        for _ in range(10):
            yield b"x" * 500

    async with _client(app) as c:
        r = await c.post("/graphql", content=chunks(), headers={**_bearer(), "Content-Type": "application/json"})
    assert r.status_code == 413


async def test_gate_rejects_batched_operations(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        r = await c.post("/graphql", json=[{"query": "{ a }"}, {"query": "{ b }"}], headers=_bearer())
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BATCHING_DISABLED"


async def test_gate_get_queries_are_off_by_default_but_the_ide_page_is_served_to_a_principal(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        r = await c.get("/graphql", params={"query": "{ x }"}, headers=_bearer())
        assert r.status_code == 405 and r.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
        assert (await c.get("/graphql", headers=_bearer())).json() == {"ide": True}


async def test_gate_ide_page_without_or_with_a_bad_credential_is_a_graphql_shaped_401(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        for headers in ({}, {"Authorization": "Bearer junk"}, {"X-API-Key": "lnt_x_y"}):
            r = await c.get("/graphql", headers={**headers, "Accept": "text/html", "X-Request-ID": "req-ide"})
            assert r.status_code == 401 and r.headers["content-type"] == "application/json"
            assert r.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "requestId": "req-ide"}


async def test_gate_rate_limits_per_principal(tmp_path):
    app, audit = _app(tmp_path, rate_limit_per_minute=60, rate_limit_burst=3)
    async with _client(app) as c:
        codes = [(await c.post("/graphql", json={"query": "{ x }"}, headers=_bearer())).status_code for _ in range(5)]
        other = await c.post(
            "/graphql", json={"query": "{ x }"},
            headers={"Authorization": f"Bearer {mint_token('bob', secret=SECRET, agency='VN-MPS')}"},
        )
    assert codes == [200, 200, 200, 429, 429] and other.status_code == 200
    assert any(e["arguments"]["reason"] == "rate limited" for e in audit.entries())


async def test_gate_times_out_a_slow_request(tmp_path):
    app, _ = _app(tmp_path, request_timeout_s=0.2)
    async with _client(app) as c:
        r = await c.post("/graphql", json={"query": "slow"}, headers=_bearer())
    assert r.status_code == 504 and r.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"


async def test_gate_uses_a_given_principal_provider(tmp_path):
    settings = Settings(data_dir=tmp_path)
    app = FastAPI()

    @app.post("/graphql")
    async def graphql(request: Request) -> dict:
        return {"data": {"who": request.state.principal.subject}}

    def provider(request):
        if request.headers.get("x-test-user"):
            return Principal(request.headers["x-test-user"], agency="TH-DSI")
        raise Unauthenticated("no test user")

    app.add_middleware(SecurityMiddleware, settings=settings, principal_of=provider)
    async with _client(app) as c:
        ok = await c.post("/graphql", json={}, headers={"X-Test-User": "tess"})
        denied = await c.post("/graphql", json={})
    assert ok.json()["data"]["who"] == "tess"
    assert denied.status_code == 401 and denied.json()["errors"][0]["message"] == "no test user"


async def test_gate_request_id_is_sanitised_and_echoed_once(tmp_path):
    app, _ = _app(tmp_path)
    async with _client(app) as c:
        bad = await c.post("/graphql", json={}, headers={"X-Request-ID": "x" * 200})
        ok = await c.post("/graphql", json={"query": "{ x }"}, headers={**_bearer(), "X-Request-ID": "abc-1"})
    rid = bad.json()["errors"][0]["extensions"]["requestId"]
    assert rid != "x" * 200 and bad.headers.get_list("x-request-id") == [rid]
    assert ok.headers.get_list("x-request-id") == ["abc-1"]


async def test_gate_every_refusal_is_audited(tmp_path):
    app, audit = _app(tmp_path, max_body_bytes=2048)
    async with _client(app) as c:
        await c.post("/graphql", json=[{"query": "{ a }"}], headers=_bearer())
        await c.post("/graphql", json={"pad": "y" * 5000}, headers=_bearer())
        await c.get("/graphql", params={"query": "{ x }"})
    reasons = [e["arguments"]["reason"] for e in audit.entries()]
    assert reasons == ["BATCHING_DISABLED", "PAYLOAD_TOO_LARGE", "METHOD_NOT_ALLOWED"]
    assert verify_log(audit.path).ok
