"""``ingest(records)`` treats another agency's victim, and the victim's phone, as hidden from a
caller without ``victim-data``, as search and lookups do (they answer its id as unknown): a
record about it is a restricted hit, worded as for any hidden item and taken from the
``restrictedLookup`` budget, and a relationship to it is answered as one to a missing node
(attack round 5, F3: VN-MPS confirmed KH-NP's victim-protected phone by loading it). A caller
with ``victim-data`` merges as before."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.investigate.entities import get_nodes
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

VICTIM_NUMBER, HIDDEN_NUMBER = "+85577000001", "+85577000002"
VN_LOADER = Principal("feed-vn", agency="VN-MPS", roles=frozenset({"loader"}))
VN_VICTIM_DESK = Principal("desk-vn", agency="VN-MPS", roles=frozenset({"loader", "victim-data"}))
INGEST = ("mutation ($records: [JSON!]!) { ingest(records: $records, tlp: GREEN) "
          "{ accepted rejected { index reason } } }")


@pytest.fixture
async def kh_victim(empty_store):
    records = [
        {"kind": "node", "label": "Person", "id": "per-kh-vic", "properties": {"name": "Sok Victim"}},
        {"kind": "node", "label": "Case", "properties": {"agency": "KH-NP", "caseNumber": "V-9"}},
        {"type": "INVOLVED_IN", "from": "per-kh-vic", "to": "case:KH-NP|V-9", "properties": {"role": "victim"}},
        {"kind": "node", "label": "Phone", "properties": {"number": VICTIM_NUMBER}},
        {"type": "USES_PHONE", "from": "per-kh-vic", "to": f"phone:{VICTIM_NUMBER}"},
    ]
    result = await ingest_records(empty_store, records, source="graphql:KH-NP", owner="KH-NP", tlp="GREEN")
    assert not result.rejected, result.rejected
    hidden = [{"kind": "node", "label": "Phone", "properties": {"number": HIDDEN_NUMBER}}]
    await ingest_records(empty_store, hidden, source="graphql:KH-NP", owner="KH-NP", tlp="RED")
    return empty_store


async def _ingest(store, principal, records, budget=None):
    context = Context(store, principal, "req")
    context.lookup_budget = budget or hourly_budget(100, name="protected-test")
    result = await graphql_schema.execute(INGEST, variable_values={"records": records}, context_value=context)
    assert result.errors is None, result.errors
    return result.data["ingest"]


def _phone(number: str, **extra) -> dict:
    return {"kind": "node", "label": "Phone", "properties": {"number": number, **extra}}


def _wording(reason: str, number: str) -> str:
    return reason.replace(number, "<n>")


async def test_a_record_about_another_agencys_victims_phone_is_refused_as_a_hidden_one_is(kh_victim):
    answer = await _ingest(kh_victim, VN_LOADER, [_phone(VICTIM_NUMBER, notes="probe"), _phone(HIDDEN_NUMBER)])
    victim, hidden = (r["reason"] for r in answer["rejected"])
    assert (answer["accepted"], _wording(victim, VICTIM_NUMBER)) == (0, _wording(hidden, HIDDEN_NUMBER))
    assert victim.startswith(f"restricted: phone:{VICTIM_NUMBER} is held by KH-NP")


async def test_a_record_about_another_agencys_victim_leaves_the_victim_as_it_was(kh_victim):
    await _ingest(kh_victim, VN_LOADER, [{"kind": "node", "label": "Person", "id": "per-kh-vic",
                                           "properties": {"name": "Sok Victim", "notes": "probe"}}])
    (node,) = (await get_nodes(kh_victim, VN_VICTIM_DESK, ["per-kh-vic"])).values()
    assert node.properties.get("notes") is None


async def test_a_relationship_to_another_agencys_victims_phone_is_answered_as_one_to_a_missing_node(kh_victim):
    records = [{"kind": "node", "label": "Person", "id": "per-vn-1", "properties": {"name": "Nguyen Van A"}},
               {"type": "USES_PHONE", "from": "per-vn-1", "to": f"phone:{VICTIM_NUMBER}"},
               {"type": "USES_PHONE", "from": "per-vn-1", "to": "phone:+85577009999"}]
    answer = await _ingest(kh_victim, VN_LOADER, records)
    to_victim, to_missing = (r["reason"] for r in answer["rejected"])
    assert (answer["accepted"], _wording(to_victim, VICTIM_NUMBER)) == (1, _wording(to_missing, "+85577009999"))


async def test_records_about_another_agencys_victims_take_units_of_the_lookup_budget(kh_victim):
    budget = hourly_budget(1, name="protected-budget")
    first = await _ingest(kh_victim, VN_LOADER, [_phone(VICTIM_NUMBER)], budget)
    assert len(first["rejected"]) == 1
    context = Context(kh_victim, VN_LOADER, "req")
    context.lookup_budget = budget
    again = await graphql_schema.execute(INGEST, variable_values={"records": [_phone(VICTIM_NUMBER)]},
                                         context_value=context)
    assert again.errors[0].extensions["code"] == "RATE_LIMITED"


async def test_a_caller_with_victim_data_merges_into_the_victims_phone(kh_victim):
    answer = await _ingest(kh_victim, VN_VICTIM_DESK, [_phone(VICTIM_NUMBER)])
    assert (answer["accepted"], answer["rejected"]) == (1, [])


VN_ANALYST = Principal("ana-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
VN_VICTIM_ANALYST = Principal("ana-vn-v", agency="VN-MPS", roles=frozenset({"analyst", "victim-data"}))


async def _hits(store, principal, query: str) -> list[dict]:
    context = Context(store, principal, "req")
    context.lookup_budget = hourly_budget(100, name="protected-hits")
    result = await graphql_schema.execute(query, context_value=context)
    assert result.errors is None, result.errors
    return next(iter(result.data.values()))


async def test_restricted_lookup_answers_another_agencys_victims_phone_as_a_hidden_one_as_ingest_does(kh_victim):
    # attack round 6, G3: lookup said "unknown" where ingest said "restricted": the pair told a victim apart
    ids = f'["phone:{VICTIM_NUMBER}", "phone:{HIDDEN_NUMBER}"]'
    found = await _hits(kh_victim, VN_ANALYST, f"query {{ restrictedLookup(ids: {ids}) {{ agency lintasId }} }}")
    assert found == [{"agency": "KH-NP", "lintasId": f"phone:{VICTIM_NUMBER}"},
                     {"agency": "KH-NP", "lintasId": f"phone:{HIDDEN_NUMBER}"}]


def _hits_query(text: str) -> str:
    return f'query {{ restrictedHits(text: "{text}") {{ agency }} }}'


async def test_restricted_hits_answer_another_agencys_victims_phone_as_a_hidden_one_as_ingest_does(kh_victim):
    victim = await _hits(kh_victim, VN_ANALYST, _hits_query(VICTIM_NUMBER))
    hidden = await _hits(kh_victim, VN_ANALYST, _hits_query(HIDDEN_NUMBER))
    assert victim == hidden == [{"agency": "KH-NP"}]


async def test_a_caller_with_victim_data_finds_the_victims_phone_no_hit(kh_victim):
    lookup = f'query {{ restrictedLookup(ids: ["phone:{VICTIM_NUMBER}"]) {{ agency lintasId }} }}'
    found = await _hits(kh_victim, VN_VICTIM_ANALYST, lookup)
    hits = await _hits(kh_victim, VN_VICTIM_ANALYST, _hits_query(VICTIM_NUMBER))
    assert (found, hits) == ([], [])
