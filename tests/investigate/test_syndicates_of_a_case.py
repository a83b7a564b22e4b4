"""``syndicates(caseId:)`` and ``brokers(groupACaseId:, groupBCaseId:)``: the analysis scoped to
the people and organisations involved in a case (its visible INVOLVED_IN links, as
``sharedIdentifiers(caseId:)``), the case itself left out of the scope (issue 15: "the syndicates
among this case's people, accounts and phones"). Another agency's RED member, link or hub never
changes a community, a score or a count; a case the reader may not see is a missing case."""

import pytest
from graphql_answers import answer

from graphapi.errors import InvalidArgument
from graphapi.ingest.service import ingest_records
from graphapi.investigate.syndicates import brokers, syndicates
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

KH = Principal("analyst-kh", agency="KH-NP")
VN = Principal("analyst-vn", agency="VN-MPS")
TH = Principal("analyst-th", agency="TH-DSI")
K1, K2 = "case:KH-NP|K-1", "case:KH-NP|K-2"
PHONE, ACCOUNT = "phone:+85512000001", "account:KH:ABA:7700000001"


def _case(number: str) -> dict:
    return {"kind": "node", "label": "Case", "properties": {"agency": "KH-NP", "caseNumber": number}}


def _person(pid: str) -> dict:
    return {"kind": "node", "label": "Person", "id": pid, "properties": {"name": f"Sok {pid[-1].upper()}"}}


def _tie(rel: str, start: str, end: str, **props) -> dict:
    return {"type": rel, "from": start, "to": end, **({"properties": props} if props else {})}


def _involved(pid: str, case: str = K1) -> dict:
    return _tie("INVOLVED_IN", pid, case, role="suspect")


async def _load(store, records, owner="KH-NP", tlp="GREEN") -> None:
    result = await ingest_records(store, records, source=f"graphql:{owner}", owner=owner, tlp=tlp)
    assert not result.rejected, result.rejected


@pytest.fixture
async def kh_cases(empty_store):
    """K-1: suspects A, B (one phone) and C (an account held with D, who is in no case; E is D's
    associate, three hops from C). K-2: suspect F, D's associate. With the case counted, K-1 would
    tie A, B and C into one component through it."""
    await _load(empty_store, [
        _case("K-1"), _case("K-2"), *(_person(f"per-{x}") for x in "abcdef"),
        {"kind": "node", "label": "Phone", "properties": {"number": "+85512000001"}},
        {"kind": "node", "label": "BankAccount", "properties": {"accountKey": "KH:ABA:7700000001"}},
        _involved("per-a"), _involved("per-b"), _involved("per-c"), _involved("per-f", K2),
        _tie("USES_PHONE", "per-a", PHONE), _tie("USES_PHONE", "per-b", PHONE),
        _tie("HOLDS_ACCOUNT", "per-c", ACCOUNT), _tie("HOLDS_ACCOUNT", "per-d", ACCOUNT),
        _tie("ASSOCIATE_OF", "per-d", "per-e"), _tie("ASSOCIATE_OF", "per-d", "per-f"),
    ])
    return empty_store


async def _add_hidden_hub(store) -> None:
    """TH-DSI's RED person, in K-1 by a RED link, tied to A and C: it would join the two groups."""
    await _load(store, [_person("per-h"), _involved("per-h"), _tie("ASSOCIATE_OF", "per-h", "per-a"),
                        _tie("ASSOCIATE_OF", "per-h", "per-c")], owner="TH-DSI", tlp="RED")


def _groups(found) -> list[tuple[int, list[str]]]:
    by = {}
    for m in found.members:
        by.setdefault(m.community, []).append(m.node.id)
    return sorted((c, sorted(ids)) for c, ids in by.items())


async def test_syndicates_of_a_case_start_from_its_members_and_leave_the_case_out(kh_cases):
    found = await syndicates(kh_cases, VN, case_id=K1, depth=2)
    assert sorted(m.node.id for m in found.members) == sorted([ACCOUNT, "per-a", "per-b", "per-c", "per-d", PHONE])
    assert (found.scope_size, found.community_count, found.scope_truncated) == (6, 2, False)
    # community ids: the largest first, then by the smallest member id ("account:..." < "per-a")
    assert _groups(found) == [(0, [ACCOUNT, "per-c", "per-d"]), (1, ["per-a", "per-b", PHONE])]
    assert sorted({m.component for m in found.members}) == [0, 1]
    # in each three-entity chain the middle one lies on the only path between the other two
    assert {m.node.id: m.betweenness for m in found.members if m.betweenness} == {PHONE: 0.1, ACCOUNT: 0.1}


async def test_syndicates_of_a_case_equal_syndicates_of_its_members_less_the_case(kh_cases):
    by_case = await syndicates(kh_cases, VN, case_id=K1, depth=2)
    by_ids = await syndicates(kh_cases, VN, ["per-a", "per-b", "per-c"], depth=2)
    assert {m.node.id for m in by_ids.members} == {m.node.id for m in by_case.members} | {K1}
    # counted, the case is the one component's hub: the top broker of its own members
    top = max(by_ids.members, key=lambda m: m.betweenness)
    assert (top.node.id, {m.component for m in by_ids.members}) == (K1, {0})


