"""A DEL of an FtM Person takes the identifier nodes her record made of its own values (her
passportNumber's IdentityDocument, her phone's Phone) with her, and a MOD those its old version
made and its new one does not, when nothing else holds them: since 85af2c5 her passport outlived
her, its statement and number found by any agency's search, linked to nothing (attack round 33,
3). Another agency's statement or link, or another record of the same source naming the number,
keeps the node; a node a record of its own made is that record's."""
import json

import pytest
from ingest_helpers import Records

from graphapi.ingest.identity.documents import document_properties
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = pytest.mark.backends
DOC = "identity:TH|AA1234567"
PHONE = "phone:+66812345678"
P = {"id": "p-1", "schema": "Person",
     "properties": {"name": ["Anna Schmidt"], "nationality": ["th"], "passportNumber": ["AA1234567"]}}
WITH_PHONE = {**P, "properties": {**P["properties"], "phone": ["+66 81 234 5678"]}}
LA = Principal("a-la", agency="LA-POL", roles=frozenset({"analyst"}))
TH_DSI = Provenance("TH-DSI", "GREEN", (), "2026-01-01T00:00:00Z")
KH_NP = Provenance("KH-NP", "GREEN", (), "2026-01-02T00:00:00Z")


async def _load(store, tmp_path, name, *lines, provenance=TH_DSI):
    f = tmp_path / name
    f.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([f]), source="ftm", provenance=provenance)


async def _snapshot(store):
    snap = (await store.read("admin/snapshot"))[0]
    ids = sorted(n["props"]["id"] for n in snap["nodes"] if "Statement" not in n["labels"] and n["props"].get("id"))
    said = sorted((n["props"]["entity"], n["props"]["owner"]) for n in snap["nodes"] if "Statement" in n["labels"]
                  and not n["props"].get("type"))  # a node's
    links = sorted((r["type"], r["from"], r["to"]) for r in snap["relationships"] if r["type"])
    # a line drawing a phone's or document's link states it (line statements): none outlives its link
    drawn = {n["props"]["entity"] for n in snap["nodes"] if "Statement" in n["labels"] and n["props"].get("type")}
    assert drawn <= {r["props"]["id"] for r in snap["relationships"] if r["type"]}
    return ids, said, links


async def test_a_del_of_the_person_takes_her_passport_and_phone_with_her_counted(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_PHONE)
    counts = await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": WITH_PHONE})
    found = [(await search(empty_store, LA, q)).total for q in ("AA1234567", "+66812345678")]
    assert (await _snapshot(empty_store), found) == (([], [], []), [0, 0])
    assert (counts.nodes_deleted, counts.relationships_deleted) == (3, 2)


async def test_a_mod_of_her_nationality_leaves_only_the_new_countrys_document(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", P)
    mod = {**P, "properties": {**P["properties"], "nationality": ["la"]}}
    counts = await _load(empty_store, tmp_path, "b.delta.json", {"op": "MOD", "entity": mod})
    la = "identity:LA|AA1234567"
    assert await _snapshot(empty_store) == ([la, "p-1"], [(la, "TH-DSI"), ("p-1", "TH-DSI")],
                                            [("HOLDS_DOCUMENT", "p-1", la)])
    assert (counts.nodes_deleted, counts.relationships_deleted) == (1, 1)


async def test_a_mod_without_her_phone_takes_the_phone_and_keeps_what_it_says_again(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_PHONE)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "MOD", "entity": P})
    assert await _snapshot(empty_store) == ([DOC, "p-1"], [(DOC, "TH-DSI"), ("p-1", "TH-DSI")],
                                            [("HOLDS_DOCUMENT", "p-1", DOC)])


async def test_another_record_of_the_same_source_naming_her_phone_keeps_it_until_its_own_del(empty_store, tmp_path):
    other = {"id": "p-2", "schema": "Person", "properties": {"name": ["Bea"], "phone": ["+66 81 234 5678"]}}
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_PHONE, other)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": WITH_PHONE})
    assert await _snapshot(empty_store) == (["p-2", PHONE], [("p-2", "TH-DSI"), (PHONE, "TH-DSI")],
                                            [("USES_PHONE", "p-2", PHONE)])
    await _load(empty_store, tmp_path, "c.delta.json", {"op": "DEL", "entity": other})
    assert await _snapshot(empty_store) == ([], [], [])


async def test_another_holder_of_the_same_source_keeps_her_passport(empty_store, tmp_path):
    other = {**P, "id": "p-2", "properties": {**P["properties"], "name": ["Anna Schmid"]}}
    await _load(empty_store, tmp_path, "a.ftm.json", P, other)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": P})
    assert await _snapshot(empty_store) == ([DOC, "p-2"], [(DOC, "TH-DSI"), ("p-2", "TH-DSI")],
                                            [("HOLDS_DOCUMENT", "p-2", DOC)])


