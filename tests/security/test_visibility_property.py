"""Property test: every read service answers exactly what an oracle computes from the VISIBLE
subgraph alone (issue 4, DESIGN.md security model).

Hypothesis draws small random graphs of Person nodes (random owner, TLP level, sharedWith, and a
name of one or two words) joined by ASSOCIATE_OF / FAMILY_OF relationships with their own random
owner, TLP and sharing; writes them through the ingest writer into each backend (embedded FalkorDB, Neo4j); and for
viewers of every agency (and the anonymous demo viewer) compares with :mod:`security_oracle`:

- ``get_nodes``: exactly the visible ids;
- ``search``: exactly the visible nodes having the word; ``restricted_hits``: exactly the owners
  of the hidden ones (hit / no-hit);
- ``relationships_of``: ``total`` and the relationship ids per node (hidden nodes: empty);
- ``neighborhood``: node set (within depth, capped by ``limit``), ``truncated`` exactly when the
  visible reach exceeds ``limit``, edges = the visible relationships among the nodes returned;
- ``shortest_paths``: the exact set of shortest visible paths (NotFound for a hidden end);
- the GraphQL layer on top (DataLoaders): ``entities { relationships { totalCount edges } }``
  and ``search`` answer the same.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, Oracle, visible

from graphapi.errors import NotFound
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.expand import neighborhood, relationships_of
from graphapi.investigate.paths import shortest_paths
from graphapi.investigate.search import search
from graphapi.ontology import TLP_LEVELS
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.hits import restricted_hits

pytestmark = pytest.mark.asyncio(loop_scope="session")

AGENCIES = ("A", "B", "C")
WORDS = ("alpha", "bravo", "charlie", "delta")
TYPES = ("ASSOCIATE_OF", "FAMILY_OF")
VIEWERS = (None, "A", "B", "C")
GRAPHQL = """query ($ids: [String!]!, $word: String!) {
  entities(ids: $ids) {
    lintasId relationships(first: 100) { totalCount edges { relationship { id } node { lintasId } } }
  }
  search(text: $word, first: 100) { edges { node { lintasId } } }
}"""


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Item], list[Item]]:
    sharing = {
        "owner": st.sampled_from(AGENCIES),
        "tlp": st.sampled_from(TLP_LEVELS),
        "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
    }
    n = draw(st.integers(2, 7))
    nodes = [
        Item(
            id=f"p{i}",
            words=tuple(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True))),
            **{k: draw(s) for k, s in sharing.items()},
        )
        for i in range(n)
    ]
    edges = []
    for k in range(draw(st.integers(0, 12))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(0, n - 2))
        b = b + 1 if b >= a else b
        edges.append(
            Item(id=f"e{k:02d}", type=draw(st.sampled_from(TYPES)), start=f"p{a}", end=f"p{b}",
                 **{k2: draw(s) for k2, s in sharing.items()})
        )
    return nodes, edges


def _records(nodes: list[Item], edges: list[Item]) -> list[NodeRecord | EdgeRecord]:
    def sharing(item: Item) -> dict:
        return {"owner": item.owner, "tlp": item.tlp, "sharedWith": sorted(item.shared)}

    out: list[NodeRecord | EdgeRecord] = [
        NodeRecord("Person", n.id, {"name": " ".join(n.words), **sharing(n)}) for n in nodes
    ]
    out += [EdgeRecord(e.type, e.id, e.start, e.end, sharing(e)) for e in edges]
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    graph=graphs(),
    choices=st.lists(st.integers(0, 1000), min_size=24, max_size=24),
    types_filter=st.sampled_from([None, ["ASSOCIATE_OF"]]),
)
async def test_visibility_every_service_equals_the_oracle(any_store, graph, choices, types_filter):
    store = any_store
    nodes, edges = graph
    await store.clear()
    await write_records(store, _records(nodes, edges), provenance=Provenance(owner="A", tlp="RED"), source="prop")
    all_ids = [n.id for n in nodes]
    pick = iter(choices)

    for agency in VIEWERS:
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        oracle = Oracle.of(nodes, edges, agency)
        typed = Oracle.of(nodes, edges, agency, types_filter)
        context = f"viewer {agency}"

        found = await get_nodes(store, viewer, [*all_ids, "p-missing"])
        assert set(found) == set(oracle.nodes), context

        for word in WORDS:
            page = await search(store, viewer, word, first=100)
            assert {h.node.id for h in page.hits} == oracle.search(word), (context, word)
            hidden_owners = {n.owner for n in nodes if word in n.words and not visible(n, agency)}
            hits = await restricted_hits(store, viewer, word)
            assert {h.agency for h in hits} == hidden_owners, (context, word)

        pages = await relationships_of(store, viewer, all_ids, types=types_filter, first=100)
        for node_id, page in zip(all_ids, pages, strict=True):
            expected = typed.incident(node_id)
            assert page.total == len(expected), (context, node_id)
            assert {e.relationship.id for e in page.edges} == expected, (context, node_id)
            assert all(e.other.id in oracle.nodes for e in page.edges), (context, node_id)

        start = all_ids[next(pick) % len(all_ids)]
        depth = 1 + next(pick) % 3
        limit = 2 + next(pick) % 5
        if start not in oracle.nodes:
            with pytest.raises(NotFound):
                await neighborhood(store, viewer, start, depth=depth, limit=limit)
        else:
            sub = await neighborhood(store, viewer, start, depth=depth, relationship_types=types_filter, limit=limit)
            reach = set(typed.distances(start, depth))
            got = {n.id for n in sub.nodes}
            assert start in got and got <= reach, (context, start, depth)
            assert len(got) == min(limit, len(reach)), (context, start, depth, limit)
            assert sub.truncated == (len(reach) > limit), (context, start, depth, limit)
            assert {e.id for e in sub.edges} == typed.induced_edges(got), (context, start)

        word = WORDS[next(pick) % len(WORDS)]
        result = await graphql_schema.execute(
            GRAPHQL, variable_values={"ids": all_ids, "word": word}, context_value=Context(store, viewer, "prop")
        )
        assert result.errors is None, (context, result.errors)
        for node_id, entity in zip(all_ids, result.data["entities"], strict=True):
            if node_id not in oracle.nodes:
                assert entity is None, (context, node_id)
                continue
            rels = entity["relationships"]
            assert rels["totalCount"] == len(oracle.incident(node_id)), (context, node_id)
            assert {e["relationship"]["id"] for e in rels["edges"]} == oracle.incident(node_id), (context, node_id)
        assert {e["node"]["lintasId"] for e in result.data["search"]["edges"]} == oracle.search(word), context

        a = all_ids[next(pick) % len(all_ids)]
        b = all_ids[next(pick) % len(all_ids)]
        if a != b:
            if a not in oracle.nodes or b not in oracle.nodes:
                with pytest.raises(NotFound):
                    await shortest_paths(store, viewer, a, b)
            else:
                paths = await shortest_paths(store, viewer, a, b, relationship_types=types_filter, limit=100)
                got_paths = {(tuple(n.id for n in p.nodes), tuple(r.id for r in p.relationships)) for p in paths}
                assert got_paths == typed.shortest_paths(a, b), (context, a, b)
