"""A delta DEL retracts only the deleting load's own assertions: it deletes a node or relationship
only when the load's owner and source are all that assert it (a node: and everything attached to
it), otherwise it withdraws the load's source and leaves the item; the summary counts both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import Records, graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")
TH = Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-02-01T00:00:00")
A = {"id": "per-a", "schema": "Person", "properties": {"name": ["Alpha"]}}
B = {"id": "per-b", "schema": "Person", "properties": {"name": ["Beta"]}}
C = {"id": "co-c", "schema": "Company", "properties": {"name": ["Gamma Co"]}}
OWNS = {"id": "own-ac", "schema": "Ownership", "properties": {"owner": ["per-a"], "asset": ["co-c"]}}
DIRECTS = {"id": "dir-ac", "schema": "Directorship", "properties": {"director": ["per-a"], "organization": ["co-c"]}}



def _ftm(tmp_path: Path, name: str, *docs: dict) -> FtmReader:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return FtmReader([path])


def _delete(doc: dict) -> dict:
    return {"op": "DEL", "entity": doc}


async def test_ftm_delete_keeps_a_node_that_carries_another_agencys_relationship_and_that_relationship(
        empty_store, tmp_path: Path) -> None:
    await run_load(empty_store, _ftm(tmp_path, "base.json", A, B), source="ftm", provenance=PUBLIC)
    link = EdgeRecord("ASSOCIATE_OF", "assoc-ab", "per-a", "per-b", {}, Origin("th", "t.csv", 2))
    await run_load(empty_store, Records(link), source="th", provenance=TH)
    s = await run_load(empty_store, _ftm(tmp_path, "del.json", _delete(A)), source="ftm", provenance=PUBLIC)
    assert await graph_counts(empty_store) == (2, 1)  # TH's relationship and both its ends stay
    assert (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted) == (0, 1, 0)
    stored = await node_props(empty_store, "per-a")  # held as the placeholder of TH's link (round 23, C1)
    assert (stored["owner"], stored["sources"], stored["unresolved"], stored.get("name")) == (
        "TH-DSI", ["th"], True, None)


async def test_ftm_delete_removes_the_nodes_own_relationships_with_it_and_counts_them(
        empty_store, tmp_path: Path) -> None:
    await run_load(empty_store, _ftm(tmp_path, "base.json", A, C, OWNS, DIRECTS), source="ftm", provenance=PUBLIC)
    assert await graph_counts(empty_store) == (2, 2)
    s = await run_load(empty_store, _ftm(tmp_path, "del.json", _delete(A)), source="ftm", provenance=PUBLIC)
    assert await graph_counts(empty_store) == (1, 0)
    assert (s.nodes_deleted, s.relationships_deleted, s.nodes_retracted, s.relationships_retracted) == (1, 2, 0, 0)


async def test_ftm_delete_of_both_ends_of_a_relationship_counts_it_once(empty_store, tmp_path: Path) -> None:
    await run_load(empty_store, _ftm(tmp_path, "base.json", A, C, OWNS), source="ftm", provenance=PUBLIC)
    s = await run_load(empty_store, _ftm(tmp_path, "del.json", _delete(A), _delete(C)), source="ftm",
                       provenance=PUBLIC)
    assert await graph_counts(empty_store) == (0, 0)
    assert (s.nodes_deleted, s.relationships_deleted) == (2, 1)


async def test_ftm_delete_of_a_relationship_another_source_also_asserts_withdraws_only_the_source(
        empty_store, tmp_path: Path) -> None:
    await run_load(empty_store, _ftm(tmp_path, "base.json", A, C, OWNS), source="ftm", provenance=PUBLIC)
    partner = FtmReader([tmp_path / "base.json"], source="partner")
    await run_load(empty_store, partner, source="partner", provenance=PUBLIC)
    s = await run_load(empty_store, _ftm(tmp_path, "del.json", _delete(OWNS)), source="ftm", provenance=PUBLIC)
    assert await graph_counts(empty_store) == (2, 1)
    assert (s.relationships_deleted, s.relationships_retracted) == (0, 1)
    rows = await empty_store.read("expand/edges_among", {"ids": ["per-a", "co-c"], "types": None, "excluded": [],
                                                          "since": None, "until": None, "limit": 10, "agency": None})
    assert [r["rel"]["properties"]["sources"] for r in rows] == [["partner"]]


async def test_an_agencys_delete_withdraws_its_own_source_from_another_agencys_node(empty_store) -> None:
    vn = Provenance(owner="VN-MPS", tlp="GREEN", seen="2026-01-01T00:00:00")
    node = NodeRecord("Person", "per-v", {"name": "Vo Thi C"}, Origin("ftm@VN-MPS", "v.json", 1))
    await run_load(empty_store, Records(node), source="ftm@VN-MPS", provenance=vn, viewer="VN-MPS")
    merged = NodeRecord("Person", "per-v", {"alias": ["Co Vo"]}, Origin("ftm@TH-DSI", "t.json", 1))
    await run_load(empty_store, Records(merged), source="ftm@TH-DSI", provenance=TH, viewer="TH-DSI")
    assert (await node_props(empty_store, "per-v"))["sources"] == ["ftm@VN-MPS", "ftm@TH-DSI"]
    gone = NodeRecord("Person", "per-v", {}, Origin("ftm@TH-DSI", "t.json", 2), op="delete")
    s = await run_load(empty_store, Records(gone), source="ftm@TH-DSI", provenance=TH, viewer="TH-DSI")
    stored = await node_props(empty_store, "per-v")
    assert (stored["owner"], stored["sources"]) == ("VN-MPS", ["ftm@VN-MPS"])
    assert (s.nodes_deleted, s.nodes_retracted) == (0, 1)


async def test_an_operators_delete_under_another_owner_leaves_a_source_of_the_same_name_alone(
        empty_store, tmp_path: Path) -> None:
    await run_load(empty_store, _ftm(tmp_path, "base.json", A), source="ftm", provenance=PUBLIC)
    kh = Provenance(owner="KH-NP", tlp="CLEAR", seen="2026-02-01T00:00:00")
    s = await run_load(empty_store, _ftm(tmp_path, "del.json", _delete(A)), source="ftm", provenance=kh)
    assert (await node_props(empty_store, "per-a"))["sources"] == ["ftm"]  # public's "ftm", not KH's
    assert (s.nodes_deleted, s.nodes_retracted) == (0, 0)
