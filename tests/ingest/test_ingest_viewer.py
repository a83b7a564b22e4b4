"""A load run for an agency (HTTP jobs, ingest) meets other agencies' data without changing who
holds it, who it is shared with, how far it is seen, or what it is."""

from __future__ import annotations

import pytest
from ingest_helpers import Records, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

VN = Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("TH-DSI",), seen="2026-01-01T00:00:00")
OPEN = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")



def person(pid: str, source: str = "vn", op: str = "merge", **props) -> NodeRecord:
    return NodeRecord("Person", pid, {"name": "Nguyen Van B", **props}, Origin(source, "f.json", 1), op=op)


async def statement_levels(store, item_id: str, prop: str) -> list[tuple[str, str, str]]:
    """(owner, tlp, value) of each stored statement about ``item_id`` asserting ``prop``."""
    rows = await store.read("provenance/statements_of", {"ids": [item_id]})
    return sorted((r["props"]["owner"], r["props"]["tlp"], v) for r in rows
                  for p, v in zip(r["props"]["property"], r["props"]["value"], strict=True) if p == prop)


async def load(store, *items, prov, viewer=None, source="vn"):
    return await run_load(store, Records(*items), source=source, provenance=prov, viewer=viewer)


async def test_another_agencys_replace_is_only_a_merge_and_the_owner_keeps_the_node(empty_store):
    await load(empty_store, person("per-b", birthDate=["1990-01-01"]), prov=VN)
    th = Provenance(owner="TH-DSI", tlp="RED", seen="2026-02-01T00:00:00")
    await load(empty_store, person("per-b", source="vn", op="replace", name="Hijacked"), prov=th, viewer="TH-DSI")
    stored = await node_props(empty_store, "per-b")
    assert (stored["owner"], stored["tlp"], stored["name"]) == ("VN-MPS", "AMBER", "Nguyen Van B")
    assert stored["birthDate"] == ["1990-01-01"]


async def test_another_agencys_record_cannot_widen_the_sharing(empty_store):
    await load(empty_store, person("per-c"), prov=VN)
    th = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("KH-NP",), seen="2026-02-01T00:00:00")
    await load(empty_store, person("per-c", source="th"), prov=th, viewer="TH-DSI", source="th")
    assert (await node_props(empty_store, "per-c"))["sharedWith"] == ["TH-DSI"]


async def test_a_record_stricter_than_the_node_it_meets_is_kept_apart_in_its_own_statement(empty_store):
    # issue 12 (new-user trial 8): it was refused as "would disclose"; its values are its own
    # statement's, read by its audience alone, and the node's fields stay as every reader saw them
    await load(empty_store, person("per-d", source="ofac"), prov=OPEN, source="ofac")
    before = await node_props(empty_store, "per-d")
    vn_red = Provenance(owner="VN-MPS", tlp="RED", seen="2026-02-01T00:00:00")
    summary = await load(empty_store, person("per-d", alias=["SECRET INFORMANT ALIAS"]), prov=vn_red, viewer="VN-MPS")
    assert (summary.rejections, summary.restricted, summary.nodes_updated) == ([], 0, 0)
    assert await node_props(empty_store, "per-d") == before  # its fields, sources and lastSeen
    assert await statement_levels(empty_store, "per-d", "alias") == [("VN-MPS", "RED", "SECRET INFORMANT ALIAS")]


async def test_a_record_cannot_turn_a_person_into_a_company(empty_store):
    await load(empty_store, person("per-e"), prov=VN)
    company = NodeRecord("Company", "per-e", {"name": "Front Co"}, Origin("vn", "f.json", 2))
    summary = await load(empty_store, company, prov=VN)
    assert [r.reason for r in summary.rejections] == [
        "label conflict: per-e is a Person (as stored, from vn), not a Company; not merged"]
    rows = await empty_store.read("ingest/existing_nodes", {"ids": ["per-e"]})
    assert "Company" not in rows[0]["labels"]


async def test_a_label_conflict_names_no_earlier_source_to_an_agencys_load(empty_store):
    # the stored node's sources may be another agency's, whose statements the agency may not see
    await load(empty_store, person("per-f"), prov=VN)
    company = NodeRecord("Company", "per-f", {"name": "Front Co"}, Origin("vn", "f.json", 2))
    summary = await load(empty_store, company, prov=VN, viewer="VN-MPS")
    assert [r.reason for r in summary.rejections] == [
        "label conflict: per-f is a Person (as stored), not a Company; not merged"]


