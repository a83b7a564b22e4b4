"""The rows each operator of a statement's plan produced, read from one profiled run on either
backend: the bounded-read tests assert what a statement reads, never its speed."""

from __future__ import annotations

from neo4j import RoutingControl

from graphapi.store import GraphStore
from graphapi.store.falkordb import EmbeddedStore


async def rows_per_operator(store: GraphStore, name: str, params: dict, *,
                            routing: RoutingControl = RoutingControl.READ) -> dict[str, int]:
    """{operator: rows it produced} of statement ``name`` run once under the profiler (on Neo4j
    planned again on this graph, ``replan=force``: the other statements keep their plans, which
    clearing the query caches would drop for every later test of the worker)."""
    text = store.statements[name].render()
    if isinstance(store, EmbeddedStore):
        graph = store._graph
        lines = await graph.execute_command("GRAPH.PROFILE", graph.name, graph._build_params_header(params) + text)
        lines = [(line.decode() if isinstance(line, bytes) else line).strip() for line in lines]
        return {line.split("| Records produced:")[0].strip(): int(line.split("Records produced: ")[1].split(",")[0])
                for line in lines}
    _records, summary = await store._execute("CYPHER replan=force PROFILE " + text, params, routing)
    found: dict[str, int] = {}

    def walk(plan: dict) -> None:
        found[f"{plan['operatorType']} {plan.get('args', {}).get('Details', '')}"] = plan.get("rows", 0)
        for child in plan.get("children", []):
            walk(child)
    walk(summary.profile)
    return found
