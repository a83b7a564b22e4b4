"""``sharedIdentifiers(caseId:)``: the identifiers tying anyone involved in a case to anyone
else, the case's members being the people and organisations its visible INVOLVED_IN links name
(issue 15: "which phones, accounts and documents tie these suspects together"). A member only a
link the reader may not see ties to the case is no seed for that reader."""

import pytest
from graphql_answers import answer

from graphapi.ingest.service import ingest_records
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

KH = Principal("analyst-kh", agency="KH-NP")
VN = Principal("analyst-vn", agency="VN-MPS")
CASE = "case:KH-NP|K-1"
QUERY = ("query ($case: String, $ids: [String!]) { sharedIdentifiers(caseId: $case, ids: $ids) "
         "{ ties { a { lintasId } b { lintasId } } } }")
SYNDICATES = "query ($case: String) { syndicates(caseId: $case) { members { entity { lintasId } } } }"


def _person(pid: str, name: str) -> dict:
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": name}}


def _phone(number: str) -> dict:
    return {"kind": "node", "label": "Phone", "properties": {"number": number}}


def _uses(pid: str, number: str) -> dict:
    return {"type": "USES_PHONE", "from": pid, "to": f"phone:{number}"}


def _involved(pid: str) -> dict:
    return {"type": "INVOLVED_IN", "from": pid, "to": CASE, "properties": {"role": "suspect"}}


@pytest.fixture
async def kh_case(empty_store):
    """Suspects A and B in KH-NP's case; A shares a phone with D, who is in no case; H is in the
    case by a RED link only, and shares a phone with F."""
    records = [
        {"kind": "node", "label": "Case", "properties": {"agency": "KH-NP", "caseNumber": "K-1"}},
        *(_person(pid, name) for pid, name in [("per-a", "Sok A"), ("per-b", "Sok B"), ("per-d", "Sok D"),
                                               ("per-h", "Sok H"), ("per-f", "Sok F")]),
        _phone("+85512000001"), _phone("+85512000002"),
        _involved("per-a"), _involved("per-b"),
        _uses("per-a", "+85512000001"), _uses("per-d", "+85512000001"),
        _uses("per-h", "+85512000002"), _uses("per-f", "+85512000002"),
    ]
    result = await ingest_records(empty_store, records, source="graphql:KH-NP", owner="KH-NP", tlp="GREEN")
    assert not result.rejected, result.rejected
    result = await ingest_records(empty_store, [_involved("per-h")], source="graphql:KH-NP", owner="KH-NP", tlp="RED")
    assert not result.rejected, result.rejected
    return empty_store


async def _ask(store, principal, query=QUERY, **variables):
    data = await answer(store, principal, query, **variables)
    if isinstance(data, list):  # [code, message]
        return data
    return sorted((t["a"]["lintasId"], t["b"]["lintasId"]) for t in data["sharedIdentifiers"]["ties"])


async def test_a_case_ties_its_members_to_whoever_shares_their_identifiers(kh_case):
    assert await _ask(kh_case, VN, case=CASE) == [("per-a", "per-d")]


async def test_a_member_only_a_hidden_link_names_is_no_seed_for_that_reader(kh_case):
    assert await _ask(kh_case, KH, case=CASE) == [("per-a", "per-d"), ("per-f", "per-h")]


async def test_an_unknown_case_is_not_found(kh_case):
    assert await _ask(kh_case, VN, case="case:KH-NP|NOPE") == ["NOT_FOUND", "no entity with id 'case:KH-NP|NOPE'"]


async def test_an_entity_that_is_no_case_is_bad_input(kh_case):
    code, message = await _ask(kh_case, VN, case="per-a")
    assert (code, message) == ("BAD_USER_INPUT", "caseId must name a Case, not a Person")


async def test_a_victims_token_given_as_case_never_comes_back_as_the_victims_id(kh_case):
    # attack round 11, V1: the error quoted the id behind the token
    await ingest_records(kh_case, [{**_involved("per-b"), "properties": {"role": "victim"}}],
                         source="graphql:KH-NP", owner="KH-NP", tlp="GREEN")
    token = victim_ids().opaque("per-b")
    for query in (QUERY, SYNDICATES):
        code, message = await _ask(kh_case, VN, case=token, query=query)
        assert (code, message) == ("BAD_USER_INPUT", "caseId must name a Case, not a Person")


async def test_ids_and_case_together_are_bad_input(kh_case):
    assert await _ask(kh_case, VN, case=CASE, ids=["per-a"]) == ["BAD_USER_INPUT", "give either ids or caseId"]
    assert await _ask(kh_case, VN) == ["BAD_USER_INPUT", "give either ids or caseId"]


async def test_a_case_hidden_from_the_reader_is_not_found_like_an_unknown_one(kh_case):
    red = {"kind": "node", "label": "Case", "properties": {"agency": "KH-NP", "caseNumber": "K-2"}}
    await ingest_records(kh_case, [red, _person("per-r", "Sok R"), {**_involved("per-r"), "to": "case:KH-NP|K-2"}],
                         source="graphql:KH-NP", owner="KH-NP", tlp="RED")
    assert await _ask(kh_case, VN, case="case:KH-NP|K-2") == ["NOT_FOUND", "no entity with id 'case:KH-NP|K-2'"]
