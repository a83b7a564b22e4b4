"""Syndicates on the planted graph: the two planted clusters are the communities, the planted
broker is the broker between them, another agency's hidden hub moves nothing, and the answer is
the same every time."""

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.syndicates import brokers, syndicates
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


def _clusters(p):
    return ({p.people[f"N{i}"] for i in range(1, 6)}, {p.people[f"S{i}"] for i in range(1, 6)})


def _communities(found):
    groups: dict[int, set[str]] = {}
    for m in found.members:
        groups.setdefault(m.community, set()).add(m.node.id)
    return groups


async def test_syndicates_find_the_two_planted_clusters(planted_store):
    store, p = planted_store
    north, south = _clusters(p)
    found = await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], depth=2)
    groups = sorted(_communities(found).values(), key=len)
    assert len(groups) == 2
    broker = p.people["broker"]
    assert {frozenset(g - {broker}) for g in groups} == {frozenset(north), frozenset(south)}
    assert [c.size for c in found.communities] == [6, 5]
    assert {m.component for m in found.members} == {0}
    assert found.subgraph.truncated is False


async def test_syndicates_broker_has_the_highest_betweenness(planted_store):
    store, p = planted_store
    found = await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], depth=2)
    top = max(found.members, key=lambda m: m.betweenness)
    assert top.node.id == p.people["broker"]
    assert p.people["broker"] in found.communities[0].brokers
    assert all(0 <= m.page_rank <= 1 and 0 <= m.betweenness <= 1 for m in found.members)


async def test_syndicates_hidden_hub_changes_no_community_or_score(planted_store):
    store, p = planted_store
    seeds = [p.people["N3"], p.people["S3"]]
    demo = await syndicates(store, DEMO_PRINCIPAL, seeds, depth=2)
    again = await syndicates(store, DEMO_PRINCIPAL, list(reversed(seeds)), depth=2)
    owner = await syndicates(store, TH_DSI, seeds, depth=2)
    assert p.people["syn-hidden"] not in {m.node.id for m in demo.members}
    # The hub is a member only for its owner, and there it is the broker of everyone.
    assert p.people["syn-hidden"] in {m.node.id for m in owner.members}
    assert sorted(_communities(demo).values(), key=sorted) == sorted(_communities(again).values(), key=sorted)
    scores = {m.node.id: (m.page_rank, m.betweenness) for m in demo.members}
    assert scores == {m.node.id: (m.page_rank, m.betweenness) for m in again.members}


async def test_syndicates_are_deterministic(planted_store):
    store, p = planted_store
    first = await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], depth=2)
    second = await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], depth=2)
    assert first == second


async def test_syndicates_scope_is_bounded(planted_store):
    store, p = planted_store
    found = await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], depth=2, limit=4)
    assert len(found.members) == 4 and found.subgraph.truncated is True
    with pytest.raises(InvalidArgument):
        await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], limit=50_001)
    with pytest.raises(InvalidArgument):
        await syndicates(store, DEMO_PRINCIPAL, [p.people["broker"]], depth=4)


async def test_brokers_between_two_members_rank_the_planted_broker_first(planted_store):
    store, p = planted_store
    ppl = p.people
    found = await brokers(store, DEMO_PRINCIPAL, [ppl["N3"]], [ppl["S3"]], depth=3)
    ranked = [(b.node.id, b.score) for b in found.brokers]
    assert ranked[0] == (ppl["broker"], 1.0)
    assert sorted(ranked[1:]) == sorted((ppl[x], 0.5) for x in ("N1", "N2", "S1", "S2"))


async def test_brokers_never_route_through_a_hidden_hub(planted_store):
    store, p = planted_store
    ppl = p.people
    demo = await brokers(store, DEMO_PRINCIPAL, [ppl["N3"]], [ppl["S3"]], depth=3)
    owner = await brokers(store, TH_DSI, [ppl["N3"]], [ppl["S3"]], depth=3)
    assert ppl["syn-hidden"] not in {b.node.id for b in demo.brokers}
    assert owner.brokers[0].node.id == ppl["syn-hidden"]


async def test_brokers_refuse_overlapping_groups_and_hidden_members(planted_store):
    store, p = planted_store
    ppl = p.people
    with pytest.raises(InvalidArgument):
        await brokers(store, DEMO_PRINCIPAL, [ppl["N3"]], [ppl["N3"]])
    with pytest.raises(NotFound):
        await brokers(store, DEMO_PRINCIPAL, [ppl["N3"]], [ppl["syn-hidden"]])