async def test_another_agencys_holder_keeps_the_passport_without_her_statement(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", P)
    await _load(empty_store, tmp_path, "k.ftm.json", {**P, "id": "kh-9"}, provenance=KH_NP)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": P})
    assert await _snapshot(empty_store) == ([DOC, "kh-9"], [(DOC, "KH-NP"), ("kh-9", "KH-NP")],
                                            [("HOLDS_DOCUMENT", "kh-9", DOC)])
    assert (await search(empty_store, LA, "AA1234567")).total == 2


async def test_another_agencys_statement_alone_keeps_the_passport(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", P)
    doc = NodeRecord("IdentityDocument", DOC, document_properties("AA1234567", "TH", "passport"), None)
    await run_load(empty_store, Records(doc), source="kh-docs", provenance=KH_NP)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": P})
    assert await _snapshot(empty_store) == ([DOC], [(DOC, "KH-NP")], [])


async def test_a_phone_a_record_of_its_own_made_stays_after_the_holders_del(empty_store, tmp_path):
    # the same source's Phone row, loaded first: its record, not hers, to withdraw
    phone = NodeRecord("Phone", PHONE, {"number": "+66812345678"}, Origin("ftm", "phones.csv", 1))
    await run_load(empty_store, Records(phone), source="ftm", provenance=TH_DSI)
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_PHONE)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": WITH_PHONE})
    assert await _snapshot(empty_store) == ([PHONE], [(PHONE, "TH-DSI")], [])


async def test_her_del_then_anothers_add_of_her_phone_in_one_file_keeps_it_as_two_loads_do(empty_store, tmp_path):
    other = {"id": "p-2", "schema": "Person", "properties": {"name": ["Bea"], "phone": ["+66 81 234 5678"]}}
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_PHONE)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": WITH_PHONE},
                {"op": "ADD", "entity": other})
    assert await _snapshot(empty_store) == (["p-2", PHONE], [("p-2", "TH-DSI"), (PHONE, "TH-DSI")],
                                            [("USES_PHONE", "p-2", PHONE)])


MOD_AS_COMPANY = {"op": "MOD", "entity": {"id": "p-1", "schema": "Company", "properties": {"name": ["Anna Co"]}}}


async def test_a_mod_of_her_record_refused_for_a_label_conflict_leaves_her_phone_and_passport(empty_store, tmp_path):
    # p-1 is a Person: a Company record of it is refused, and a refused record loads nothing
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_PHONE)
    before = await _snapshot(empty_store)
    counts = await _load(empty_store, tmp_path, "b.delta.json", MOD_AS_COMPANY)
    assert [r.reason.split(":")[0] for r in counts.rejections] == ["label conflict"]
    assert await _snapshot(empty_store) == before
    assert (counts.nodes_deleted, counts.relationships_deleted, counts.statements_retracted) == (0, 0, 0)


EMAIL = "user:email|anna@example.org"
WITH_EMAIL = {**P, "properties": {**P["properties"], "email": ["Anna@Example.org"]}}


async def test_a_del_of_the_person_takes_the_email_account_her_record_made(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_EMAIL)
    assert EMAIL in (await _snapshot(empty_store))[0]
    counts = await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": WITH_EMAIL})
    assert (await _snapshot(empty_store), (await search(empty_store, LA, "anna@example.org")).total) == (
        ([], [], []), 0)
    assert (counts.nodes_deleted, counts.relationships_deleted) == (3, 2)


async def test_a_mod_without_her_email_takes_the_account_and_keeps_her_passport(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_EMAIL)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "MOD", "entity": P})
    assert await _snapshot(empty_store) == ([DOC, "p-1"], [(DOC, "TH-DSI"), ("p-1", "TH-DSI")],
                                            [("HOLDS_DOCUMENT", "p-1", DOC)])


async def test_another_record_of_the_same_source_naming_her_email_keeps_the_account(empty_store, tmp_path):
    other = {"id": "p-2", "schema": "Person", "properties": {"name": ["Bea"], "email": ["anna@example.org"]}}
    await _load(empty_store, tmp_path, "a.ftm.json", WITH_EMAIL, other)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": WITH_EMAIL})
    assert await _snapshot(empty_store) == (["p-2", EMAIL], [("p-2", "TH-DSI"), (EMAIL, "TH-DSI")],
                                            [("HAS_ACCOUNT", "p-2", EMAIL)])


@pytest.mark.parametrize("op", ["DEL", "MOD"])
async def test_a_user_account_entity_she_owns_is_its_own_records_and_stays(empty_store, tmp_path, op):
    # its HAS_ACCOUNT link from her carries its own line's record id, as its statement does
    account = {"id": "ua-1", "schema": "UserAccount",
               "properties": {"service": ["email"], "email": ["anna@example.org"], "owner": ["p-1"]}}
    await _load(empty_store, tmp_path, "a.ftm.json", P, account)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": op, "entity": P})
    ids, said, links = await _snapshot(empty_store)
    assert EMAIL in ids and (EMAIL, "TH-DSI") in said
    assert links == ([] if op == "DEL" else [("HAS_ACCOUNT", "p-1", EMAIL), ("HOLDS_DOCUMENT", "p-1", DOC)])
