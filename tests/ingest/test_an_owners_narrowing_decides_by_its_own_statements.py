"""Only the owner's own statements decide its narrowing (docs/provenance.md, "the owner keeps
control of what it shares"), as with ``unshare``: another agency's record as wide as the item
(TH-DSI's GREEN record of KH-NP's GREEN p-1, or one shared as widely) no longer stops it silently
(attack round 40a, 0: accepted, counted unchanged, p-1 still GREEN to LA-POL). And an item its
owner no longer asserts goes to the widest remaining statement, even one as wide as the item: a
DEL of KH-NP's only record of p-1 left KH-NP owning it with TH-DSI's values alone. A narrowed
link's placeholder narrows with it, as if the link was loaded at that level (40a, 2)."""
import pytest
from _load_ftm import ANNA, PHONE, TH_RECORD, load, person, reads
from store_kills import converges_after_each_kill

from graphapi.security import Principal
from graphapi.security.share import unshare

pytestmark = pytest.mark.backends
Q = '{ entities(ids: ["p-1"]) { tlp } search(text: "Anna Lee") { totalCount } }'
TH_PHONE = '{ entities(ids: ["p-1"]) { tlp relationships { edges { node { lintasId } } } } }'
KH = Principal("analyst-kh-np", agency="KH-NP", roles=frozenset({"analyst"}))


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
@pytest.mark.parametrize("th_record", [ANNA, TH_RECORD], ids=["echo", "own-phone"])
@pytest.mark.parametrize("th_level", ["GREEN", "AMBER"])
async def test_the_owners_red_record_hides_its_node_from_a_third_agency_whatever_another_recorded_on_it(
        empty_store, tmp_path, th_level, th_record, op):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA)], "kh")
    await load(empty_store, tmp_path, "TH-DSI", th_level, [person(th_record)], "th")
    r = await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA, op=op)], "kh", replace=op is None)
    la = await reads(empty_store, "LA-POL", Q)
    assert (la["entities"], la["search"]["totalCount"], r.nodes_updated, r.rejections) == ([None], 0, 1, [])


ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
KH_M = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"],
                                                            "role": ["clerk"]}}
TH_M = {**KH_M, "properties": {**KH_M["properties"], "role": ["boss"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'


@pytest.mark.parametrize("th_level", ["GREEN", "AMBER"])
async def test_the_owners_red_mod_hides_its_membership_whatever_another_agency_recorded_on_it(
        empty_store, tmp_path, th_level):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), ORG], "kh-n")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [KH_M], "kh")
    await load(empty_store, tmp_path, "TH-DSI", th_level, [TH_M], "th")
    r = await load(empty_store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": KH_M}], "kh")
    la = await reads(empty_store, "LA-POL", LINKS)
    assert (la["entities"][0]["relationships"]["totalCount"], r.relationships_updated) == (0, 1)


async def _kh_and_th_amber_shared_with_la_pol(store, tmp_path):
    await store.clear()
    await load(store, tmp_path, "KH-NP", "AMBER", [person(ANNA)], "kh", shared=("TH-DSI", "LA-POL"))
    await load(store, tmp_path, "TH-DSI", "AMBER", [person(TH_RECORD)], "th", shared=("KH-NP", "LA-POL"))


#: The agencies KH-NP stops sharing p-1 with; each reads the same scene (one scene per case, not per agency)
UNSHARED = ("TH-DSI", "LA-POL")


async def test_a_replace_shared_with_fewer_reads_as_an_unshare_though_another_record_is_shared_as_widely(
        empty_store, tmp_path):
    await _kh_and_th_amber_shared_with_la_pol(empty_store, tmp_path)
    await unshare(empty_store, KH, ["p-1"], list(UNSHARED))
    unshared = [await reads(empty_store, agency, Q) for agency in UNSHARED]
    await _kh_and_th_amber_shared_with_la_pol(empty_store, tmp_path)
    await load(empty_store, tmp_path, "KH-NP", "AMBER", [person(ANNA)], "kh", replace=True)
    replaced = [await reads(empty_store, agency, Q) for agency in UNSHARED]
    assert (replaced, [u["entities"] for u in unshared]) == (unshared, [[None], [None]])


async def _owner(store):
    [snap] = await store.read("admin/snapshot")
    [node] = [n["props"] for n in snap["nodes"] if n["props"].get("id") == "p-1"]
    return node["owner"], node["tlp"], node["sources"]


async def test_a_del_of_the_owners_only_record_hands_the_node_to_another_agencys_record_as_wide(
        empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA)], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [person(TH_RECORD)], "th")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA, op="DEL")], "kh")
    assert await _owner(empty_store) == ("TH-DSI", "GREEN", ["th"])


