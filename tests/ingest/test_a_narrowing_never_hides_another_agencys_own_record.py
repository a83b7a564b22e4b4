"""An agency's view of its own record is never cut by a load it cannot see (docs/provenance.md,
"the node narrows to it"). KH-NP owns GREEN p-1; TH-DSI's AMBER record on it, with a phone only
TH-DSI holds, is kept apart in its statement. KH-NP's replace (or MOD) at RED would narrow p-1 to
KH-NP alone: TH-DSI then read nothing of p-1, not even its own record, and learnt that KH-NP
narrowed (attack round 36, 0). So that narrowing is refused "held by TH-DSI" (a hit, audited for
TH-DSI) and p-1 stays exactly as it was; a narrowing TH-DSI still reads (AMBER shared with TH-DSI)
goes ahead. Either way a narrowing counts its item updated (it was counted unchanged)."""
import json

import pytest
from store_kills import die_after, whole_graph

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = pytest.mark.backends
SEEN = "2026-01-01T00:00:00Z"
PHONE = "+66812345678"
ANNA = {"name": ["Anna Lee"]}
TH_RECORD = {"name": ["Anna Lee"], "phone": [PHONE]}
#: what TH-DSI reads of p-1's links: its phone, which only its record holds
TH_PHONE = {"totalCount": 1, "edges": [{"node": {"lintasId": f"phone:{PHONE}"}}]}
QUERY = """{
  entities(ids: ["p-1"]) { id tlp sources ... on Person { name } values(property: "name") { value }
    relationships { totalCount edges { node { lintasId } } } }
  search(text: "Anna Lee") { totalCount edges { node { id } } }
  phone: search(text: "+66812345678") { totalCount }
}"""


async def _load(store, tmp_path, agency, level, props, source, *, replace=False, shared=(), op=None):
    f = tmp_path / f"{source}-{agency}.ftm.json"
    doc = {"id": "p-1", "schema": "Person", "properties": props}
    f.write_text(json.dumps({"op": op, "entity": doc} if op else doc) + "\n", encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, replace=replace,
                          viewer=agency, provenance=Provenance(agency, level, tuple(shared), SEEN))


