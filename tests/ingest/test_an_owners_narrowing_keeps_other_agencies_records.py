"""The owner keeps control of what it shares (docs/provenance.md, "the node narrows to it"), as
with ``unshare``. KH-NP owns GREEN p-1; TH-DSI's AMBER record on it, with a phone only TH-DSI
holds, is kept apart in its statement. KH-NP's replace (or MOD) at RED narrows p-1 to KH-NP alone,
whatever TH-DSI recorded on it: TH-DSI's statement stays stored, read again once KH-NP shares p-1
back; until then p-1 is to TH-DSI an id KH-NP holds at a level it cannot see, and its record of it
is refused "held by KH-NP" as if KH-NP had loaded p-1 RED from the start. Before (attack round 36)
the narrowing was refused "held by TH-DSI", and an echo of KH-NP's own name locked KH-NP out of
restricting its own id (attack round 38a, 6). A retraction leaves the item its owner's while the
owner has a statement on it (38a, 0). A narrowing counts its item updated."""
import json

import pytest
from store_kills import converges_after_each_kill, whole_graph

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.share import share, unshare

pytestmark = pytest.mark.backends
SEEN = "2026-01-01T00:00:00Z"
PHONE = "+66812345678"
ANNA = {"name": ["Anna Lee"]}
TH_RECORD = {"name": ["Anna Lee"], "phone": [PHONE]}
KH = Principal("analyst-kh-np", agency="KH-NP", roles=frozenset({"analyst"}))
#: what TH-DSI reads of p-1's links: its phone, which only its record holds
TH_PHONE = {"totalCount": 1, "edges": [{"node": {"lintasId": f"phone:{PHONE}"}}]}
QUERY = """{
  entities(ids: ["p-1"]) { id tlp sources ... on Person { name } values(property: "name") { value }
    relationships { totalCount edges { node { lintasId } } } }
  search(text: "Anna Lee") { totalCount edges { node { id } } }
  phone: search(text: "+66812345678") { totalCount }
}"""


async def _load(store, tmp_path, agency, level, props, source, *, replace=False, shared=(), op=None, pid="p-1"):
    f = tmp_path / f"{source}-{agency}-{level}-{pid}.ftm.json"
    doc = {"id": pid, "schema": "Person", "properties": props}
    f.write_text(json.dumps({"op": op, "entity": doc} if op else doc) + "\n", encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, replace=replace,
                          viewer=agency, provenance=Provenance(agency, level, tuple(shared), SEEN))


async def _kh_green_with_th_amber_on_it(store, tmp_path, th_record=TH_RECORD):
    await _load(store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    await _load(store, tmp_path, "TH-DSI", "AMBER", th_record, "th")


async def _narrow(store, tmp_path, op):
    """KH-NP's record of p-1 at RED: a whole-source replace (op None) or a MOD."""
    return await _load(store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=op is None, op=op)


async def _reads(store, agency):
    principal = Principal(f"analyst-{agency.lower()}", agency=agency, roles=frozenset({"analyst"}))
    result = await graphql_schema.execute(QUERY, context_value=Context(store, principal, "narrowing"))
    assert result.errors is None, result.errors
    return result.data


async def _node(store):
    [snap] = await store.read("admin/snapshot")
    [node] = [n["props"] for n in snap["nodes"] if n["props"].get("id") == "p-1"]
    return node


async def _statements(store, owner):
    rows = await store.read("provenance/statements_of", {"ids": ["p-1", f"phone:{PHONE}"]})
    return sorted((r["props"]["entity"], r["props"]["tlp"], r["props"]["id"]) for r in rows
                  if r["props"]["owner"] == owner)


@pytest.mark.parametrize("op", [None, "MOD"])
@pytest.mark.parametrize("th_record", [TH_RECORD, ANNA], ids=["own-phone", "echo"])
async def test_the_owners_narrower_record_narrows_its_node_whatever_another_agency_recorded_on_it(
        empty_store, tmp_path, op, th_record):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path, th_record)
    r = await _narrow(empty_store, tmp_path, op)
    node = await _node(empty_store)
    assert (r.rejections, r.hits, r.restricted) == ([], [], 0)
    assert (node["owner"], node["tlp"], node.get("sharedWith"), node["name"]) == ("KH-NP", "RED", None, "Anna Lee")
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.nodes_updated, r.nodes_unchanged) == (1, 1, 0, 1, 0)


