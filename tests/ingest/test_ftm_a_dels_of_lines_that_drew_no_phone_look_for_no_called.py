"""A renewed FtM line whose previous version drew no USES_PHONE (a Person with no phone, a
Passport) is not looked for among the CALLED (ingest/links_drawn): every DEL line was, a Person's
DEL the commonest, and each batch read every agency's CALLED (attack round a-87, 1: 3.5-5.7 s a
batch of 5,000 DELs at 150,000 CALLED on FalkorDB). Counted in statements run, not in time."""

import pytest
from fresh_load_check import load, op

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
PASSPORT = {"id": "pp-1", "schema": "Passport", "properties": {"number": ["AA1"], "country": ["th"],
                                                               "holder": ["per-2"]}}
CALL = {"id": "c-1", "schema": "Call", "properties": {"callerNumber": ["+66811111111"], "receiverNumber": [
    "+66822222222"], "caller": ["per-2"], "date": ["2024-03-01"]}}


def counting(store, monkeypatch, name: str) -> list[dict]:
    """The parameters of every ``name`` read the store runs from now on."""
    seen: list[dict] = []
    read = store.read

    async def counted(statement: str, params=None, *args, **kwargs):
        if statement == name:
            seen.append(params)
        return await read(statement, params, *args, **kwargs)

    monkeypatch.setattr(store, "read", counted)
    return seen


async def test_dels_of_a_person_and_a_passport_line_look_for_no_called(empty_store, tmp_path, monkeypatch):
    await load(empty_store, tmp_path, "add.json", op("ADD", ANNA), op("ADD", BEA), op("ADD", PASSPORT), op("ADD", CALL))
    looked = counting(empty_store, monkeypatch, "ingest/links_drawn")
    await load(empty_store, tmp_path, "del.json", {"op": "DEL", "entity": {**ANNA, "properties": {}}},
               {"op": "DEL", "entity": {**PASSPORT, "properties": {}}})
    assert looked == []


async def test_a_call_line_deleted_as_a_passport_is_still_looked_for_among_the_called(empty_store, tmp_path,
                                                                                      monkeypatch):
    await load(empty_store, tmp_path, "add.json", op("ADD", BEA), op("ADD", CALL))
    looked = counting(empty_store, monkeypatch, "ingest/links_drawn")
    await load(empty_store, tmp_path, "del.json", {"op": "DEL", "entity": {**PASSPORT, "id": "c-1"}})
    assert [p["records"] for p in looked] == [["c-1"]]
    (row,) = await empty_store.read("admin/snapshot")
    assert [r for r in row["relationships"] if r.get("type") == "CALLED"] == []
