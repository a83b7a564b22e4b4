"""``analytics/scope_ties`` (a syndicate scope's step: each frontier node's visible neighbours)
walks out of each given node whatever statistics Neo4j planned it on. Planned right after a module
cleared the graph and loaded its own (tests/investigate/test_syndicate_scope.py after another
module, Neo4j's caches cleared), the far end as a pattern node ``(b:Entity)`` let the planner find
it by its visibility (the tlp and owner indexes) and pair it with every given node: 1,000-2,000
frontier ids read 4 million pages, 9-27 s a call for 0.1-0.7 s."""

import pytest
from neo4j import RoutingControl
from replan import replan

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.security import DEMO_PRINCIPAL

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.neo4j, pytest.mark.drops_neo4j_plans]

#: Operators that reach a node other than by walking from the given one, or that pair rows up.
NEO4J_QUADRATIC = ("Expand(Into)", "CartesianProduct", "NodeIndexScan", "AllNodesScan", "NodeByLabelScan",
                   "NodeHashJoin", "ValueHashJoin")


async def _everyone_tied_to_everyone(store, n: int) -> list[str]:
    """A complete directed graph of ``n`` people (as in test_edges_among_plan): the denser the
    graph, the more a walk out of a node costs in the planner's eyes."""
    people = [f"per-{i:02d}" for i in range(n)]
    records: list = [NodeRecord("Person", p, {"name": p}) for p in people]
    records += [EdgeRecord("ASSOCIATE_OF", f"a:{x}:{y}", x, y, {}) for x in people for y in people if x != y]
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="dense")
    return people


def _operators(plan: dict):
    yield plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", "")
    for child in plan.get("children", []):
        yield from _operators(child)


@pytest.mark.parametrize("n", [10, 60])
async def test_scope_ties_walks_out_of_each_given_node_on_a_dense_graph(neo4j_store, n):
    await neo4j_store.clear()
    people = await _everyone_tied_to_everyone(neo4j_store, n)
    params = {"ids": people, "types": None, "excluded": [], "since": None, "until": None,
              **DEMO_PRINCIPAL.cypher_params()}
    await replan(neo4j_store)
    text = neo4j_store.statements["analytics/scope_ties"].render()
    _records, summary = await neo4j_store._execute("EXPLAIN " + text, params, RoutingControl.WRITE)
    plan = list(_operators(summary.plan))

    shown = "\n".join(f"{op} {details}" for op, details in plan)
    seeks = [details for op, details in plan if "Seek" in op]
    assert len(seeks) == 1 and "WHERE id = nid" in seeks[0], shown  # the given node, by its id
    assert not [op for op, _ in plan if op.startswith(NEO4J_QUADRATIC)], shown
    rows = await neo4j_store.read("analytics/scope_ties", params)
    assert sorted(len(row["others"]) for row in rows) == [2 * (n - 1)] * n
    await neo4j_store.clear()
