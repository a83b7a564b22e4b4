"""End to end through ``create_app``: bearer JWT and API key identities, 401 without them, TLP
visibility per agency, hit / no-hit, victim redaction, abuse refused, every operation audited
and the chain intact."""

import httpx
from pydantic import SecretStr

from graphapi.app import create_app
from graphapi.security.apikeys import ApiKeyStore
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.tokens import mint_token
from graphapi.security.victim_ids import victim_ids
from graphapi.settings import Settings

SECRET = "e2e-secret-of-at-least-32-bytes-long!!"
PHONE = "phone:+84987654321"


def _settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0)


def _bearer(subject: str, agency: str, *roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(subject, secret=SECRET, agency=agency, roles=roles or ('analyst',))}"}


async def test_app_end_to_end(backend_store, tmp_path):
    settings = _settings(tmp_path)
    app = create_app(settings, store=backend_store)
    key, _ = ApiKeyStore(tmp_path / "apikeys.json").create("vn-svc", agency="VN-MPS", roles=["analyst"])
    query = {"query": "query ($id: String!) { entity(id: $id) { lintasId owner } }",
             "variables": {"id": victim_ids().opaque(PHONE)}}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        anonymous = await c.post("/graphql", json=query)
        assert anonymous.status_code == 401
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

        th = await c.post("/graphql", json=query, headers=_bearer("ana", "TH-DSI"))
        assert th.status_code == 200 and th.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        vn = await c.post("/graphql", json=query, headers={"X-API-Key": key})
        assert vn.json()["data"]["entity"] == {"lintasId": victim_ids().opaque(PHONE), "owner": "VN-MPS"}

        hit = await c.post("/graphql", headers=_bearer("ana", "TH-DSI"), json={
            "query": '{ restrictedLookup(ids: ["phone:+84987654321"]) { agency } }'})
        assert hit.json()["data"]["restrictedLookup"] == [{"agency": "VN-MPS"}]

        token = victim_ids().opaque("per-nguyen-van-an")
        victim = await c.post("/graphql", headers=_bearer("ana", "TH-DSI"), json={
            "query": f'{{ entity(id: "{token}") {{ caption ... on Person {{ name }} }} }}'})
        assert victim.json()["data"]["entity"] == {"caption": token, "name": None}
        assert victim.json()["extensions"]["redacted"][token] == ["caption", "name"]
        officer = await c.post("/graphql", headers=_bearer("vic", "TH-DSI", "analyst", "victim-data"), json={
            "query": '{ entity(id: "per-nguyen-van-an") { ... on Person { name } } }'})
        assert officer.json()["data"]["entity"]["name"] == "Nguyen Van An"

        deep = "{ entity(id: \"x\") { " + "relationships { edges { node { " * 5 + "lintasId" + " } } }" * 5 + " } }"
        refused = await c.post("/graphql", headers=_bearer("ana", "TH-DSI"), json={"query": deep})
        assert "exceeds maximum operation depth" in refused.json()["errors"][0]["message"]
        intro = await c.post("/graphql", headers=_bearer("ana", "TH-DSI"),
                             json={"query": "{ __schema { types { name } } }"})
        assert intro.json()["errors"] and "introspection" in intro.json()["errors"][0]["message"].lower()

        trail = await c.post("/graphql", headers=_bearer("aud", "TH-DSI", "auditor"), json={
            "query": "{ auditTrail(first: 100) { entries { subject kind operation outcome } } }"})
        entries = trail.json()["data"]["auditTrail"]["entries"]
    ops = [(e["subject"], e["operation"], e["outcome"]) for e in entries]
    assert ("ana", "entity", "error:NOT_FOUND") in ops and ("ana", "restrictedLookup", "ok") in ops
    assert all(e["subject"] != "vn-svc" for e in entries)  # another agency's reads stay out of TH's trail
    log = AuditLog(tmp_path / "audit.jsonl")
    subjects = {e["subject"] for e in log.entries()}
    assert {None, "ana", "vn-svc", "vic", "aud"} <= subjects  # the refused anonymous call too
    assert verify_log(log.path).ok
