"""A keyed line's MOD into another dataset leaves the node a value another live line still says,
though the MOD'd line's record said it first (attack round a-115, 2, a regression vs main: a fix of
a-113, 2 took from the statement the values first said by the line's record, and W1 lost k-2's
``notes``)."""

import json

import pytest
from fresh_load_check import graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, notes: str, dataset: str = "") -> dict:
    out = {"id": eid, "schema": "CryptoWallet",
           "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"], "notes": [notes]}}
    return {**out, "datasets": [dataset]} if dataset else out


async def _load(store, tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP",
                   provenance=Provenance("KH-NP", "CLEAR", (), "2026-01-01T00:00:00Z"))


async def test_a_keyed_lines_mod_into_another_dataset_keeps_a_value_another_line_still_says(empty_store, tmp_path):
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", wallet("k-1", "shared"))])
    await _load(empty_store, tmp_path, "b.json", [op("ADD", wallet("k-2", "shared"))])
    await _load(empty_store, tmp_path, "c.json", [op("MOD", wallet("k-1", "other", "ds2"))])
    w1 = (await graph(empty_store))[0][f"wallet:{W1}"][1]
    said = {w1["notes"], *(json.loads(c)["value"] for c in w1.get("conflicts") or ())}
    assert (w1["referents"], "shared" in said) == (["k-1", "k-2"], True)