async def _kh_green_with_th_amber_on_it(store, tmp_path):
    await _load(store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    await _load(store, tmp_path, "TH-DSI", "AMBER", TH_RECORD, "th")


async def _reads(store, agency):
    principal = Principal(f"analyst-{agency.lower()}", agency=agency, roles=frozenset({"analyst"}))
    result = await graphql_schema.execute(QUERY, context_value=Context(store, principal, "narrowing"))
    assert result.errors is None, result.errors
    return result.data


async def _node(store):
    [snap] = await store.read("admin/snapshot")
    [node] = [n["props"] for n in snap["nodes"] if n["props"].get("id") == "p-1"]
    return node


async def test_the_other_agency_reads_its_own_record_the_same_after_the_owners_narrower_replace(
        empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    before = await _reads(empty_store, "TH-DSI")
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    after = await _reads(empty_store, "TH-DSI")
    assert after == before
    assert after["entities"][0]["relationships"] == TH_PHONE


async def test_the_narrower_replace_is_refused_held_by_the_other_agency_as_a_hit(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    r = await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    [rejection] = r.rejections
    assert rejection.reason.startswith("restricted: p-1 is held by TH-DSI")
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.restricted, r.hits) == (1, 0, 1, 1, [("p-1", "TH-DSI")])
    assert r.replace_skipped is not None  # a replace with a refused row retracts nothing


async def test_the_refused_replace_leaves_the_owners_node_exactly_as_it_was(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    before = (await whole_graph(empty_store), await empty_store.read("provenance/statements_of", {"ids": ["p-1"]}))
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    after = (await whole_graph(empty_store), await empty_store.read("provenance/statements_of", {"ids": ["p-1"]}))
    assert after[0] == before[0]
    assert sorted(r["id"] for r in after[1]) == sorted(r["id"] for r in before[1])
    assert ((await _node(empty_store))["tlp"], (await _reads(empty_store, "KH-NP"))["entities"][0]["name"]) == (
        "GREEN", "Anna Lee")


async def test_the_owners_narrower_mod_is_refused_alike_and_leaves_the_node_as_it_was(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    before = await whole_graph(empty_store)
    r = await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", op="MOD")
    assert [x.reason[:35] for x in r.rejections] == ["restricted: p-1 is held by TH-DSI t"]
    assert (r.rows_read, r.rows_loaded + r.rows_rejected, r.hits) == (1, 1, [("p-1", "TH-DSI")])
    assert await whole_graph(empty_store) == before


async def test_the_other_agency_reads_what_it_loads_again_after_the_refused_replace(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    r = await _load(empty_store, tmp_path, "TH-DSI", "AMBER", TH_RECORD, "th")
    assert (r.rows_loaded, r.rows_rejected, r.conflicts) == (1, 0, 0)
    assert (await _reads(empty_store, "TH-DSI"))["entities"][0]["relationships"] == TH_PHONE


@pytest.mark.parametrize("agency", ["TH-DSI", "LA-POL"])
async def test_the_other_agency_and_a_third_read_the_same_with_and_without_the_refused_replace(
        empty_store, tmp_path, agency):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    without = await _reads(empty_store, agency)
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    assert await _reads(empty_store, agency) == without
    assert without["search"]["totalCount"] == 1


async def test_the_owner_still_deletes_the_node_and_the_other_agency_keeps_its_record(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh", op="DEL")
    th, kh = await _reads(empty_store, "TH-DSI"), await _reads(empty_store, "KH-NP")
    assert (th["entities"][0]["tlp"], th["entities"][0]["relationships"], kh["entities"]) == ("AMBER", TH_PHONE, [None])


async def test_a_narrowing_the_other_agency_still_reads_goes_ahead(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    r = await _load(empty_store, tmp_path, "KH-NP", "AMBER", ANNA, "kh", replace=True, shared=("TH-DSI",))
    node = await _node(empty_store)
    assert (r.rejections, node["tlp"], node["sharedWith"], node["name"]) == ([], "AMBER", ["TH-DSI"], "Anna Lee")
    assert (await _reads(empty_store, "TH-DSI"))["entities"][0]["relationships"] == TH_PHONE
    assert (await _reads(empty_store, "LA-POL"))["entities"] == [None]


async def test_a_narrowing_the_other_agency_still_reads_counts_the_node_updated(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    r = await _load(empty_store, tmp_path, "KH-NP", "AMBER", ANNA, "kh", replace=True, shared=("TH-DSI",))
    assert (r.nodes_updated, r.nodes_unchanged) == (1, 0)


async def test_a_narrowing_replace_of_the_owners_node_alone_counts_it_updated(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    r = await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    assert (r.nodes_updated, r.nodes_unchanged, (await _node(empty_store))["tlp"]) == (1, 0, "RED")


async def test_a_narrowing_mod_of_the_owners_node_alone_counts_it_updated(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    r = await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", op="MOD")
    assert (r.nodes_updated, r.nodes_unchanged, (await _node(empty_store))["tlp"]) == (1, 0, "RED")


def _dies_at(n):
    """Whether the store dies after a write: at the ``n``-th (from 1), as a kill -9 would."""
    done: list[str] = []

    def dies(name: str) -> bool:
        done.append(name)
        return len(done) == n
    return dies


async def test_a_narrowing_replace_killed_after_any_write_ends_as_an_uninterrupted_one_once_rerun(
        empty_store, tmp_path, monkeypatch):
    await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
    await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    want = await whole_graph(empty_store)
    writes: list[str] = []
    with monkeypatch.context() as m:
        die_after(empty_store, m, lambda name: writes.append(name) and False)
        await empty_store.clear()
        await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
        writes.clear()
        await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
    kills = [n for n, name in enumerate(writes, 1) if "write_lease" not in name]
    for n in kills:
        await empty_store.clear()
        await _load(empty_store, tmp_path, "KH-NP", "GREEN", ANNA, "kh")
        with monkeypatch.context() as m:
            die_after(empty_store, m, _dies_at(n))
            with pytest.raises(OSError):
                await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
        await _load(empty_store, tmp_path, "KH-NP", "RED", ANNA, "kh", replace=True)
        assert (n, writes[n - 1], await whole_graph(empty_store)) == (n, writes[n - 1], want)
    # its statement, the rebuild mark, the old statement deleted, the rebuild, the narrowing, its
    # values rebuilt at RED, the mark cleared
    assert len(kills) == 7


ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
MEMBER = {"id": "m-1", "schema": "Membership",
          "properties": {"member": ["p-1"], "organization": ["o-2"], "role": ["clerk"]}}
MEMBERSHIP_QUERY = "{ entities(ids: [\"p-1\"]) { relationships { totalCount edges { node { lintasId } } } } }"


async def _load_docs(store, tmp_path, agency, level, source, *docs, replace=False):
    f = tmp_path / f"{source}-{agency}-docs.ftm.json"
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, replace=replace,
                          viewer=agency, provenance=Provenance(agency, level, (), SEEN))


async def test_a_narrower_replace_of_a_membership_another_agency_recorded_is_refused_held_by_it(
        empty_store, tmp_path):
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", {"id": "p-1", "schema": "Person",
                                                                      "properties": ANNA}, ORG, MEMBER)
    await _load_docs(empty_store, tmp_path, "TH-DSI", "AMBER", "th", MEMBER)
    principal = Principal("analyst-th-dsi", agency="TH-DSI", roles=frozenset({"analyst"}))
    before = (await graphql_schema.execute(MEMBERSHIP_QUERY, context_value=Context(empty_store, principal, "m"))).data
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", {"id": "p-1", "schema": "Person",
                                                                       "properties": ANNA}, ORG, MEMBER, replace=True)
    after = (await graphql_schema.execute(MEMBERSHIP_QUERY, context_value=Context(empty_store, principal, "m"))).data
    assert [x.reason.split(" too,")[0] for x in r.rejections] == [
        f"restricted: {r.rejections[0].raw['id']} is held by TH-DSI"]
    assert (r.rows_read, r.rows_loaded + r.rows_rejected, len(r.hits), after) == (3, 3, 1, before)
    assert before["entities"][0]["relationships"]["totalCount"] == 1


async def test_a_narrowing_replace_of_the_owners_membership_alone_counts_it_updated(empty_store, tmp_path):
    person = {"id": "p-1", "schema": "Person", "properties": ANNA}
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", person, ORG, MEMBER)
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", person, ORG, MEMBER, replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert [x["props"]["tlp"] for x in snap["relationships"] if x.get("type")] == ["RED"]
    assert (r.relationships_updated, r.relationships_unchanged) == (1, 0)


async def test_a_narrowing_replace_narrows_a_membership_holding_no_value_only_its_source_asserts(
        empty_store, tmp_path):
    person = {"id": "p-1", "schema": "Person", "properties": ANNA}
    bare = {**MEMBER, "properties": {"member": ["p-1"], "organization": ["o-2"]}}
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", person, ORG, bare)
    r = await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", person, ORG, bare, replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert [(x["props"]["tlp"], x["props"]["owner"]) for x in snap["relationships"] if x.get("type")] == [
        ("RED", "KH-NP")]
    assert (r.relationships_updated, r.relationships_unchanged) == (1, 0)


async def test_a_membership_holding_no_value_another_source_asserts_keeps_its_level(empty_store, tmp_path):
    person = {"id": "p-1", "schema": "Person", "properties": ANNA}
    bare = {**MEMBER, "properties": {"member": ["p-1"], "organization": ["o-2"]}}
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh", person, ORG, bare)
    await _load_docs(empty_store, tmp_path, "KH-NP", "GREEN", "kh-other", bare)
    await _load_docs(empty_store, tmp_path, "KH-NP", "RED", "kh", person, ORG, bare, replace=True)
    [snap] = await empty_store.read("admin/snapshot")
    assert [x["props"]["tlp"] for x in snap["relationships"] if x.get("type")] == ["GREEN"]


async def test_an_operators_narrower_replace_for_the_owner_is_refused_alike_with_no_hit(empty_store, tmp_path):
    await _kh_green_with_th_amber_on_it(empty_store, tmp_path)
    before = await whole_graph(empty_store)
    f = tmp_path / "operator.ftm.json"
    f.write_text(json.dumps({"id": "p-1", "schema": "Person", "properties": ANNA}) + "\n", encoding="utf-8")
    r = await run_load(empty_store, FtmReader([f], source="kh"), source="kh", replace=True,
                       provenance=Provenance("KH-NP", "RED", (), SEEN))
    assert ([x.reason[:35] for x in r.rejections], r.hits) == (["restricted: p-1 is held by TH-DSI t"], [])
    assert await whole_graph(empty_store) == before
