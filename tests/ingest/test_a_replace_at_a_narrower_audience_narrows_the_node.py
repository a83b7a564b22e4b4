"""A whole-source replace that says the same records to a narrower audience (sharedWith LA-POL ->
none, or -> TH-POLICE; GREEN -> RED), or an owner's FtM MOD at a narrower level, narrows the
owner's node to it: its values rebuilt from the new statement, seen by the new audience only,
as a fresh load of the final version gives (docs/provenance.md, "the node narrows to it").
Before, the node kept its old level and sharing with no value at all: no name, no sources, its
caption its id (attack round 35, 0)."""
import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
SEEN = "2026-01-01T00:00:00Z"
ANNA = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Lee"]}}


async def _load(store, tmp_path, *, level="AMBER", shared=(), replace=False, owner="KH-NP"):
    f = tmp_path / "feed.ftm.json"
    f.write_text(json.dumps(ANNA) + "\n", encoding="utf-8")
    return await run_load(store, FtmReader([f], source="feed"), source="feed", replace=replace,
                          viewer=owner, provenance=Provenance(owner, level, tuple(shared), SEEN))


async def _node(store):
    [snap] = await store.read("admin/snapshot")
    [node] = [n["props"] for n in snap["nodes"] if n["props"].get("id") == "p-1"]
    return {k: node.get(k) for k in ("name", "sources", "tlp", "sharedWith")}


async def _name_read_by(store, agency):
    rows = await store.read("entity/by_ids", {"ids": ["p-1"], "agency": agency})
    return rows[0]["node"]["properties"].get("name") if rows else None


async def test_a_fresh_load_at_the_narrower_audience_is_what_the_replace_must_give(empty_store, tmp_path):
    await _load(empty_store, tmp_path)
    assert await _node(empty_store) == {"name": "Anna Lee", "sources": ["feed"], "tlp": "AMBER", "sharedWith": None}


async def test_a_replace_shared_with_no_one_keeps_the_name_and_stops_sharing(empty_store, tmp_path):
    await _load(empty_store, tmp_path, shared=("LA-POL",))
    await _load(empty_store, tmp_path, replace=True)
    assert await _node(empty_store) == {"name": "Anna Lee", "sources": ["feed"], "tlp": "AMBER", "sharedWith": None}


async def test_a_replace_shared_with_another_agency_moves_the_sharing_to_it(empty_store, tmp_path):
    await _load(empty_store, tmp_path, shared=("LA-POL",))
    await _load(empty_store, tmp_path, shared=("TH-POLICE",), replace=True)
    assert await _node(empty_store) == {"name": "Anna Lee", "sources": ["feed"], "tlp": "AMBER",
                                        "sharedWith": ["TH-POLICE"]}
    assert (await _name_read_by(empty_store, "TH-POLICE"), await _name_read_by(empty_store, "LA-POL")) == (
        "Anna Lee", None)


async def test_the_owner_reads_her_name_after_the_narrower_replace(empty_store, tmp_path):
    await _load(empty_store, tmp_path, shared=("LA-POL",))
    await _load(empty_store, tmp_path, replace=True)
    assert await _name_read_by(empty_store, "KH-NP") == "Anna Lee"


async def test_the_agency_shared_with_before_no_longer_reads_the_node(empty_store, tmp_path):
    await _load(empty_store, tmp_path, shared=("LA-POL",))
    await _load(empty_store, tmp_path, replace=True)
    assert await empty_store.read("entity/by_ids", {"ids": ["p-1"], "agency": "LA-POL"}) == []


async def test_a_replace_at_a_narrower_level_narrows_the_node_to_it(empty_store, tmp_path):
    await _load(empty_store, tmp_path, level="GREEN")
    await _load(empty_store, tmp_path, level="RED", replace=True)
    assert await _node(empty_store) == {"name": "Anna Lee", "sources": ["feed"], "tlp": "RED", "sharedWith": None}
    assert await _name_read_by(empty_store, "TH-DSI") is None


async def test_a_plain_reload_at_a_narrower_audience_keeps_the_name(empty_store, tmp_path):
    await _load(empty_store, tmp_path, shared=("LA-POL",))
    await _load(empty_store, tmp_path)
    assert (await _node(empty_store))["name"] == "Anna Lee"


async def test_an_owners_ftm_mod_at_a_narrower_level_narrows_her_node(empty_store, tmp_path):
    f, d = tmp_path / "a.ftm.json", tmp_path / "b.delta.json"
    f.write_text(json.dumps(ANNA) + "\n", encoding="utf-8")
    d.write_text(json.dumps({"op": "MOD", "entity": ANNA}) + "\n", encoding="utf-8")
    for path, level in ((f, "GREEN"), (d, "RED")):
        await run_load(empty_store, FtmReader([path]), source="ftm", provenance=Provenance("TH-DSI", level, (), SEEN))
    assert (await _name_read_by(empty_store, "TH-DSI"), await _name_read_by(empty_store, "KH-NP")) == (
        "Anna Lee", None)
    assert (await _node(empty_store))["tlp"] == "RED"


async def test_a_replace_shared_with_no_one_narrows_a_membership_keeping_its_role(empty_store, tmp_path):
    org = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
    member = {"id": "m-1", "schema": "Membership",
              "properties": {"member": ["p-1"], "organization": ["o-2"], "role": ["clerk"]}}
    f = tmp_path / "feed.ftm.json"
    f.write_text("".join(json.dumps(e) + "\n" for e in (ANNA, org, member)), encoding="utf-8")
    for shared, replace in ((("LA-POL",), False), ((), True)):
        await run_load(empty_store, FtmReader([f], source="feed"), source="feed", replace=replace,
                       viewer="KH-NP", provenance=Provenance("KH-NP", "AMBER", shared, SEEN))
    [snap] = await empty_store.read("admin/snapshot")
    assert [(r["props"].get("role"), r["props"].get("sharedWith")) for r in snap["relationships"]] == [
        ("clerk", None)]
