"""A take-over never changes what the holder's own record says the item is (attack round 31, MED).

VN-MPS holds per-x: its AMBER Person record, kept apart on TH-DSI's GREEN person, is held apart
once TH-DSI deleted it. KH-NP's GREEN record of per-x as a Company reached everyone, so it took the
id over under its label: VN-MPS's Person became KH-NP's Company "Somchai Co", VN-MPS's search for
its own person found nothing, and its ASSOCIATE_OF link ended on a Company. Now a record of another
kind of thing is refused as on an id VN-MPS held from the start ("held by VN-MPS", a hit); one of
the same label takes the node over as before; and a placeholder (a bare reference, whose label is a
guess) is taken over under any label. A label refining the held one either way is refused too
(attack round 33, finding 1): KH-NP's Organization on VN-MPS's held Company made it an
Organization, lost to VN-MPS's search for its Companies, its next Company record refused, and an
Organization still after KH-NP's DEL.
"""

import json

import pytest
from ingest_helpers import Records

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.investigate.search import search
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.trail import read_trail

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

M = load_model()
SEEN = "2026-01-01T00:00:00Z"
VN_LINK = M.relationship_id("ASSOCIATE_OF", "per-vn", "per-x")
KH_LINK = M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x")
VN = Principal("a-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
VN_AUDITOR = Principal("aud-vn", agency="VN-MPS", roles=frozenset({"auditor"}))
KH_LOADER = Principal("feed-kh", agency="KH-NP", roles=frozenset({"loader"}))
HELD_BY_VN = ("restricted: per-x is held by VN-MPS at a level your agency may not see; not merged "
              "(request access from the owner)")


async def load(store, owner, *recs, tlp="GREEN"):
    return await run_load(store, Records(*recs), source=f"ftm@{owner}", provenance=Provenance(owner, tlp, (), SEEN),
                          viewer=owner)


def px(owner, label="Person", props=None, op="merge"):
    return NodeRecord(label, "per-x", props or {}, Origin(f"ftm@{owner}", "x", 1), op=op)


async def vn_holds(store, label="Person", *, apart=True):
    """VN-MPS's AMBER record of per-x (a ``label``; a Person linked from VN-MPS's per-vn): held
    apart after TH-DSI's DEL of the GREEN record it was kept apart on, or VN-MPS's from the start."""
    if apart:
        await load(store, "TH-DSI", px("TH-DSI", label, {"name": "Somchai Jaidee"}))
    link = [NodeRecord("Person", "per-vn", {"name": "Nguyen Van A"}, Origin("ftm@VN-MPS", "v", 2)),
            EdgeRecord("ASSOCIATE_OF", VN_LINK, "per-vn", "per-x", {}, Origin("ftm@VN-MPS", "v", 3))]
    await load(store, "VN-MPS", px("VN-MPS", label, {"name": "Somchai Jaidee", "alias": ["Kraisorn"]}),
               *(link if label == "Person" else []), tlp="AMBER")
    if apart:
        await load(store, "TH-DSI", px("TH-DSI", label, op="delete"))


async def kh_placeholder(store):
    """per-x kept as KH-NP's placeholder: KH-NP's AMBER link to TH-DSI's person, then TH-DSI's DEL."""
    await load(store, "TH-DSI", px("TH-DSI", props={"name": "Somchai Jaidee"}))
    await load(store, "KH-NP", NodeRecord("Person", "per-kh", {"name": "Sok"}, Origin("ftm@KH-NP", "k", 1)),
               EdgeRecord("ASSOCIATE_OF", KH_LINK, "per-kh", "per-x", {}, Origin("ftm@KH-NP", "k", 2)), tlp="AMBER")
    await load(store, "TH-DSI", px("TH-DSI", op="delete"))


def outcome(summary):
    return {"created": summary.nodes_created, "restricted": summary.restricted, "hits": summary.hits,
            "rejected": [r.reason for r in summary.rejections], "statements": summary.statements_written}


async def stored_labels(store):
    [row] = await store.read("ingest/existing_nodes", {"ids": ["per-x"]})
    return sorted(row["labels"]), row["props"]["owner"], row["props"]["name"]


async def test_a_wider_record_of_another_label_leaves_the_holders_person_and_its_search_hit(empty_store):
    await vn_holds(empty_store)
    await load(empty_store, "KH-NP", px("KH-NP", "Company", {"name": "Somchai Co"}))
    r = await graphql_schema.execute(
        'query { entities(ids: ["per-x"]) { __typename caption } entity(id: "per-vn") { '
        'relationships { edges { node { __typename } } } } }', context_value=Context(empty_store, VN, "r"))
    assert r.errors is None and r.data["entities"] == [{"__typename": "Person", "caption": "Somchai Jaidee"}]
    assert r.data["entity"]["relationships"]["edges"] == [{"node": {"__typename": "Person"}}]
    assert (await search(empty_store, VN, "Somchai Jaidee")).total == 1
    assert await stored_labels(empty_store) == (["Entity", "Person"], "VN-MPS", "Somchai Jaidee")


@pytest.mark.parametrize("held,label", [("Person", "Company"), ("Company", "Bank"),
                                        ("Organization", "Company"), ("Company", "Organization")])
@pytest.mark.parametrize("who", ["KH-NP", "TH-DSI"])
async def test_a_record_of_another_label_on_a_held_record_is_refused_as_on_an_id_held_from_the_start(
        empty_store, who, held, label):
    got = []
    for apart in (True, False):
        await empty_store.clear()
        await vn_holds(empty_store, held, apart=apart)
        got.append(outcome(await load(empty_store, who, px(who, label, {"name": "Somchai Co"}))))
    assert got[0] == got[1] == {"created": 0, "restricted": 1, "hits": [("per-x", "VN-MPS")],
                                "rejected": [HELD_BY_VN], "statements": 0}


async def test_graphql_ingest_of_another_label_on_a_held_record_answers_and_audits_as_one_held_from_the_start(
        empty_store, tmp_path):
    got = []
    for apart in (True, False):
        await empty_store.clear()
        await vn_holds(empty_store, apart=apart)
        log = AuditLog(tmp_path / f"audit-{apart}.jsonl")
        r = await graphql_schema.execute(
            'mutation { ingest(tlp: GREEN, records: [{kind: "node", label: "Company", id: "per-x", '
            'properties: {name: "Somchai Co"}}]) { accepted rejected { index reason } } }',
            context_value=Context(empty_store, KH_LOADER, "req-1", audit=log))
        hits = [(e["subject"], e["operation"], e["arguments"]["restricted"])
                for e in read_trail(log, VN_AUDITOR, kind="hit").entries]
        got.append((r.data, hits))
    assert got[0] == got[1] == ({"ingest": {"accepted": 0, "rejected": [{"index": 0, "reason": HELD_BY_VN}]}},
                                [("feed-kh", "ingest", [["per-x", "VN-MPS"]])])


@pytest.mark.parametrize("label", ["Person", "Organization", "Company"])
async def test_a_record_of_the_held_label_takes_the_node_over(empty_store, label):
    await vn_holds(empty_store, label)
    got = outcome(await load(empty_store, "KH-NP", px("KH-NP", label, {"name": "Somchai Co"})))
    assert got == {"created": 1, "restricted": 0, "hits": [], "rejected": [], "statements": 1}
    assert await stored_labels(empty_store) == (sorted(M.label(label).labels), "KH-NP", "Somchai Co")


async def test_a_broader_record_leaves_the_holders_company_a_company_found_by_its_search(empty_store):
    await vn_holds(empty_store, "Company")
    before = (await search(empty_store, VN, "Somchai Jaidee", labels=["Company"])).total
    await load(empty_store, "KH-NP", px("KH-NP", "Organization", {"name": "Somchai Co"}))
    after = (await search(empty_store, VN, "Somchai Jaidee", labels=["Company"])).total
    assert (before, after) == (1, 1)
    assert await stored_labels(empty_store) == (["Company", "Entity", "Organization"], "VN-MPS", "Somchai Jaidee")


async def test_after_a_broader_record_the_holders_next_record_of_its_company_loads(empty_store):
    await vn_holds(empty_store, "Company")
    await load(empty_store, "KH-NP", px("KH-NP", "Organization", {"name": "Somchai Co"}))
    again = px("VN-MPS", "Company", {"name": "Somchai Jaidee", "alias": ["Kraisorn", "K2"]})
    s = await load(empty_store, "VN-MPS", again, tlp="AMBER")
    assert (s.rows_loaded, [r.reason for r in s.rejections]) == (1, [])


@pytest.mark.parametrize("held,label", [("Company", "Organization"), ("Organization", "Company")])
async def test_after_a_refining_record_and_its_delete_the_holders_record_has_its_own_label(empty_store, held, label):
    await vn_holds(empty_store, held)
    await load(empty_store, "KH-NP", px("KH-NP", label, {"name": "Somchai Co"}))
    await load(empty_store, "KH-NP", px("KH-NP", label, op="delete"))
    assert await stored_labels(empty_store) == (sorted(M.label(held).labels), "VN-MPS", "Somchai Jaidee")


async def test_a_placeholder_is_taken_over_under_another_label(empty_store):
    await kh_placeholder(empty_store)
    got = outcome(await load(empty_store, "LA-POL", px("LA-POL", "Company", {"name": "Somchai Co"})))
    assert got == {"created": 1, "restricted": 0, "hits": [], "rejected": [], "statements": 1}
    assert await stored_labels(empty_store) == (["Company", "Entity", "Organization"], "LA-POL", "Somchai Co")


async def held_by_vn_then(store, held, label):
    await vn_holds(store, held)
    await load(store, "KH-NP", px("KH-NP", label, {"name": "Somchai Co"}))


async def placeholder_then(store, held, label):
    await kh_placeholder(store)
    await load(store, "LA-POL", px("LA-POL", label, {"name": "Somchai Co"}))


SCENARIOS = {  # name -> (steps, held label, record label)
    "refused": (held_by_vn_then, "Person", "Company"),
    "same-label": (held_by_vn_then, "Person", "Person"),
    "refining-refused": (held_by_vn_then, "Organization", "Company"),
    "broader-refused": (held_by_vn_then, "Company", "Organization"),
    "placeholder": (placeholder_then, "Person", "Company"),
}


def graph_of(snapshot):
    """Every node (labels, properties) and relationship of ``admin/snapshot``, in one order."""
    nodes = sorted(json.dumps([sorted(n["labels"]), n["props"]], sort_keys=True) for n in snapshot["nodes"])
    edges = sorted(json.dumps(e, sort_keys=True) for e in snapshot["relationships"] if e["type"] is not None)
    return nodes, edges


@pytest.mark.neo4j
@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_each_take_over_leaves_the_same_graph_on_both_backends(embedded_store, neo4j_store, name):
    steps, held, label = SCENARIOS[name]
    graphs = []
    for store in (embedded_store, neo4j_store):
        await store.clear()
        await steps(store, held, label)
        graphs.append(graph_of((await store.read("admin/snapshot"))[0]))
    assert graphs[0][0] and graphs[0] == graphs[1]
