"""``expand/edges_among`` (the relationships among given nodes: a syndicate's shown subgraph, a
neighbourhood's edges) walks out of each given node and keeps the far ends among them, whatever
statistics Neo4j planned it on. With the far end a pattern node filtered by ``b.id IN $ids`` the
planner was free to seek it too, and on a dense graph it did: per given id a seek of every given
id and an Expand(Into) per pair, or a scan of every Entity per id, or a seek of every given id
and a walk back from each. Cached over an earlier test file's graph (the test Neo4j never
replans), that plan made a 1,000-id call of the syndicate tests take 30-50 s instead of 0.4 s."""

import pytest
from neo4j import RoutingControl
from replan import replan

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.security import DEMO_PRINCIPAL
from graphapi.store.falkordb import EmbeddedStore

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends, pytest.mark.drops_neo4j_plans]

#: Operators that reach a node other than by walking from the given one, or that pair rows up.
NEO4J_QUADRATIC = ("Expand(Into)", "CartesianProduct", "NodeIndexScan", "AllNodesScan", "NodeByLabelScan",
                   "NodeHashJoin", "ValueHashJoin")
FALKOR_SCANS = ("All Node Scan", "Node By Label Scan", "Cartesian Product")


async def _everyone_tied_to_everyone(store, n: int) -> list[str]:
    """A complete directed graph of ``n`` people: the denser the graph, the more a walk out of a
    node costs in the planner's eyes, and the cheaper a seek of the far end looks."""
    people = [f"per-{i:02d}" for i in range(n)]
    records: list = [NodeRecord("Person", p, {"name": p}) for p in people]
    records += [EdgeRecord("ASSOCIATE_OF", f"a:{x}:{y}", x, y, {}) for x in people for y in people if x != y]
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="dense")
    return people


async def _plan(store, params: dict) -> list[tuple[str, str]]:
    """(operator, details) of the plan the store makes now, from this graph's statistics."""
    text = store.statements["expand/edges_among"].render()
    if isinstance(store, EmbeddedStore):
        graph = store._graph
        lines = await graph.execute_command("GRAPH.EXPLAIN", graph.name, graph._build_params_header(params) + text)
        return [((line.decode() if isinstance(line, bytes) else line).strip(), "") for line in lines]
    await replan(store)
    _records, summary = await store._execute("EXPLAIN " + text, params, RoutingControl.WRITE)
    return list(_neo4j_operators(summary.plan))


def _neo4j_operators(plan: dict):
    yield plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", "")
    for child in plan.get("children", []):
        yield from _neo4j_operators(child)


@pytest.mark.parametrize("n", [10, 30, 60])
async def test_edges_among_walks_out_of_each_given_node_on_a_dense_graph(backend_empty_store, n):
    store = backend_empty_store
    people = await _everyone_tied_to_everyone(store, n)
    params = {"ids": people, "types": None, "excluded": [], "since": None, "until": None, "limit": n * n,
              **DEMO_PRINCIPAL.cypher_params()}

    plan = await _plan(store, params)

    shown = "\n".join(f"{op} {details}" for op, details in plan)
    if isinstance(store, EmbeddedStore):
        assert [op for op, _ in plan if op.startswith("Node By Index Scan")], shown
        assert not [op for op, _ in plan if op.startswith(FALKOR_SCANS)], shown
        # FalkorDB binds the relationships of the pairs a walk out of each given node found (an
        # untyped relationship bound on the walk is slow there), never of pairs made up otherwise
        ops = [op for op, _ in plan]
        walk = ops.index("Conditional Traverse | (a)->(b:Entity)")
        into = [i for i, op in enumerate(ops) if op.startswith("Expand Into")]
        assert len(into) == 1 and into[0] < walk and "Distinct" in ops[into[0]:walk], shown
    else:
        seeks = [details for op, details in plan if "Seek" in op]
        assert len(seeks) == 1 and "WHERE id = nid" in seeks[0], shown  # the given node, by its id
        assert not [op for op, _ in plan if op.startswith(NEO4J_QUADRATIC)], shown
    rows = await store.read("expand/edges_among", params)
    assert len(rows) == n * (n - 1)
