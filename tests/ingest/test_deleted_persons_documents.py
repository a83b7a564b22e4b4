"""A DEL of an FtM Person takes the identifier nodes her record made of its own values (her
passportNumber's IdentityDocument, her phone's Phone) with her, when nothing else holds them:
since 85af2c5 her passport outlived her, its statement and number found by any agency's search,
linked to nothing (attack round 33, 3). Another agency's statement or link, or another record of
the same source holding the number, keeps the document."""
import json

import pytest
from ingest_helpers import Records

from graphapi.ingest.identity.documents import document_properties
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = pytest.mark.backends
DOC = "identity:TH|AA1234567"
P = {"id": "p-1", "schema": "Person",
     "properties": {"name": ["Anna Schmidt"], "nationality": ["th"], "passportNumber": ["AA1234567"]}}
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
    said = sorted((n["props"]["entity"], n["props"]["owner"]) for n in snap["nodes"] if "Statement" in n["labels"])
    links = sorted((r["type"], r["from"], r["to"]) for r in snap["relationships"] if r["type"])
    return ids, said, links


async def test_a_del_of_the_person_takes_her_passport_with_her(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", P)
    counts = await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": P})
    found = (await search(empty_store, LA, "AA1234567")).total
    assert (await _snapshot(empty_store), found) == (([], [], []), 0)
    assert counts.nodes_deleted == 1  # hers; the document goes uncounted, as a placeholder does


async def test_a_del_of_the_person_takes_her_phone_with_her(empty_store, tmp_path):
    person = {**P, "properties": {**P["properties"], "phone": ["+66 81 234 5678"]}}
    await _load(empty_store, tmp_path, "a.ftm.json", person)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": person})
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
