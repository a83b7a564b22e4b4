"""A keyed line MOD'd into another dataset takes the values its old version said out of the
statement it leaves, as the line says them no more: another line's values stay (attack round
a-113, 2: k-2's AMBER ``notes`` stayed W1's value after its CLEAR MOD into ds2)."""

import json

import pytest
from fresh_load_check import graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, notes: str, *datasets: str) -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets),
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"], "notes": [notes]}}


async def _load(store, tmp_path, name, lines, level):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP",
                   provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def test_a_keyed_lines_mod_into_another_dataset_takes_its_old_value_and_keeps_the_other_lines(
        empty_store, tmp_path):
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", wallet("k-2", "old2")),
                                                  op("ADD", wallet("k-3", "v3"))], ("AMBER", ("TH-DSI",)))
    await _load(empty_store, tmp_path, "b.json", [op("MOD", wallet("k-2", "new2", "ds2"))], ("CLEAR", ()))
    w1 = (await graph(empty_store))[0][f"wallet:{W1}"][1]
    said = {w1["notes"], *(json.loads(c)["value"] for c in w1.get("conflicts") or ())}
    assert (w1["tlp"], w1["referents"], w1["sources"], w1["chain"], said) == (
        "AMBER", ["k-2", "k-3"], ["ftm", "ftm:ds2"], ["BTC"], {"v3", "new2"})
