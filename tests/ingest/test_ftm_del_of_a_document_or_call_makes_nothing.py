"""An FtM delta DEL of a Passport / Identification or of a Call takes the links the ADD of the same
entity drew (by their ids) and makes nothing: no holder, no document, no phone, no placeholder
(attack round a-59, 3: the DEL of a Passport merged its holders, its document and their
HOLDS_DOCUMENT; the DEL of a Call merged its phones, placeholders for its parties and their
USES_PHONE)."""

import json
from pathlib import Path

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
PERSON = {"id": "per-1", "schema": "Person", "properties": {"name": ["Somchai Dee"]}}
PASSPORT = {"id": "pp-1", "schema": "Passport",
            "properties": {"number": ["AA123"], "country": ["th"], "holder": ["per-1"]}}
CALL = {"id": "c-1", "schema": "Call", "properties": {
    "callerNumber": ["+66811111111"], "receiverNumber": ["+66822222222"], "caller": ["per-a"],
    "receiver": ["per-b"], "date": ["2024-03-01"]}}


async def _load(store, tmp_path: Path, name: str, *lines: dict):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source="ftm"), source="ftm", provenance=PUBLIC)


async def _graph(store) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The node ids (statements aside: a DEL takes its line's) and the relationships (type, from, to), sorted."""
    [row] = await store.read("admin/snapshot")
    return (sorted(n["props"]["id"] for n in row["nodes"] if not n["props"]["id"].startswith("stmt:")),
            sorted((r["type"], r["from"], r["to"]) for r in row["relationships"] if r.get("type")))


def _del(entity: dict, **props: list[str]) -> dict:
    return {"op": "DEL", "entity": {**entity, "properties": {**entity["properties"], **props}}}


async def test_a_del_of_a_passport_takes_its_holds_document_and_makes_no_holder(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", PERSON, PASSPORT)
    nodes, rels = await _graph(empty_store)
    assert [t for t, *_ in rels] == ["HOLDS_DOCUMENT"]
    # the DEL names a second holder the store never had: nothing is made of it
    s = await _load(empty_store, tmp_path, "del.json", _del(PASSPORT, holder=["per-1", "per-2"]))
    assert (s.relationships_deleted, s.relationships_created, s.nodes_created) == (1, 0, 0)
    # the document goes with the line that alone stated it (a-69, F4): her node alone stays
    assert await _graph(empty_store) == (["per-1"], [])


async def test_a_del_of_a_call_takes_its_called_and_uses_phone_and_makes_no_phone(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "add.json", CALL)
    nodes, rels = await _graph(empty_store)
    assert [t for t, *_ in rels] == ["CALLED", "USES_PHONE", "USES_PHONE"]
    s = await _load(empty_store, tmp_path, "del.json", _del(CALL, caller=["per-a", "per-c"]))
    assert (s.relationships_deleted, s.relationships_created, s.nodes_created) == (3, 0, 0)
    assert (await _graph(empty_store))[1] == []
    assert set((await _graph(empty_store))[0]) <= set(nodes)


@pytest.mark.parametrize("entity", [PASSPORT, CALL], ids=["Passport", "Call"])
async def test_a_del_of_a_document_or_call_the_store_never_had_writes_nothing(empty_store, tmp_path, entity):
    s = await _load(empty_store, tmp_path, "del.json", {"op": "DEL", "entity": entity})
    assert (s.rows_loaded, s.rows_rejected, s.nodes_created, s.relationships_created) == (1, 0, 0, 0)
    assert await _graph(empty_store) == ([], [])
