"""Every read statement anchored on given ids seeks them and walks out of them, whatever statistics
Neo4j planned it on. On a dense graph with mixed levels, a far end written as a pattern node
``(b:Entity)`` under a visibility filter let the planner find it through the Entity(tlp) and
Entity(owner) indexes and pair every visible entity with each given id (CartesianProduct,
Expand(Into), NodeIndexScan): analytics/scope_ties read 4 million pages, 9-27 s a call
(tests/store/test_scope_ties_plan.py). This module plans each such statement (the Neo4j override
where there is one, as the store runs it) on one dense graph, its parameters from the statement's
own ``// param`` header, and reads each plan with EXPLAIN (nothing runs). It plans right after the
load, as a server does after one: Neo4j samples its indexes in the background, so the Entity(tlp)
and Entity(owner) samples may still be the empty graph's (the ones that made scope_ties pair; once
sampled, this graph plans it well). A plan that pairs or scans on either fails here."""

import random
import re

import pytest
import pytest_asyncio
from neo4j import RoutingControl
from replan import replan

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.store.statements import catalog

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.neo4j]

#: Operators that pair rows up, or that reach nodes other than from the given ids.
PAIRING = ("CartesianProduct",)
SCANS = ("NodeIndexScan", "NodeByLabelScan", "AllNodesScan")
#: Parameters that name given nodes: a statement with one of them is anchored on them.
ANCHORS = ("ids", "id", "a", "b", "case", "rels", "pages", "frontier")
#: Anchored on something other than an entity, and why its plan may read otherwise.
NOT_ENTITIES = {
    # an unshare's mark, a bookkeeping node that lives only while a cut-short unshare awaits its rerun
    "security/pending_unshare",
}
VIEWER = "KH-NP"
#: (owner, tlp, shared with): the levels the graph's entities and relationships are written at.
LEVELS = [("TH-DSI", "GREEN", ()), ("KH-NP", "AMBER", ()), ("VN-MPS", "RED", ()), ("KH-NP", "RED", ()),
          ("VN-MPS", "AMBER", ("KH-NP",)), ("VN-MPS", "AMBER+STRICT", ())]
#: How many entities of each label the graph holds: the people all tied to each other (as in
#: test_scope_ties_plan, the density that made the planner pair), the rest a few of each.
COUNTS = {"Person": 60, "Company": 6, "Phone": 12, "BankAccount": 10, "BorderCheckpoint": 4, "Case": 4,
          "Country": 4, "Address": 6, "IdentityDocument": 6, "Bank": 4}
#: (type, start label, end label, relationships per start node, dated)
TIES = [("ASSOCIATE_OF", "Person", "Person", COUNTS["Person"] - 1, False), ("FAMILY_OF", "Person", "Person", 2, False),
        ("USES_PHONE", "Person", "Phone", 2, True), ("HOLDS_ACCOUNT", "Person", "BankAccount", 1, False),
        ("HOLDS_DOCUMENT", "Person", "IdentityDocument", 1, False), ("LOCATED_AT", "Person", "Address", 1, True),
        ("CROSSED", "Person", "BorderCheckpoint", 3, True), ("INVOLVED_IN", "Person", "Case", 1, False),
        ("DIRECTOR_OF", "Person", "Company", 1, True), ("IN_COUNTRY", "Company", "Country", 1, False),
        ("AT_BANK", "BankAccount", "Bank", 1, False), ("CALLED", "Phone", "Phone", 6, True),
        ("TRANSFERRED_TO", "BankAccount", "BankAccount", 6, True)]


def _ids(label: str) -> list[str]:
    return [f"{label.lower()}-{i:03d}" for i in range(COUNTS[label])]


async def _load_dense_graph(store) -> list[EdgeRecord]:
    """About a hundred entities of several labels, 4,000 relationships, at every level: the
    relationships per entity (not the entities) make a walk look dear and a seek by level cheap."""
    rng = random.Random(45)
    by_level: dict[int, list] = {i: [] for i in range(len(LEVELS))}
    for label in COUNTS:
        for i, node in enumerate(_ids(label)):
            exchange = {"exchange": True} if label == "Bank" and i % 2 else {}  # analytics/exchange_holders'
            by_level[i % len(LEVELS)].append(NodeRecord(label, node, {"name": node, **exchange}))
    edges = []
    for kind, start, end, per, dated in TIES:
        for node in _ids(start):
            for far in rng.sample([x for x in _ids(end) if x != node], per):
                at = {"at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"} if dated else {}
                if kind == "TRANSFERRED_TO":
                    at |= {"amount": float(rng.randint(100, 9_000)), "currency": "USD"}
                edges.append(EdgeRecord(kind, f"{kind.lower()}:{node}:{far}", node, far, at))
    for i, edge in enumerate(edges):
        by_level[(i * 7) % len(LEVELS)].append(edge)
    for i, (owner, tlp, shared) in enumerate(LEVELS):
        await write_records(store, by_level[i], provenance=Provenance(owner=owner, tlp=tlp, shared_with=shared),
                            source=f"dense-{i}")
    return edges


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def dense(neo4j_store):
    """The dense graph, loaded once, planned on (replan), cleared after the module."""
    await neo4j_store.clear()
    edges = await _load_dense_graph(neo4j_store)
    await replan(neo4j_store)
    yield neo4j_store, edges
    await neo4j_store.clear()


