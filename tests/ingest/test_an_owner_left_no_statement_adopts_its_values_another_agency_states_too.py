"""The start's adoption gives a node's owner a statement of its old values even where another
agency's visible statement states them too, when the owner would otherwise hold none on its own
node (``graphapi/ingest/premodel_adoption.unstated``). Before (attack round a-114, 1 and 2) KH-NP's
old k-1, whose only name VN-MPS also stated, adopted nothing: VN-MPS's DEL then left k-1 to a third
agency's hidden RED record (TH-DSI's node, gone from KH-NP's view), or, with none, emptied it."""
import pytest

from graphapi.ingest.premodel_adoption import repair_premodel_values
from graphapi.ingest.records import NodeRecord
from tests.ingest.test_breaker_checks_widenings import _load, _o

pytestmark = pytest.mark.backends


async def _k1_after_vn_del(store, th_hidden: bool) -> dict:
    """KH-NP's old k-1 {name: k one} (no statement: written before the model), VN-MPS's same name
    since, TH-DSI's RED record on it if ``th_hidden``; the start; VN-MPS's DEL."""
    await _load(store, "KH-NP", "AMBER", "feed", NodeRecord("Person", "k-1", {"name": "k one"}, _o("feed", 1)),
                shared=["VN-MPS", "TH-DSI"])
    await store.write("provenance/delete_statements_about", {"ids": ["k-1"]})
    if th_hidden:
        await _load(store, "TH-DSI", "RED", "th", NodeRecord("Person", "k-1", {"nationality": ["TH"]}, _o("th", 7)))
    for op in ("merge", "delete"):
        await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "k-1", {"name": "k one"} if op == "merge"
                                                               else {}, _o("vn", 1), op=op), shared=["KH-NP", "TH-DSI"])
        if op == "merge":
            await repair_premodel_values(store)
    [row] = await store.read("ingest/existing_nodes", {"ids": ["k-1"]})
    return {k: row["props"].get(k) for k in ("owner", "tlp", "name", "unresolved")}


async def test_another_agencys_del_leaves_the_owners_node_its_own_whatever_a_hidden_record(empty_store):
    assert await _k1_after_vn_del(empty_store, th_hidden=True) == {
        "owner": "KH-NP", "tlp": "AMBER", "name": "k one", "unresolved": None}


async def test_another_agencys_del_keeps_the_owners_coinciding_name(empty_store):
    assert await _k1_after_vn_del(empty_store, th_hidden=False) == {
        "owner": "KH-NP", "tlp": "AMBER", "name": "k one", "unresolved": None}


async def test_another_agencys_del_takes_a_single_value_the_owners_old_node_lacked(empty_store):
    # the adoption took every single value on the node as the owner's: VN-MPS's gender, which
    # KH-NP's old k-1 never held, became KH-NP's statement and outlived VN-MPS's DEL (a-117, 1)
    await _load(empty_store, "KH-NP", "AMBER", "feed", NodeRecord("Person", "k-1", {"name": "k one"}, _o("feed", 1)),
                shared=["VN-MPS"])
    await empty_store.write("provenance/delete_statements_about", {"ids": ["k-1"]})
    for op in ("merge", "delete"):
        await _load(empty_store, "VN-MPS", "AMBER", "vn", NodeRecord(
            "Person", "k-1", {"name": "k one", "gender": "female"} if op == "merge" else {}, _o("vn", 1), op=op),
            shared=["KH-NP"])
        if op == "merge":
            await repair_premodel_values(empty_store)
    [row] = await empty_store.read("ingest/existing_nodes", {"ids": ["k-1"]})
    said = await empty_store.read("provenance/statements_of", {"ids": ["k-1"]})
    assert ({k: row["props"].get(k) for k in ("owner", "name", "gender")},
            [(s["props"]["owner"], s["props"]["property"]) for s in said]) == (
        {"owner": "KH-NP", "name": "k one", "gender": None}, [("KH-NP", ["name"])])
