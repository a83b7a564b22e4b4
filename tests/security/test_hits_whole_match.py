"""Hit / no-hit answers whole names and whole identifiers only, within a budget (issue 10, item 5).

Before: ``restrictedHits`` matched every word by prefix, so an agency recovered another's RED
name or passport one character at a time, and a ``labels`` filter told what the hidden entity was.
"""

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
from graphapi.security.hits import HitBudgetExceeded, RestrictedHit, hourly_budget, restricted_hits
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_2 = Principal("analyst-th-2", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_HIT = [RestrictedHit(agency="VN-MPS")]


@pytest.fixture
async def red_graph(empty_store):
    """One RED person and her phone, held by VN-MPS."""
    await write_records(empty_store, [
        NodeRecord("Person", "per-hoa",
                   {"name": "Trần Thị Hoa", "alias": ["Hoa Lin"], "passportNumber": ["B-1234-567"]}),
        NodeRecord("Phone", "phone:+84912345678", {"number": "+84912345678"}),
    ], provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    return empty_store


@pytest.mark.parametrize("text", ["Trần Thị Hoa", "tran  THI hoa", "TRAN, Thi Hoa", "hoa lin"])
async def test_hits_answer_a_whole_name_case_diacritic_and_space_folded(red_graph, text):
    assert await restricted_hits(red_graph, TH, text) == VN_HIT


@pytest.mark.parametrize("text", ["Tr", "Tran", "Tran Thi", "Tran Thi Ho", "Thi Hoa", "Hoa", "Tran Thi Hoa Lin"])
async def test_hits_never_answer_a_prefix_or_a_part_of_a_name(red_graph, text):
    assert await restricted_hits(red_graph, TH, text) == []


@pytest.mark.parametrize("text", ["B-1234-567", "b1234567", "B 1234 567"])
async def test_hits_answer_a_whole_passport_number_without_separators(red_graph, text):
    assert await restricted_hits(red_graph, TH, text) == VN_HIT


@pytest.mark.parametrize("text", ["K9988776", "k 998 8776", "K-998-8776"])
async def test_hits_answer_a_passport_stored_without_separators_typed_with_them(red_graph, text):
    # attack round 5: "k 998 8776" asked the full-text index for its words and its digits, never
    # for the whole identifier, so the passport stored as "K9988776" was a silent no-hit
    kim = NodeRecord("Person", "per-kim", {"name": "Kim Sok", "passportNumber": ["K9988776"]})
    await write_records(red_graph, [kim], provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    assert await restricted_hits(red_graph, TH, text) == VN_HIT


@pytest.mark.parametrize("text", ["B", "B1", "B123456", "B-1234", "1234", "B12345678"])
async def test_hits_never_answer_a_prefix_or_a_part_of_an_identifier(red_graph, text):
    assert await restricted_hits(red_graph, TH, text) == []


@pytest.mark.parametrize("text", ["+84 91 234 5678", "0084912345678", "+84912345678"])
async def test_hits_answer_a_whole_phone_number_as_e164(red_graph, text):
    assert await restricted_hits(red_graph, TH, text) == VN_HIT


@pytest.mark.parametrize("text", ["+84 91", "+8491234567", "84912"])
async def test_hits_never_answer_a_prefix_of_a_phone_number(red_graph, text):
    assert await restricted_hits(red_graph, TH, text) == []


async def test_hits_take_no_label_filter_that_would_name_the_hidden_label(red_graph):
    result = await graphql_schema.execute(
        '{ restrictedHits(text: "Tran Thi Hoa", labels: [Person]) { agency } }',
        context_value=Context(red_graph, TH, "req"),
    )
    assert result.data is None and "labels" in result.errors[0].message


async def test_hits_budget_refuses_past_its_size_and_audits_the_refusal(red_graph, tmp_path):
    audit, budget = AuditLog(tmp_path / "audit.jsonl"), hourly_budget(3)
    for _ in range(3):
        assert await restricted_hits(red_graph, TH, "Tran Thi Hoa", audit=audit, budget=budget) == VN_HIT
    with pytest.raises(HitBudgetExceeded) as refused:
        await restricted_hits(red_graph, TH, "Tran Thi Hoa", audit=audit, budget=budget)
    assert refused.value.code == "RATE_LIMITED" and refused.value.retry_after_s > 60
    assert [e["outcome"] for e in audit.entries()] == ["ok", "ok", "ok", "denied"]


async def test_hits_budget_is_kept_per_principal(red_graph):
    budget = hourly_budget(1)
    assert await restricted_hits(red_graph, TH, "Tran Thi Hoa", budget=budget) == VN_HIT
    assert await restricted_hits(red_graph, TH_2, "Tran Thi Hoa", budget=budget) == VN_HIT
    with pytest.raises(HitBudgetExceeded):
        await restricted_hits(red_graph, TH, "Tran Thi Hoa", budget=budget)


async def test_hits_budget_exceeded_is_a_graphql_rate_limited_error(red_graph):
    context = Context(red_graph, TH, "req")
    context.hit_budget = hourly_budget(1)
    query = '{ restrictedHits(text: "Tran Thi Hoa") { agency } }'
    first = await graphql_schema.execute(query, context_value=context)
    assert first.errors is None and first.data == {"restrictedHits": [{"agency": "VN-MPS"}]}
    second = await graphql_schema.execute(query, context_value=context)
    assert second.errors[0].extensions["code"] == "RATE_LIMITED"


async def test_hits_budget_comes_from_the_apps_settings(red_graph, tmp_path):
    secret = "hits-budget-secret-of-at-least-32-bytes!!"
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr(secret), demo=False, hit_limit_per_hour=1)
    app = create_app(settings, store=red_graph)
    token = mint_token("analyst-th", secret=secret, agency="TH-DSI", roles=("analyst",))
    headers = {"Authorization": f"Bearer {token}"}
    query = {"query": '{ restrictedHits(text: "Tran Thi Hoa") { agency } }'}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        first = (await client.post("/graphql", json=query, headers=headers)).json()
        second = (await client.post("/graphql", json=query, headers=headers)).json()
    assert first == {"data": {"restrictedHits": [{"agency": "VN-MPS"}]}}
    assert second["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_hits_find_a_whole_match_however_many_partial_matches_another_agency_holds(empty_store, monkeypatch):
    # Candidates were cut by stored id: partial matches of one agency sorting first (here five
    # "Trần Thị Hoa Bình", a cap of four) pushed another agency's whole match out of the answer.
    monkeypatch.setattr("graphapi.security.hits.MAX_CANDIDATES", 4)
    monkeypatch.setattr("graphapi.security.hits.CANDIDATES_PER_AGENCY", 2)
    await write_records(empty_store, [NodeRecord("Person", f"a-{i}", {"name": "Trần Thị Hoa Bình"}) for i in range(5)],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="vn")
    await write_records(empty_store, [NodeRecord("Person", "z-1", {"name": "Trần Thị Hoa"})],
                        provenance=Provenance(owner="KH-NP", tlp="RED"), source="kh")
    assert await restricted_hits(empty_store, TH, "Tran Thi Hoa") == [RestrictedHit(agency="KH-NP")]
