"""Replan Neo4j's cached statements, as a production server does once the graph's statistics moved.

The test Neo4j never replans (graphapi/devserver/neo4j.py, JVM_OPTIONS_TESTS: every module clears
and loads its own graph, and replanning each time cost more than it saved). A module that loads a
graph orders of magnitude larger than the others' would otherwise run plans made for a few dozen
nodes: test_syndicate_scope's Neo4j cases took 149, 105 and 70 s in a fresh-clone CI (1e55ad7),
3.5 s alone. The embedded store plans every statement anew, so it has nothing to clear.
"""

from __future__ import annotations

from neo4j import RoutingControl

from graphapi.store import GraphStore
from graphapi.store.falkordb import EmbeddedStore


async def replan(store: GraphStore) -> None:
    """Drop Neo4j's cached plans: the next run of each statement is planned on this graph, its
    indexes sampled again first (``db.prepareForReplanning``): a cleared cache alone planned on
    samples taken while an earlier file's graph was loaded, and the anchored-plan test saw a
    NodeIndexScan where the Entity.id seek was planned on a fresh sample (ci79 of 721cf6d3, two
    analytics statements, after files that ran first in a new order)."""
    if not isinstance(store, EmbeddedStore):
        await store._execute("CALL db.prepareForReplanning(60)", {}, RoutingControl.WRITE)
