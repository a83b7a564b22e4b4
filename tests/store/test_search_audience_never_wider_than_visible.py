"""The search audience of a node whose sharedWith is a string, not a list, names no partner: the
repair appended the string as an agency, which visible() does not allow on FalkorDB ('VN-MPS' IN
'VN-MPS' is a type error), so every search of that partner meeting the node failed (attack round
31c). On Neo4j visible() lets that agency read the node; its search then misses it, a narrower
prefilter, never a wider one."""

import pytest
import pytest_asyncio
from test_search_audience_repair import VN, _person, _raw_write, _stale, old_graph  # noqa: F401

from graphapi.investigate.search import search
from graphapi.store.search_audience import agency_token

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends, pytest.mark.drops_neo4j_plans]


@pytest_asyncio.fixture(loop_scope="session")
async def graph(old_graph):  # noqa: F811
    yield old_graph
    await old_graph.clear()


async def test_the_repair_gives_no_agency_an_audience_token_that_visible_does_not_let_see_the_node(graph):
    await _person(graph, "per-x", "Somchai Jaidee", "KH-NP", "GREEN")
    await _person(graph, "per-odd", "Somchai Sok", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _raw_write(graph, "MATCH (n:Entity {id: 'per-odd'}) SET n.sharedWith = 'VN-MPS'", {})
    await _stale(graph, "per-odd", " " + agency_token("KH-NP"))  # as a writer left it: the owner's only
    assert (await search(graph, VN, "Somchai")).total == 1  # the GREEN one
    await graph.init_schema()
    # main, FalkorDB: StoreError 'Type mismatch: expected List or Null but was String' (every search
    # of VN-MPS's that matches the node); Neo4j's IN lets VN-MPS see it, so there the two agree (2)
    page = await search(graph, VN, "Somchai")
    assert page.total >= 1
