"""A phone two persons' records of one source made stays "made of its links' records" through a
DEL, a whole-source replace and more DELs, and goes with the last of them (attack round 34, 1).

The first DEL renames the phone's statement to the other person's record
(``provenance/rename_made_records``). That write must drop the statement's digest, which hashed the
old recordIds: kept, a later replace took the statement as stored alike and never renamed it to its
own record, so the phone outlived every holder, found by every agency's search."""
import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.search import search
from graphapi.security import Principal

pytestmark = pytest.mark.backends
PHONE = "+66 81 234 5678"
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "phone": [PHONE]}}
P2 = {"id": "p-2", "schema": "Person", "properties": {"name": ["Bea Braun"], "phone": [PHONE]}}
P2_NO_PHONE = {"id": "p-2", "schema": "Person", "properties": {"name": ["Bea Braun"]}}
LA = Principal("a-la", agency="LA-POL", roles=frozenset({"analyst"}))
PROV = Provenance("TH-DSI", "GREEN", (), "2026-01-01T00:00:00Z")


async def _load(store, tmp_path, name, *lines, replace=False):
    f = tmp_path / name
    f.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([f]), source="ftm", provenance=PROV, replace=replace)


async def test_the_phone_goes_with_its_last_holder_after_a_replace(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.ftm.json", P1, P2)
    await _load(empty_store, tmp_path, "b.delta.json", {"op": "DEL", "entity": P1})
    await _load(empty_store, tmp_path, "a.ftm.json", P1, P2_NO_PHONE, replace=True)
    await _load(empty_store, tmp_path, "c.delta.json", {"op": "DEL", "entity": P1})
    await _load(empty_store, tmp_path, "d.delta.json", {"op": "DEL", "entity": P2_NO_PHONE})

    nodes = (await empty_store.read("admin/snapshot"))[0]["nodes"]
    assert [n["props"]["id"] for n in nodes if "Statement" not in n["labels"] and n["props"].get("id")] == []
    assert (await search(empty_store, LA, "+66812345678")).total == 0
