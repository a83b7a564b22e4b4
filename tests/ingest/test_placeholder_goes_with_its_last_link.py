"""A placeholder goes when a DEL deletes its last link (attack round 31b): one held for KH-NP's
link after TH-DSI deleted its own record must not outlive the link, or what KH-NP's DEL leaves
depends on another agency's past record."""
import pytest
from test_search_audience_after_writes import EdgeRecord, M, NodeRecord, Origin, kh_links_per_x, load, px

pytestmark = pytest.mark.backends


async def _left(store):
    snap = (await store.read("admin/snapshot"))[0]
    return sorted((n["props"]["id"], n["props"].get("owner"), n["props"].get("unresolved"))
                  for n in snap["nodes"] if not n["props"]["id"].startswith("stmt:"))


async def test_kh_nps_delete_of_its_link_leaves_the_same_graph_whatever_th_dsi_once_loaded(empty_store):
    out = {}
    for with_th in (False, True):
        await empty_store.clear()
        if with_th:
            await load(empty_store, "TH-DSI", px("TH-DSI", props={"name": "Somchai Jaidee"}))
        await kh_links_per_x(empty_store)
        if with_th:
            await load(empty_store, "TH-DSI", px("TH-DSI", op="delete"))
        summary = await load(empty_store, "KH-NP", px("KH-NP", nid="per-kh", op="delete"), tlp="AMBER")
        out[with_th] = (await _left(empty_store), summary.nodes_deleted)
    assert out[True] == out[False] == ([], 1)


async def test_a_placeholder_whose_last_link_a_del_deletes_goes_with_it(empty_store):
    rid = M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x")
    await load(empty_store, "KH-NP", NodeRecord("Person", "per-kh", {"name": "Sok"}, Origin("ftm@KH-NP", "k", 1)),
               NodeRecord("Person", "per-x", {}, Origin("ftm@KH-NP", "k", 2), unresolved=True),
               EdgeRecord("ASSOCIATE_OF", rid, "per-kh", "per-x", {}, Origin("ftm@KH-NP", "k", 2)), tlp="AMBER")
    await load(empty_store, "KH-NP", px("KH-NP", nid="per-kh", op="delete"), tlp="AMBER")
    assert await _left(empty_store) == []


async def test_a_placeholder_another_link_still_holds_stays(empty_store):
    one = M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x")
    two = M.relationship_id("ASSOCIATE_OF", "per-k2", "per-x")
    o = Origin("ftm@KH-NP", "k", 1)
    await load(empty_store, "KH-NP", NodeRecord("Person", "per-kh", {"name": "Sok"}, o),
               NodeRecord("Person", "per-k2", {"name": "Dara"}, o),
               NodeRecord("Person", "per-x", {}, o, unresolved=True),
               EdgeRecord("ASSOCIATE_OF", one, "per-kh", "per-x", {}, o),
               EdgeRecord("ASSOCIATE_OF", two, "per-k2", "per-x", {}, o), tlp="AMBER")
    await load(empty_store, "KH-NP", px("KH-NP", nid="per-kh", op="delete"), tlp="AMBER")
    assert await _left(empty_store) == [("per-k2", "KH-NP", None), ("per-x", "KH-NP", True)]