@pytest.mark.parametrize("op", [None, "MOD"])
async def test_the_other_agencys_statements_stay_stored_on_the_narrowed_node(empty_store, tmp_path, op):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    before = await _statements(empty_store, "TH-DSI")
    await _narrow(empty_store, tmp_path, op)
    assert await _statements(empty_store, "TH-DSI") == before
    assert [(e, tlp) for e, tlp, _ in before] == [("p-1", "AMBER"), (f"phone:{PHONE}", "AMBER")]


@pytest.mark.parametrize("op", [None, "MOD"])
async def test_the_other_agency_reads_nothing_of_the_narrowed_node(empty_store, tmp_path, op):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, op)
    th = await _reads(empty_store, "TH-DSI")
    assert (th["entities"], th["search"]["totalCount"]) == ([None], 0)


async def test_the_other_agency_reads_its_own_record_again_once_the_owner_shares_the_node_back(
        empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, None)
    await share(empty_store, KH, ["p-1"], ["TH-DSI"], tlp="AMBER")  # RED is for no other agency
    [p1] = (await _reads(empty_store, "TH-DSI"))["entities"]
    assert (p1["tlp"], p1["name"], p1["relationships"]) == ("AMBER", "Anna Lee", TH_PHONE)


async def _th_reloads(store, tmp_path):
    r = await _load(store, tmp_path, "TH-DSI", "AMBER", TH_RECORD, "th")
    return ([x.reason for x in r.rejections], r.rows_read, r.rows_loaded, r.rows_rejected, r.restricted, r.hits)


async def test_the_other_agencys_reload_is_refused_held_by_the_owner_as_if_it_was_red_from_the_start(
        empty_store, tmp_path):
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh")
    from_the_start = await _th_reloads(empty_store, tmp_path)
    await empty_store.clear()
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, None)
    assert await _th_reloads(empty_store, tmp_path) == from_the_start
    assert from_the_start[0][0].startswith("restricted: p-1 is held by KH-NP")
    # the row loads its phone (TH-DSI's own node), as on an id held from the start
    assert from_the_start[1:] == (1, 1, 0, 1, [("p-1", "KH-NP")])


async def test_the_other_agencys_refused_reload_leaves_the_node_and_its_statements_as_they_were(
        empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, None)
    before = (await whole_graph(empty_store), await _statements(empty_store, "TH-DSI"))
    await _th_reloads(empty_store, tmp_path)
    await _th_reloads(empty_store, tmp_path)  # again: no digest of the first takes it for stored
    assert (await whole_graph(empty_store), await _statements(empty_store, "TH-DSI")) == before


async def test_every_other_agency_reads_the_narrowed_node_as_after_an_unshare(empty_store, tmp_path):
    others = ("TH-DSI", "LA-POL")  # each reads the same two scenes (not two scenes per agency)

    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "KH-NP", "AMBER", ANNA, "kh", shared=others)
        await _load(empty_store, tmp_path, "TH-DSI", "AMBER", TH_RECORD, "th")
    await start()
    await unshare(empty_store, KH, ["p-1"], list(others))
    unshared = [await _reads(empty_store, agency) for agency in others]
    await start()
    await _load(empty_store, tmp_path, "KH-NP", "AMBER", ANNA, "kh", replace=True)
    assert [await _reads(empty_store, agency) for agency in others] == unshared
    assert [u["entities"] for u in unshared] == [[None], [None]]


LINK = {"id": "l-1", "schema": "Associate",
        "properties": {"person": ["t-1"], "associate": ["p-1"], "relationship": ["brother"]}}
T1 = """{ entities(ids: ["t-1"]) { relationships { totalCount edges { node { lintasId } } } } }"""