async def test_a_del_of_the_owners_narrowed_record_gives_another_agency_its_wider_record_back(
        empty_store, tmp_path):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA)], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [person(TH_RECORD)], "th")
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA)], "kh", replace=True)
    await load(empty_store, tmp_path, "KH-NP", "RED", [person(ANNA, op="DEL")], "kh")
    [p1] = (await reads(empty_store, "TH-DSI", TH_PHONE))["entities"]
    assert (await _owner(empty_store), p1["relationships"]["edges"]) == (
        ("TH-DSI", "GREEN", ["th"]), [{"node": {"lintasId": f"phone:{PHONE}"}}])


O1 = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Orchid Co"]}}
M_O1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"],
                                                            "role": ["clerk"]}}
QO = '{ entities(ids: ["o-1"]) { tlp relationships { totalCount } } }'


@pytest.mark.parametrize("op", [None, "MOD"], ids=["replace", "mod"])
@pytest.mark.parametrize("th_record", [True, False], ids=["th-amber-record", "no-record"])
async def test_the_narrowed_links_placeholder_narrows_with_it_as_if_the_link_was_red_from_the_start(
        empty_store, tmp_path, th_record, op):
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M_O1], "kh")
    if th_record:
        await load(empty_store, tmp_path, "TH-DSI", "AMBER", [O1], "th")
    docs = [person(ANNA), M_O1] if op is None else [{"op": "MOD", "entity": d} for d in (person(ANNA), M_O1)]
    await load(empty_store, tmp_path, "KH-NP", "RED", docs, "kh", replace=op is None)
    [snap] = await empty_store.read("admin/snapshot")
    [o1] = [n["props"] for n in snap["nodes"] if n["props"].get("id") == "o-1"]
    assert [(await reads(empty_store, agency, QO))["entities"] for agency in ("LA-POL", "TH-DSI")] == [[None], [None]]
    assert (o1["owner"], o1["tlp"], o1["unresolved"], o1["sources"]) == ("KH-NP", "RED", True, ["kh"])


async def _levels(store):
    """Who holds each item at which level, with its name and role (file names and digests aside)."""
    [snap] = await store.read("admin/snapshot")
    keys = ("id", "owner", "tlp", "sharedWith", "unresolved", "name", "role", "sources")
    return sorted(tuple(str(x["props"].get(k)) for k in keys) for x in [*snap["nodes"], *snap["relationships"]])


async def test_a_narrowing_replace_killed_after_any_write_narrows_the_placeholder_once_rerun(
        empty_store, tmp_path, monkeypatch):
    docs = [person(ANNA), M_O1]

    async def start():
        await empty_store.clear()
        await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M_O1], "kh")
        await load(empty_store, tmp_path, "TH-DSI", "AMBER", [O1], "th")

    async def narrow():
        await load(empty_store, tmp_path, "KH-NP", "RED", docs, "kh", replace=True)
    writes = await converges_after_each_kill(empty_store, monkeypatch, start, narrow, lambda: _levels(empty_store))
    assert "ingest/hold_as_placeholders" in writes
