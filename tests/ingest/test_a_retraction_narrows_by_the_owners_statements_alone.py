"""A retraction of the owner's wider record leaves its item the owner's, at the widest of the
owner's remaining statements, whatever other agencies recorded on it (docs/provenance.md, "while
its owner has any statement left on it"). KH-NP's GREEN (kh) and RED (kh2) records of p-1 and
TH-DSI's GREEN echo of it: KH-NP's DEL of kh's p-1 (or a replace of kh without it) left p-1 KH-NP's
GREEN item, read and found by LA-POL, because TH-DSI's statement was as wide (attack round 42a, 7).
It narrows to RED, as the narrowing replace of kh at RED does."""
import pytest
from _load_ftm import ANNA, load, person, reads

pytestmark = pytest.mark.backends
TH_ECHO = {"name": ["Anna Lee"], "alias": ["Annie"]}
Q = '{ entities(ids: ["p-1"]) { tlp } search(text: "Anna Lee") { totalCount } }'
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
P1 = {"id": "p-1", "schema": "Person", "properties": ANNA}
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"],
                                                          "role": ["treasurer"]}}


async def _retract(store, tmp_path, how, doc):
    if how == "del":
        return await load(store, tmp_path, "KH-NP", "GREEN", [{"op": "DEL", "entity": doc}], "kh")
    return await load(store, tmp_path, "KH-NP", "GREEN", [person({"name": ["Bob Ray"]}, pid="p-9")], "kh",
                      replace=True)


async def _node(store):
    [snap] = await store.read("admin/snapshot")
    [props] = [n["props"] for n in snap["nodes"] if (n["props"] or {}).get("id") == "p-1"]
    return props


@pytest.mark.parametrize("th_source", ["th", "a-th"])
@pytest.mark.parametrize("how", ["del", "replace-without-it"])
async def test_a_retraction_of_the_owners_wider_record_narrows_its_node_whatever_another_agency_echoed(
        empty_store, tmp_path, how, th_source):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA)], "kh")
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh2")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [person(TH_ECHO)], th_source)
    await _retract(empty_store, tmp_path, how, P1)
    node = await _node(empty_store)
    assert (node["owner"], node["tlp"], node["name"]) == ("KH-NP", "RED", "Anna Lee")


@pytest.mark.parametrize("agency", ["LA-POL", "TH-DSI"])
async def test_no_other_agency_reads_or_finds_the_node_a_del_narrowed_whatever_it_echoed(
        empty_store, tmp_path, agency):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA)], "kh")
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh2")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [person(TH_ECHO)], "th")
    await _retract(empty_store, tmp_path, "del", P1)
    assert await reads(empty_store, agency, Q) == {"entities": [None], "search": {"totalCount": 0}}


async def test_a_del_of_the_owners_wider_record_narrows_its_membership_whatever_another_agency_echoed(
        empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [M1], "kh")
    await load(empty_store, tmp_path, "KH-NP", "RED", [M1], "kh2")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [M1], "th")
    await _retract(empty_store, tmp_path, "del", M1)
    links = '{ entities(ids: ["p-1"]) { relationships { totalCount edges { relationship { tlp } } } } }'
    assert await reads(empty_store, "LA-POL", links) == {"entities": [{"relationships": {"totalCount": 0,
                                                                                         "edges": []}}]}
    assert await reads(empty_store, "KH-NP", links) == {"entities": [{"relationships": {
        "totalCount": 1, "edges": [{"relationship": {"tlp": "RED"}}]}}]}