async def _th_links_t1_to_p1(store, tmp_path):
    """TH-DSI's own t-1 and its own AMBER link to p-1: what it reads of t-1, and the load's rows,
    reasons and hits."""
    f = tmp_path / "th-link.ftm.json"
    docs = [{"id": "t-1", "schema": "Person", "properties": {"name": ["Tom Lee"]}}, LINK]
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    r = await run_load(store, FtmReader([f], source="th"), source="th", viewer="TH-DSI",
                       provenance=Provenance("TH-DSI", "AMBER", (), SEEN))
    th = Principal("analyst-th-dsi", agency="TH-DSI", roles=frozenset({"analyst"}))
    read = (await graphql_schema.execute(T1, context_value=Context(store, th, "link"))).data
    return read, (r.rows_read, r.rows_loaded, r.rows_rejected, [x.reason for x in r.rejections], r.hits)


async def test_the_other_agencys_link_to_the_narrowed_node_is_as_to_a_node_red_from_the_start(
        empty_store, tmp_path):
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh")
    from_the_start = await _th_links_t1_to_p1(empty_store, tmp_path)
    await empty_store.clear()
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    linked, _ = await _th_links_t1_to_p1(empty_store, tmp_path)
    await _narrow(empty_store, tmp_path, None)
    assert linked["entities"][0]["relationships"]["totalCount"] == 1
    assert await _th_links_t1_to_p1(empty_store, tmp_path) == from_the_start  # its reload included
    assert from_the_start[0]["entities"][0]["relationships"]["totalCount"] == 0


