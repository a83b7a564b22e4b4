"""``restrictedLookup`` takes one unit of a per-principal budget for each id the caller cannot
see (issue 10, adversarial item 2): phone, account and wallet ids are built from their values, so
1,000 guessed ids per call checked ~1.2M numbers a minute with no budget at all."""

import httpx
import pytest
from pydantic import SecretStr

from graphapi.app import create_app
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.hits import HitBudgetExceeded, RestrictedHit, hourly_budget, lookup
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_PHONE = "phone:+84912345678"
GUESSES = [f"phone:+849123456{i:02d}" for i in range(10)]


@pytest.fixture
async def graph(empty_store):
    """A RED phone held by VN-MPS and a phone TH-DSI holds itself."""
    await write_records(empty_store, [NodeRecord("Phone", VN_PHONE, {"number": "+84912345678"})],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    await write_records(empty_store, [NodeRecord("Phone", "phone:+66812345678", {"number": "+66812345678"})],
                        provenance=Provenance(owner="TH-DSI", tlp="RED"), source="th")
    return empty_store


async def test_lookup_charges_each_id_the_caller_cannot_see_and_refuses_past_the_budget(graph, tmp_path):
    audit, budget = AuditLog(tmp_path / "audit.jsonl"), hourly_budget(12, name="lookups")
    first = await lookup(graph, TH, GUESSES, audit=audit, budget=budget, request_id="req-1")
    assert first.restricted == []  # 10 guesses, none exists: 10 units taken
    with pytest.raises(HitBudgetExceeded) as refused:
        await lookup(graph, TH, [VN_PHONE, *GUESSES[:2]], audit=audit, budget=budget, request_id="req-2")
    assert refused.value.code == "RATE_LIMITED" and "restrictedLookup" in str(refused.value)
    denied = list(audit.entries())[-1]
    assert (denied["operation"], denied["outcome"], denied["requestId"]) == ("lookup", "denied", "req-2")


async def test_lookup_does_not_charge_ids_of_data_the_caller_sees(graph):
    budget = hourly_budget(1, name="lookups")
    for _ in range(5):
        assert (await lookup(graph, TH, ["phone:+66812345678"], budget=budget)).found
    assert (await lookup(graph, TH, [VN_PHONE], budget=budget)).restricted == [
        RestrictedHit(agency="VN-MPS", id=VN_PHONE)]


async def test_lookup_of_more_ids_than_the_whole_budget_is_refused(graph):
    with pytest.raises(HitBudgetExceeded):
        await lookup(graph, TH, GUESSES, budget=hourly_budget(5, name="lookups"))


async def test_lookup_budget_exceeded_is_a_graphql_rate_limited_error(graph):
    context = Context(graph, TH, "req")
    context.lookup_budget = hourly_budget(1, name="lookups")
    query = f'{{ restrictedLookup(ids: ["{VN_PHONE}"]) {{ agency lintasId }} }}'
    first = await graphql_schema.execute(query, context_value=context)
    assert first.errors is None and first.data == {"restrictedLookup": [{"agency": "VN-MPS", "lintasId": VN_PHONE}]}
    second = await graphql_schema.execute(query, context_value=context)
    assert second.errors[0].extensions["code"] == "RATE_LIMITED"


async def test_lookup_budget_comes_from_the_apps_settings(graph, tmp_path):
    secret = "lookup-budget-secret-of-at-least-32-bytes!!"
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr(secret), demo=False, lookup_limit_per_hour=2)
    app = create_app(settings, store=graph)
    token = mint_token("analyst-th", secret=secret, agency="TH-DSI", roles=("analyst",))
    query = {"query": '{ restrictedLookup(ids: ["phone:+84900000001", "phone:+84900000002"]) { agency } }'}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        first = (await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {token}"})).json()
        second = (await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {token}"})).json()
    assert first == {"data": {"restrictedLookup": []}}
    assert second["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
