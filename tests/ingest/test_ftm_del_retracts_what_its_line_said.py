"""An FtM DEL takes exactly what the deleted line said, and nothing another line of the same
source still states (line statements: graphapi/ingest/line_deletes.py).

1. A Passport line gives its holder ``passportNumber`` (``idNumber`` for an Identification) and
   an ``identifiers`` entry; its DEL took its HOLDS_DOCUMENT but left her number. It goes now,
   unless her own Person line carries it, or a second Passport line of the number does.
2. A HOLDS_DOCUMENT (a Person's own passportNumber, with one nationality, draws the one a Passport
   of hers draws) or a USES_PHONE (her phone, a Call's caller) can be drawn by two lines; the
   DEL of the Passport or Call line deleted it though her line still drew it. It stays now.
"""

import json
from pathlib import Path

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna Lee"]}}
PASSPORT = {"id": "pp-1", "schema": "Passport",
            "properties": {"number": ["AA123"], "country": ["th"], "holder": ["per-1"]}}
SECOND = {**PASSPORT, "id": "pp-2"}
IDCARD = {"id": "id-1", "schema": "Identification",
          "properties": {"number": ["X-77"], "country": ["th"], "holder": ["per-1"]}}
CALL = {"id": "c-1", "schema": "Call", "properties": {
    "callerNumber": ["+66811111111"], "receiverNumber": ["+66822222222"], "caller": ["per-1"],
    "date": ["2024-03-01"]}}


def _with(entity: dict, **props: list[str]) -> dict:
    return {**entity, "properties": {**entity["properties"], **props}}


def _del(entity: dict) -> dict:
    return {"op": "DEL", "entity": entity}


async def _load(store, tmp_path: Path, name: str, *lines: dict):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source="ftm"), source="ftm", provenance=PUBLIC)


async def _anna(store) -> dict:
    [row] = await store.read("ingest/existing_nodes", {"ids": ["per-1"]})
    props = row["props"]
    return {k: props.get(k) for k in ("passportNumber", "idNumber", "identifiers")}


async def _links(store, rel_type: str) -> list[tuple[str, str]]:
    [row] = await store.read("admin/snapshot")
    return sorted((r["from"], r["to"]) for r in row["relationships"] if r.get("type") == rel_type)


async def test_a_del_of_a_passport_takes_its_number_from_the_holder(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", ANNA, PASSPORT)
    assert await _anna(empty_store) == {"passportNumber": ["AA123"], "idNumber": None,
                                        "identifiers": ["passport:TH:AA123"]}
    s = await _load(empty_store, tmp_path, "del.json", _del(PASSPORT))
    assert await _anna(empty_store) == {"passportNumber": None, "idNumber": None, "identifiers": None}
    # the document went with the line that alone stated it (a-69, F4); she stays, her own line's
    assert (s.nodes_deleted, s.relationships_deleted) == (1, 1)
    assert await _links(empty_store, "HOLDS_DOCUMENT") == []


async def test_a_del_of_an_identification_takes_its_id_number_from_the_holder(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", ANNA, IDCARD)
    assert (await _anna(empty_store))["idNumber"] == ["X-77"]
    await _load(empty_store, tmp_path, "del.json", _del(IDCARD))
    assert await _anna(empty_store) == {"passportNumber": None, "idNumber": None, "identifiers": None}


async def test_a_del_of_a_passport_leaves_the_number_her_own_line_states(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", _with(ANNA, passportNumber=["AA123"]), PASSPORT)
    await _load(empty_store, tmp_path, "del.json", _del(PASSPORT))
    # her line said the number, not the Passport's issuing country: that identifier goes
    assert await _anna(empty_store) == {"passportNumber": ["AA123"], "idNumber": None, "identifiers": None}


async def test_a_del_of_one_passport_leaves_the_number_a_second_passport_line_states(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", ANNA, PASSPORT, SECOND)
    s = await _load(empty_store, tmp_path, "del.json", _del(PASSPORT))
    assert await _anna(empty_store) == {"passportNumber": ["AA123"], "idNumber": None,
                                        "identifiers": ["passport:TH:AA123"]}
    assert s.relationships_deleted == 0
    assert len(await _links(empty_store, "HOLDS_DOCUMENT")) == 1
    await _load(empty_store, tmp_path, "del2.json", _del(SECOND))
    assert await _anna(empty_store) == {"passportNumber": None, "idNumber": None, "identifiers": None}
    assert await _links(empty_store, "HOLDS_DOCUMENT") == []


async def test_a_del_of_a_passport_leaves_the_holds_document_her_own_line_draws(empty_store, tmp_path):
    # one nationality: her own passportNumber is a document of that country, the Passport's own
    await _load(empty_store, tmp_path, "add.json", _with(ANNA, passportNumber=["AA123"], nationality=["th"]),
                PASSPORT)
    drawn = await _links(empty_store, "HOLDS_DOCUMENT")
    assert len(drawn) == 1
    s = await _load(empty_store, tmp_path, "del.json", _del(PASSPORT))
    assert (s.relationships_deleted, s.relationships_retracted) == (0, 0)
    assert await _links(empty_store, "HOLDS_DOCUMENT") == drawn


async def test_a_del_of_a_call_leaves_the_uses_phone_her_own_line_draws(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", _with(ANNA, phone=["+66811111111"]), CALL)
    drawn = await _links(empty_store, "USES_PHONE")
    assert drawn == [("per-1", "phone:+66811111111")]
    s = await _load(empty_store, tmp_path, "del.json", _del(CALL))
    assert (s.relationships_deleted, await _links(empty_store, "CALLED")) == (1, [])  # the CALLED only
    assert await _links(empty_store, "USES_PHONE") == drawn


async def test_a_del_of_a_call_takes_the_uses_phone_only_it_draws(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", ANNA, CALL)
    s = await _load(empty_store, tmp_path, "del.json", _del(CALL))
    assert s.relationships_deleted == 2
    assert await _links(empty_store, "USES_PHONE") == []


async def test_a_mod_of_her_line_leaves_the_number_a_passport_line_states(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", ANNA, PASSPORT)
    await _load(empty_store, tmp_path, "mod.json", {"op": "MOD", "entity": _with(ANNA, name=["Anna Leigh"])})
    assert await _anna(empty_store) == {"passportNumber": ["AA123"], "idNumber": None,
                                        "identifiers": ["passport:TH:AA123"]}


async def test_a_del_of_a_passport_keeps_a_holder_only_other_lines_name_and_her_links(empty_store, tmp_path):
    member = {"id": "m-1", "schema": "Membership", "properties": {"member": ["per-1"], "organization": ["o-1"]}}
    await _load(empty_store, tmp_path, "add.json", PASSPORT, member)  # no line of her own: a reference
    s = await _load(empty_store, tmp_path, "del.json", _del(PASSPORT))
    assert await _anna(empty_store) == {"passportNumber": None, "idNumber": None, "identifiers": None}
    # the one node deleted is the document only the Passport line stated (a-69, F4): she stays for her link
    assert (s.nodes_deleted, await _links(empty_store, "MEMBER_OF")) == (1, [("per-1", "o-1")])