async def _kh_green_and_red_with_th_amber_on_it(store, tmp_path, th_source):
    await _load(store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    await _load(store, tmp_path, "KH-NP", "RED", ANNA, "kh2")
    await _load(store, tmp_path, "TH-DSI", "AMBER", TH_RECORD, th_source)


@pytest.mark.parametrize("th_source", ["th", "a-th"])
async def test_a_del_of_the_owners_wider_record_leaves_the_node_the_owners_at_its_narrower_one(
        empty_store, tmp_path, th_source):
    await _kh_green_and_red_with_th_amber_on_it(empty_store, tmp_path, th_source)
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh", op="DEL")
    node = await _node(empty_store)
    assert (node["owner"], node["tlp"], node["name"]) == ("KH-NP", "RED", "Anna Lee")
    assert (await _reads(empty_store, "TH-DSI"))["entities"] == [None]


@pytest.mark.parametrize("th_source", ["th", "a-th"])
async def test_a_replace_without_the_node_leaves_it_the_owners_at_its_narrower_record(
        empty_store, tmp_path, th_source):
    await _kh_green_and_red_with_th_amber_on_it(empty_store, tmp_path, th_source)
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh", replace=True, pid="p-9")
    node = await _node(empty_store)
    assert (node["owner"], node["tlp"], node["name"]) == ("KH-NP", "RED", "Anna Lee")


async def test_a_del_of_the_owners_only_record_hands_the_node_to_the_other_agencys(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh", op="DEL")
    th, kh = await _reads(empty_store, "TH-DSI"), await _reads(empty_store, "KH-NP")
    assert (th["entities"][0]["tlp"], th["entities"][0]["relationships"], kh["entities"]) == ("AMBER", TH_PHONE, [None])


async def test_a_narrowing_replace_of_the_owners_node_alone_counts_it_updated(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    r = await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    assert (r.nodes_updated, r.nodes_unchanged, (await _node(empty_store))["tlp"]) == (1, 0, "RED")


async def test_a_narrowing_mod_of_the_owners_node_alone_counts_it_updated(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    r = await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", op="MOD")
    assert (r.nodes_updated, r.nodes_unchanged, (await _node(empty_store))["tlp"]) == (1, 0, "RED")


async def test_a_narrowing_replace_killed_after_any_write_ends_as_an_uninterrupted_one_once_rerun(
        empty_store, tmp_path, monkeypatch):
    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")

    async def narrow():
        await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    writes = await converges_after_each_kill(empty_store, monkeypatch, start, narrow,
                                             lambda: whole_graph(empty_store))
    # its statement, the rebuild mark, the old statement deleted, the rebuild, the narrowing, its
    # values rebuilt at RED, the mark cleared
    assert len(writes) == 7


ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
MEMBER = {"id": "m-1", "schema": "Membership",
          "properties": {"member": ["p-1"], "organization": ["o-2"], "role": ["clerk"]}}
BARE = {**MEMBER, "properties": {"member": ["p-1"], "organization": ["o-2"]}}
PERSON = {"id": "p-1", "schema": "Person", "properties": ANNA}
MEMBERSHIP_QUERY = "{ entities(ids: [\"p-1\"]) { relationships { totalCount edges { node { lintasId } } } } }"


async def _load_docs(store, tmp_path, agency, level, source, *docs, replace=False):
    f = tmp_path / f"{source}-{agency}-docs-{len(list(tmp_path.iterdir()))}.ftm.json"
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, replace=replace,
                          viewer=agency, provenance=Provenance(agency, level, (), SEEN))


async def _memberships(store):
    [snap] = await store.read("admin/snapshot")
    return [(x["props"]["tlp"], x["props"]["owner"]) for x in snap["relationships"] if x.get("type")]


async def test_a_narrower_replace_narrows_a_membership_another_agency_recorded_too(empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", PERSON, ORG, MEMBER)
    await _load_docs(empty_store, tmp_path, "TH-DSI", "AMBER", "th", MEMBER)
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", PERSON, ORG, MEMBER, replace=True)
    th = Principal("analyst-th-dsi", agency="TH-DSI", roles=frozenset({"analyst"}))
    after = (await graphql_schema.execute(MEMBERSHIP_QUERY, context_value=Context(empty_store, th, "m"))).data
    [snap] = await empty_store.read("admin/snapshot")
    [rel_id] = [x["props"]["id"] for x in snap["relationships"] if x.get("type")]
    stmts = await empty_store.read("provenance/statements_of", {"ids": [rel_id]})
    assert (r.rejections, await _memberships(empty_store), after["entities"]) == ([], [("RED", "KH-NP")], [None])
    assert sorted((s["props"]["owner"], s["props"]["tlp"]) for s in stmts) == [("KH-NP", "RED"), ("TH-DSI", "AMBER")]


async def test_a_narrowing_replace_of_the_owners_membership_alone_counts_it_updated(empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", PERSON, ORG, MEMBER)
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", PERSON, ORG, MEMBER, replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert [x["props"]["tlp"] for x in snap["relationships"] if x.get("type")] == ["RED"]
    assert (r.relationships_updated, r.relationships_unchanged) == (1, 0)


async def test_a_narrowing_replace_narrows_a_membership_holding_no_value_only_its_source_asserts(
        empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", PERSON, ORG, BARE)
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", PERSON, ORG, BARE, replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert [(x["props"]["tlp"], x["props"]["owner"]) for x in snap["relationships"] if x.get("type")] == [
        ("RED", "KH-NP")]
    assert (r.relationships_updated, r.relationships_unchanged) == (1, 0)


async def test_a_membership_holding_no_value_another_source_asserts_keeps_its_level(empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", PERSON, ORG, BARE)
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh-other", BARE)
    await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", PERSON, ORG, BARE, replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert [x["props"]["tlp"] for x in snap["relationships"] if x.get("type")] == ["GREEN"]


async def test_a_narrowing_mod_narrows_a_membership_holding_no_value_only_its_source_asserts(empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", PERSON, ORG, BARE)
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh",
                         *({"op": "MOD", "entity": d} for d in (PERSON, ORG, BARE)))
    assert (await _memberships(empty_store), r.relationships_updated, r.relationships_unchanged) == (
        [("RED", "KH-NP")], 1, 0)


async def test_a_narrowing_mod_keeps_a_membership_holding_no_value_another_source_asserts(empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", PERSON, ORG, BARE)
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh-other", BARE)
    await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh",
                     *({"op": "MOD", "entity": d} for d in (PERSON, ORG, BARE)))
    assert await _memberships(empty_store) == [("GREEN", "KH-NP")]
