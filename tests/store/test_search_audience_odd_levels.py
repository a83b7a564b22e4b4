"""A node whose levels no loader writes (sharedWith an integer, a boolean, a list of integers: a
direct write, an older version, an operator) never stops the store from starting: the start-up
searchAudience repair evaluated the audience on every entity and failed on it with a type
mismatch, made no mark, and every later start failed the same way (attack round 31c)."""

import pytest
import pytest_asyncio
from test_search_audience_repair import VN, _marked, _person, _raw_write, _stale, _stored, old_graph  # noqa: F401

from graphapi.investigate.search import search
from graphapi.store.search_audience import EVERYONE, audience_field

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends, pytest.mark.drops_neo4j_plans]


@pytest_asyncio.fixture(loop_scope="session")
async def graph(old_graph):  # noqa: F811
    """old_graph, cleared again before its own teardown starts the store (the odd node would fail it)."""
    yield old_graph
    await old_graph.clear()


@pytest.mark.parametrize("odd", ["[5]", "true", "5"])  # FalkorDB also stores ['VN-MPS', 7]: fails alike
async def test_a_node_with_an_odd_shared_with_does_not_stop_the_store_from_starting(graph, odd):
    await _person(graph, "per-odd", "Dara Sok", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _person(graph, "per-x", "Somchai Jaidee", "KH-NP", "RED")
    await _stale(graph, "per-x", EVERYONE)  # a narrowed node still in every agency's prefilter
    await _raw_write(graph, f"MATCH (n:Entity {{id: 'per-odd'}}) SET n.sharedWith = {odd}", {})
    await graph.init_schema()  # raises StoreError('Type mismatch ...') on main
    assert await _marked(graph)
    assert (await _stored(graph, "per-x"))["searchAudience"] == audience_field("RED", "KH-NP", [])


async def test_a_graph_with_an_odd_node_is_still_searched_as_before_after_a_restart(graph):
    await _person(graph, "per-x", "Somchai Jaidee", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _person(graph, "per-odd", "Dara Sok", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _raw_write(graph, "MATCH (n:Entity {id: 'per-odd'}) SET n.sharedWith = [5]", {})
    assert (await search(graph, VN, "Somchai Jaidee")).total == 1  # searched before the start
    await graph.init_schema()  # the restart: raises on main, the API never serves again
    assert (await search(graph, VN, "Somchai Jaidee")).total == 1


@pytest.mark.parametrize("odd", ["['KH-NP']", "[5]"])  # round 31d: toString() of a list failed
async def test_a_node_whose_owner_is_a_list_does_not_stop_the_store_from_starting(graph, odd):
    await _person(graph, "per-odd", "Dara Sok", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _person(graph, "per-x", "Somchai Jaidee", "KH-NP", "RED")
    await _stale(graph, "per-x", EVERYONE)
    await _raw_write(graph, f"MATCH (n:Entity {{id: 'per-odd'}}) SET n.owner = {odd}", {})
    await graph.init_schema()
    assert await _marked(graph)
    assert (await _stored(graph, "per-x"))["searchAudience"] == audience_field("RED", "KH-NP", [])


@pytest.mark.one_store("Neo4j stores no list of lists, so no such node is there to start on")
async def test_a_node_whose_shared_with_nests_a_list_does_not_stop_the_store_from_starting(graph):
    await _person(graph, "per-odd", "Dara Sok", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _person(graph, "per-x", "Somchai Jaidee", "KH-NP", "RED")
    await _stale(graph, "per-x", EVERYONE)
    await _raw_write(graph, "MATCH (n:Entity {id: 'per-odd'}) SET n.sharedWith = [['VN-MPS']]", {})
    await graph.init_schema()
    assert await _marked(graph)
    assert (await _stored(graph, "per-x"))["searchAudience"] == audience_field("RED", "KH-NP", [])