def _params(statement, edges: list[EdgeRecord]) -> dict:
    """A value of each declared parameter, by its name and header type: given ids are real nodes."""
    people, phones = _ids("Person")[:40], _ids("Phone")[:10]
    given = people + phones + _ids("BankAccount")
    rels = [{"id": e.id, "start": e.start, "end": e.end} for e in edges[:40]]
    by_name = {
        "ids": given, "id": people[0], "a": people[0], "b": people[1], "case": _ids("Case")[0],
        "personId": people[0], "agency": VIEWER, "agencies": ["VN-MPS"], "owner": VIEWER, "source": "dense-1",
        "rels": rels, "rows": rels, "pages": [{"node": e["start"], "ids": [e["id"]]} for e in rels],
        "frontier": [{"key": i, "id": a, "low": None, "high": None} for i, a in enumerate(_ids("BankAccount"))],
        "direction": "DOWNSTREAM" if statement.name == "analytics/transfer_step" else "BOTH",
        "dated": [], "links": ["USES_PHONE", "HOLDS_ACCOUNT"], "property": "name", "since": "2024-01-01",
        "excluded": [], "avoid": [], "checkpoints": None, "backward": False, "masked": True, "scoped": False,
        "hiddenInline": 3, "cursorTime": None, "cursorId": None,
    }
    params = {}
    for name, declared in statement.params.items():
        kind = declared.split(" - ")[0].strip()
        if name in by_name:
            params[name] = by_name[name]
        elif kind.startswith("int"):
            params[name] = 25
        elif kind.startswith("float"):
            params[name] = 1.0
        elif kind.startswith("bool"):
            params[name] = False
        elif "null" in kind:
            params[name] = None
        elif kind.startswith("list[str]"):
            params[name] = []
        elif kind.startswith("str"):
            params[name] = "x"
        else:
            raise AssertionError(f"{statement.name}: no value for ${name}: {declared}")
    return params


PLACEHOLDERS = {"relationship": "ASSOCIATE_OF", "label": "Person", "property": "name"}


def _anchored_reads() -> list[str]:
    return [s.name for s in catalog("neo4j")
            if s.mode == "read" and set(s.params) & set(ANCHORS) and s.name not in NOT_ENTITIES]



def _operators(plan: dict):
    yield plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", "")
    for child in plan.get("children", []):
        yield from _operators(child)


#: Index seeks that find what the caller gave: an entity, a statement about it, a relationship by id.
BY_GIVEN = re.compile(r"(:Entity\(id\)|:Statement\(entity\)|:Statement\(id\)|\w+\(id\)\]->)")


def _nodes(plan: dict):
    yield plan
    for child in plan.get("children", []):
        yield from _nodes(child)


def _one_row_each(side: dict) -> bool:
    """A side of a CartesianProduct that seeks one value of the row (``id = x.start``), not a list."""
    seeks = [details for op, details in _operators(side) if "Seek" in op]
    return bool(seeks) and all(" IN " not in details.split(",")[0] for details in seeks)


def _flaws(plan: dict) -> list[str]:
    """What in the plan reaches nodes other than through the given ids, or pairs given ids up.

    A seek by a visibility property (tlp, owner) or any scan reaches nodes by what they are, not by
    who gave them; a CartesianProduct is only a pair of single rows when each side seeks one value
    of the row (``id = x.start``), never a list (``id IN $ids``: every given id with every other)."""
    flaws = [f"{op} {details}" for op, details in _operators(plan)
             if op.startswith(SCANS) or ("Seek" in op and not BY_GIVEN.search(details))]
    flaws += ["CartesianProduct of more than a row a side" for node in _nodes(plan)
              if node["operatorType"].startswith(PAIRING)
              and not all(_one_row_each(side) for side in node.get("children", []))]
    return flaws


async def _plan(store, name: str, params: dict) -> dict:
    statement = store.statements[name]
    text = statement.render(**{k: PLACEHOLDERS[kind] for k, kind in statement.placeholders.items()})
    _records, summary = await store._execute("EXPLAIN " + text, params, RoutingControl.WRITE)
    return summary.plan


@pytest.mark.parametrize("name", _anchored_reads())
async def test_a_read_anchored_on_given_ids_never_pairs_or_scans_on_a_dense_graph(dense, name):
    store, edges = dense
    plan = await _plan(store, name, _params(store.statements[name], edges))

    shown = "\n".join(f"{op} {details}" for op, details in _operators(plan))
    assert not _flaws(plan), shown