async def test_another_agencys_delete_leaves_the_node(empty_store):
    await load(empty_store, person("per-f", source="ftm"), prov=VN, source="ftm")
    kh = Provenance(owner="KH-NP", tlp="AMBER", seen="2026-02-01T00:00:00")
    kh_delete = person("per-f", source="ftm@KH-NP", op="delete")  # an agency's load writes under its own source
    summary = await load(empty_store, kh_delete, prov=kh, viewer="KH-NP", source="ftm@KH-NP")
    stored = await node_props(empty_store, "per-f")
    assert summary.nodes_deleted == 0 and (stored["owner"], stored["sources"]) == ("VN-MPS", ["ftm"])
    gone = person("per-f", source="ftm", op="delete")
    summary = await load(empty_store, gone, prov=VN, viewer="VN-MPS", source="ftm")
    assert summary.nodes_deleted == 1 and await node_props(empty_store, "per-f") == {}


async def test_the_owners_delete_leaves_a_node_another_owners_relationship_holds_as_its_placeholder(empty_store):
    # attack round 23, C1: the node is the owner's no more (no statement of its left): TH's link
    # holds it as a placeholder, which the owner no longer sees, so to it the node is deleted
    await load(empty_store, person("per-g", source="ftm"), person("per-h", source="ftm"), prov=VN, source="ftm")
    th = Provenance(owner="TH-DSI", tlp="RED", seen="2026-02-01T00:00:00")
    link = EdgeRecord("ASSOCIATE_OF", "assoc-gh", "per-g", "per-h", {}, Origin("th", "t.csv", 2))
    await load(empty_store, link, prov=th, source="th")
    for node in ("per-g", "per-h"):
        summary = await load(empty_store, person(node, source="ftm", op="delete"), prov=VN, viewer="VN-MPS",
                             source="ftm")
        stored = await node_props(empty_store, node)
        assert (summary.nodes_deleted, stored["owner"], stored["unresolved"], stored.get("name")) == (
            1, "TH-DSI", True, None)


async def test_an_operator_load_at_red_into_another_agencys_clear_node_is_kept_apart(empty_store):
    kh = Provenance(owner="KH-NP", tlp="CLEAR", seen="2026-01-01T00:00:00")
    await load(empty_store, person("per-i", source="kh"), prov=kh, source="kh")
    vn_red = Provenance(owner="VN-MPS", tlp="RED", seen="2026-02-01T00:00:00")
    summary = await load(empty_store, person("per-i", notes="RED informant detail"), prov=vn_red)  # no viewer
    assert summary.rejections == [] and "notes" not in await node_props(empty_store, "per-i")
    assert await statement_levels(empty_store, "per-i", "notes") == [("VN-MPS", "RED", "RED informant detail")]


async def test_an_operator_load_for_an_agency_into_a_node_it_may_not_see_is_refused(empty_store):
    # no statement is kept about what its owner may not see: an agency's own load meets such a
    # node as restricted; the operator's, for that agency, as would disclose
    kh = Provenance(owner="KH-NP", tlp="RED", seen="2026-01-01T00:00:00")
    await load(empty_store, person("per-i", source="kh"), prov=kh, source="kh")
    vn_red = Provenance(owner="VN-MPS", tlp="RED", seen="2026-02-01T00:00:00")
    summary = await load(empty_store, person("per-i", notes="RED informant detail"), prov=vn_red)  # no viewer
    assert summary.rejections[0].reason.startswith("would disclose: your record is RED but per-i is RED, held by KH-NP")
    assert await statement_levels(empty_store, "per-i", "notes") == []


async def test_a_record_meant_for_fewer_agencies_than_see_the_item_is_kept_apart(empty_store):
    wide = Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("TH-DSI", "KH-NP"), seen="2026-01-01T00:00:00")
    await load(empty_store, person("per-j"), prov=wide)
    th_only = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-02-01T00:00:00")
    summary = await load(empty_store, person("per-j", source="th", notes="TH-only note"), prov=th_only,
                         viewer="TH-DSI", source="th")
    assert summary.rejections == [] and "notes" not in await node_props(empty_store, "per-j")
    assert await statement_levels(empty_store, "per-j", "notes") == [("TH-DSI", "AMBER", "TH-only note")]