async def test_another_agencys_red_member_changes_no_community_score_or_count(kh_cases):
    before = await syndicates(kh_cases, VN, case_id=K1, depth=2)
    await _add_hidden_hub(kh_cases)
    assert await syndicates(kh_cases, VN, case_id=K1, depth=2) == before
    owner = await syndicates(kh_cases, TH, case_id=K1, depth=2)
    # its owner sees it, a seed, join the two groups into one component
    assert (owner.scope_size, {m.component for m in owner.members}) == (7, {0})


async def test_brokers_between_two_cases_score_who_ties_their_members(kh_cases):
    found = await brokers(kh_cases, VN, case_a=K1, case_b=K2, depth=3)
    # C's account and D lie on every shortest path from K-1's members to F; only C reaches F.
    assert [(b.node.id, b.score) for b in found.brokers] == [(ACCOUNT, 1.0), ("per-d", 1.0)]
    assert K1 not in {n.id for n in found.subgraph.nodes} and K2 not in {n.id for n in found.subgraph.nodes}


async def test_brokers_take_a_case_on_one_side_and_ids_on_the_other(kh_cases):
    found = await brokers(kh_cases, VN, case_a=K1, group_b=["per-e"], depth=3)
    assert [(b.node.id, b.score) for b in found.brokers] == [(ACCOUNT, 1.0), ("per-d", 1.0)]


async def test_a_member_of_both_cases_is_in_neither_group_and_scored_as_the_link(kh_cases):
    await _load(kh_cases, [_involved("per-d"), _involved("per-d", K2)])
    found = await brokers(kh_cases, VN, case_a=K1, case_b=K2, depth=3)
    assert [(b.node.id, b.score) for b in found.brokers] == [(ACCOUNT, 1.0), ("per-d", 1.0)]


async def test_brokers_between_cases_are_unmoved_by_another_agencys_red_hub(kh_cases):
    before = await brokers(kh_cases, VN, case_a=K1, case_b=K2, depth=3)
    await _add_hidden_hub(kh_cases)
    await _load(kh_cases, [_tie("ASSOCIATE_OF", "per-h", "per-f"), _involved("per-h", K2)], owner="TH-DSI", tlp="RED")
    assert await brokers(kh_cases, VN, case_a=K1, case_b=K2, depth=3) == before


async def test_ids_and_a_case_together_are_bad_input(kh_cases):
    with pytest.raises(InvalidArgument, match="^give either ids or caseId$"):
        await syndicates(kh_cases, VN, ["per-a"], case_id=K1)


QUERY = ("query ($ids: [String!], $case: String) { syndicates(ids: $ids, caseId: $case) "
         "{ scopeSize communityCount members { entity { lintasId } community } } }")
BROKERS = ("query ($a: String, $b: String, $ga: [String!]) { brokers(groupA: $ga, groupACaseId: $a, groupBCaseId: $b, "
           "depth: 3) { brokers { entity { lintasId } score } } }")


async def _ask(store, principal, query=QUERY, **variables):
    return await answer(store, principal, query, **variables)


async def test_syndicates_field_takes_a_case(kh_cases):
    data = (await _ask(kh_cases, VN, case=K1))["syndicates"]
    assert (data["scopeSize"], data["communityCount"]) == (6, 2)


async def test_brokers_field_takes_two_cases(kh_cases):
    data = await _ask(kh_cases, VN, BROKERS, a=K1, b=K2)
    assert data["brokers"]["brokers"] == [{"entity": {"lintasId": ACCOUNT}, "score": 1.0},
                                          {"entity": {"lintasId": "per-d"}, "score": 1.0}]


async def test_a_case_hidden_from_the_reader_is_not_found_like_an_unknown_one(kh_cases):
    await _load(kh_cases, [_case("K-9"), _person("per-r"), _involved("per-r", "case:KH-NP|K-9")], tlp="RED")
    assert await _ask(kh_cases, VN, case="case:KH-NP|K-9") == ["NOT_FOUND", "no entity with id 'case:KH-NP|K-9'"]
    assert await _ask(kh_cases, VN, case="case:KH-NP|NOPE") == ["NOT_FOUND", "no entity with id 'case:KH-NP|NOPE'"]
    assert await _ask(kh_cases, VN, BROKERS, a="case:KH-NP|K-9", b=K2) == [
        "NOT_FOUND", "no entity with id 'case:KH-NP|K-9'"]
    assert (await _ask(kh_cases, KH, case="case:KH-NP|K-9"))["syndicates"]["scopeSize"] == 1  # its owner's


async def test_fields_refuse_both_or_neither_of_ids_and_a_case(kh_cases):
    assert await _ask(kh_cases, VN, ids=["per-a"], case=K1) == ["BAD_USER_INPUT", "give either ids or caseId"]
    assert await _ask(kh_cases, VN) == ["BAD_USER_INPUT", "give either ids or caseId"]
    assert await _ask(kh_cases, VN, BROKERS, a=K1, ga=["per-a"], b=K2) == [
        "BAD_USER_INPUT", "give either groupA or groupACaseId"]


async def test_an_entity_that_is_no_case_is_bad_input(kh_cases):
    assert await _ask(kh_cases, VN, case="per-a") == [
        "BAD_USER_INPUT", "caseId must name a Case, not a Person"]
