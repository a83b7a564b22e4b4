"""A held-apart node, or another agency's placeholder, answers as an id nobody loaded to every
record of an agency outside its audience (attack round 30b, H1/H2): a placeholder whatever the
record's label, a held-apart node to a record of its own label (a record of another label, even one
refining it either way, is refused as on an id held from the start: attack rounds 31 and 33,
test_held_record_keeps_its_label.py).

TH-DSI loads a GREEN organization ``per-x``; VN-MPS's AMBER record on it is kept apart; TH-DSI
deletes it, so it is held apart for VN-MPS. A record naming ``per-x`` under another label (then a
Company on a Person) was refused "restricted: per-x is held by VN-MPS" and audited as a hit, where
without VN-MPS's record the same load created the node. Likewise KH-NP's AMBER link kept
TH-DSI's deleted person as KH-NP's placeholder, and TH-DSI's reload was refused naming KH-NP,
where a link to an id nobody loaded lets the load create it. Now such a record takes the id
over as a new item of its own label.
"""

import httpx
import pytest
from ingest_helpers import Records, node_props

from graphapi.app import create_app
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.security import Principal

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

SEEN = "2026-01-01T00:00:00Z"
KH_LOADER = Principal("feed-kh", agency="KH-NP", roles=frozenset({"loader"}))
INGEST = """mutation($records: [JSON!]!, $tlp: TLP!) { ingest(records: $records, dryRun: false, tlp: $tlp) {
  accepted nodesCreated rejected { index reason } } }"""


def _node(nid, label, owner, props, op="merge"):
    return NodeRecord(label, nid, props, Origin(f"ftm@{owner}", "x.json", 1), op=op)


async def _load(store, owner, *recs, tlp="GREEN"):
    return await run_load(store, Records(*recs), source=f"ftm@{owner}", provenance=Provenance(owner, tlp, seen=SEEN),
                          viewer=owner)


async def _held_for_vn(store, with_vn: bool, label="Organization"):
    await _load(store, "TH-DSI", _node("per-x", label, "TH-DSI", {"name": "Somchai Jaidee"}))
    if with_vn:
        await _load(store, "VN-MPS", _node("per-x", label, "VN-MPS", {"name": "Somchai Jaidee",
                                                                       "alias": ["Kraisorn"]}), tlp="AMBER")
    await _load(store, "TH-DSI", _node("per-x", label, "TH-DSI", {}, op="delete"))


def _outcome(s):
    return {"created": s.nodes_created, "restricted": s.restricted, "hits": s.hits,
            "rejected": [r.reason for r in s.rejections], "statements": s.statements_written}


@pytest.mark.parametrize("who", ["TH-DSI", "KH-NP"])
@pytest.mark.parametrize("label", ["Company", "Organization"])
async def test_a_record_of_the_held_label_takes_a_held_node_over_as_a_new_item(empty_store, who, label):
    got = []
    for with_vn in (False, True):
        await empty_store.clear()
        await _held_for_vn(empty_store, with_vn, label)
        got.append(_outcome(await _load(empty_store, who, _node("per-x", label, who, {"name": "Somchai Co"}))))
    assert got[1] == got[0] == {"created": 1, "restricted": 0, "hits": [], "rejected": [], "statements": 1}


@pytest.mark.parametrize("label", ["Company", "Organization"])
async def test_a_held_node_taken_over_carries_only_its_labels_and_the_records_values(empty_store, label):
    await _held_for_vn(empty_store, True, label)
    await _load(empty_store, "KH-NP", _node("per-x", label, "KH-NP", {"name": "Somchai Co"}))
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": ["per-x"]})
    assert sorted(row["labels"]) == sorted(load_model().label(label).labels)
    assert (row["props"]["owner"], row["props"]["tlp"], row["props"].get("heldApart")) == ("KH-NP", "GREEN", None)
    assert row["props"]["name"] == "Somchai Co" and "alias" not in row["props"]


async def _graphql_ingest_company(store, tlp):
    app = create_app(store=store, principal_provider=lambda request: KH_LOADER)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        r = await client.post("/graphql", json={"query": INGEST, "variables": {"tlp": tlp, "records": [
            {"kind": "node", "label": "Company", "id": "per-x", "properties": {"name": "Somchai Co"}}]}})
    return r.json()["data"]["ingest"]


@pytest.mark.parametrize("with_vn", [False, True])
async def test_graphql_ingest_of_a_company_on_a_held_id_is_accepted_as_new(empty_store, with_vn):
    await _held_for_vn(empty_store, with_vn, "Company")
    assert await _graphql_ingest_company(empty_store, "GREEN") == {"accepted": 1, "nodesCreated": 1, "rejected": []}


async def test_graphql_ingest_of_a_record_narrower_than_a_held_node_is_refused_as_on_any_held_id(empty_store):
    # KH-NP's AMBER record would hide VN-MPS's own record from it (attack round 30c): the hit rule
    await _held_for_vn(empty_store, True, "Company")
    assert await _graphql_ingest_company(empty_store, "AMBER") == {"accepted": 0, "nodesCreated": 0, "rejected": [
        {"index": 0, "reason": "restricted: per-x is held by VN-MPS at a level your agency may not see; not merged "
                               "(request access from the owner)"}]}


def _kh_link_to_per_x():
    rid = load_model().relationship_id("ASSOCIATE_OF", "per-kh", "per-x")
    return (_node("per-kh", "Person", "KH-NP", {"name": "Sok"}),
            EdgeRecord("ASSOCIATE_OF", rid, "per-kh", "per-x", {}, Origin("ftm@KH-NP", "x.json", 2)))


async def test_a_reload_of_a_node_held_as_another_agencys_placeholder_reads_as_on_an_id_only_linked(empty_store):
    # TH-DSI's person, KH-NP's AMBER link to it, TH-DSI's DEL: per-x is kept as KH-NP's placeholder
    await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI", {"name": "Somchai"}))
    await _load(empty_store, "KH-NP", *_kh_link_to_per_x(), tlp="AMBER")
    await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI", {}, op="delete"))
    after_delete = _outcome(await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI",
                                                                     {"name": "Somchai"})))
    await empty_store.clear()  # KH-NP linked to per-x nobody loaded, then TH-DSI loads it
    await _load(empty_store, "KH-NP", *_kh_link_to_per_x(), tlp="AMBER")
    only_linked = _outcome(await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI",
                                                                    {"name": "Somchai"})))
    assert after_delete == only_linked == {"created": 1, "restricted": 0, "hits": [], "rejected": [],
                                           "statements": 1}


async def test_a_placeholder_taken_over_is_the_records_owners_node(empty_store):
    await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI", {"name": "Somchai"}))
    await _load(empty_store, "KH-NP", *_kh_link_to_per_x(), tlp="AMBER")
    await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI", {}, op="delete"))
    await _load(empty_store, "TH-DSI", _node("per-x", "Person", "TH-DSI", {"name": "Somchai"}))
    props = await node_props(empty_store, "per-x")
    assert (props["owner"], props["tlp"], props["name"], props.get("unresolved"), props["sources"]) == (
        "TH-DSI", "GREEN", "Somchai", None, ["ftm@TH-DSI"])