async def test_resolving_another_agencys_placeholder_keeps_who_holds_it(empty_store):
    placeholder = NodeRecord("Company", "co-k", {"name": "co-k"}, Origin("vn", "f.json", 1), unresolved=True)
    vn_clear = Provenance(owner="VN-MPS", tlp="CLEAR", seen="2026-01-01T00:00:00")
    await load(empty_store, placeholder, prov=vn_clear)
    kh = Provenance(owner="KH-NP", tlp="CLEAR", seen="2026-02-01T00:00:00")
    real = NodeRecord("Company", "co-k", {"name": "K Holdings"}, Origin("kh", "k.json", 1))
    await load(empty_store, real, prov=kh, viewer="KH-NP", source="kh")
    stored = await node_props(empty_store, "co-k")
    assert (stored["owner"], stored["tlp"], stored["name"]) == ("VN-MPS", "CLEAR", "K Holdings")
    assert "unresolved" not in stored


async def test_a_bare_reference_leaves_the_stored_node_as_it_was(empty_store):
    await load(empty_store, NodeRecord("Company", "co-open", {"name": "Open Co"}, Origin("ofac", "sdn.csv", 2)),
               prov=OPEN, source="ofac")
    th_red = Provenance(owner="TH-DSI", tlp="RED", seen="2026-02-01T00:00:00")
    reference = NodeRecord("Company", "co-open", {"name": "co-open"}, Origin("th", "t.json", 1), unresolved=True)
    owner = person("per-th", source="th")
    owns = EdgeRecord("OWNS", "owns-th", "per-th", "co-open", {}, Origin("th", "t.json", 1))
    summary = await load(empty_store, owner, reference, owns, prov=th_red, viewer="TH-DSI", source="th")
    assert (await node_props(empty_store, "co-open"))["sources"] == ["ofac"]
    assert summary.relationships_created == 1 and summary.restricted == 0


async def test_naming_a_shared_phone_again_at_a_stricter_level_is_neither_merged_nor_refused(empty_store):
    phone = NodeRecord("Phone", "phone:+66877000555", {"number": "+66877000555"}, Origin("ofac", "sdn.csv", 2))
    await load(empty_store, phone, prov=OPEN, source="ofac")
    th_red = Provenance(owner="TH-DSI", tlp="RED", seen="2026-02-01T00:00:00")
    again = NodeRecord("Phone", "phone:+66877000555", {"number": "+66877000555"}, Origin("th", "t.csv", 2))
    summary = await load(empty_store, again, prov=th_red, viewer="TH-DSI", source="th")
    assert (summary.restricted, summary.rejections) == (0, [])
    assert (await node_props(empty_store, "phone:+66877000555"))["sources"] == ["ofac"]


async def test_a_person_may_not_take_an_id_of_the_form_of_a_phones(empty_store):
    # attack round 8, L2: VN-MPS made a RED Person "phone:+66819990011", and TH-DSI's record of
    # that phone was then refused as another agency's hidden item
    squat = NodeRecord("Person", "phone:+66819990011", {"name": "Squatter"}, Origin("vn", "v.json", 4))
    summary = await load(empty_store, squat, prov=Provenance(owner="VN-MPS", tlp="RED"), viewer="VN-MPS")
    (refusal,) = summary.rejections
    assert (refusal.line, refusal.reason) == (
        4, "id 'phone:+66819990011' has the form of a Phone's id; a Person takes another id")
    assert await node_props(empty_store, "phone:+66819990011") == {}


async def test_a_person_may_not_take_an_id_of_the_form_of_a_relationships(empty_store):
    # attack round 25, F1: a Person named after a hidden victim's INVOLVED_IN id (computable from a
    # guess of its ends) read that relationship's statements as its own sources
    squat = NodeRecord("Person", "involved_in:89557f2f13ee1158cffa", {"name": "Probe"}, Origin("vn", "v.json", 3))
    summary = await load(empty_store, squat, prov=Provenance(owner="VN-MPS", tlp="RED"), viewer="VN-MPS")
    (refusal,) = summary.rejections
    assert (refusal.line, refusal.reason) == (
        3, "id 'involved_in:89557f2f13ee1158cffa' has the form of a relationship's id; a Person takes another id")
    assert await node_props(empty_store, "involved_in:89557f2f13ee1158cffa") == {}
