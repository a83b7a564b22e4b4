"""A keyed FtM line's MOD the load refuses (the owner's narrower record of its wider node) writes no
new version, so the line keeps its old one in the datasets it stated the node in (attack round
a-110, 5: the close of the load withdrew the refused MOD's line from ds1 all the same, and W1 lost
line k-3 with its notes and ``ftm:ds1``)."""

import json

import pytest
from fresh_load_check import graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, holder: str, notes: str, *datasets: str) -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets),
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder], "notes": [notes]}}


async def _load(store, tmp_path, name, lines, level=("CLEAR", ())):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP",
                          provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def test_a_refused_mod_of_a_keyed_line_into_another_dataset_leaves_the_line_as_it_was(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", BEA),
                                                  op("ADD", wallet("k-1", "per-1", "a")),
                                                  op("ADD", wallet("k-3", "per-2", "old", "ds1"))])
    before = (await graph(empty_store))[0][f"wallet:{W1}"]
    done = await _load(empty_store, tmp_path, "b.json", [op("MOD", wallet("k-3", "per-2", "new", "ds2"))],
                       ("AMBER", ("TH-DSI",)))
    after = (await graph(empty_store))[0][f"wallet:{W1}"]
    assert (done.restricted, after[1]["referents"], after[1]["sources"], after) == (
        1, ["k-1", "k-3"], ["ftm", "ftm:ds1"], before)
