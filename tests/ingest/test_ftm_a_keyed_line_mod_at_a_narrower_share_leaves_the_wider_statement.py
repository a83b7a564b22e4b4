"""A keyed line's MOD shared with fewer agencies than its old version takes the line out of the
statement shared with more: a share with more agencies is another level, and only the statement at
exactly the MOD's level (or the one the MOD wrote) keeps it (attack round a-113, 1: after every
line was MOD'd at AMBER[TH-DSI], the AMBER[TH-DSI, LA-POL] statement kept their old values, and
LA-POL kept reading W1 with values no line says any more)."""

import json

import pytest
from fresh_load_check import graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
TH, TH_LA = ("AMBER", ("TH-DSI",)), ("AMBER", ("TH-DSI", "LA-POL"))


W2 = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"


def wallet(eid: str, notes: str, key: str = W1) -> dict:
    return {"id": eid, "schema": "CryptoWallet",
            "properties": {"publicKey": [key], "currency": ["BTC"], "holder": ["per-1"], "notes": [notes]}}


async def _load(store, tmp_path, name, lines, level, batch_size=1000):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP", batch_size=batch_size,
                   provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def test_a_keyed_mods_narrower_share_takes_its_line_out_of_the_wider_shares_statement(empty_store, tmp_path):
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", wallet("k-3", "c"))], TH)
    await _load(empty_store, tmp_path, "b.json", [op("ADD", wallet("k-1", "old1")), op("ADD", wallet("k-2", "old2"))],
                TH_LA)
    await _load(empty_store, tmp_path, "c.json", [op("MOD", wallet("k-1", "n1")), op("MOD", wallet("k-2", "n2"))], TH)
    w1 = (await graph(empty_store))[0][f"wallet:{W1}"][1]
    said = {w1["notes"], *(json.loads(c)["value"] for c in w1.get("conflicts") or ())}
    assert (w1["tlp"], w1["sharedWith"], w1["referents"], said) == (
        "AMBER", ["TH-DSI"], ["k-1", "k-2", "k-3"], {"c", "n1", "n2"})


async def test_the_lines_of_two_nodes_modded_in_one_load_of_batch_size_one_both_leave_their_old_level(
        empty_store, tmp_path):
    # the withdrawal runs a batch a node: the second batch was read from the first's spared ids
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", wallet("k-1", "o1")),
                                                  op("ADD", wallet("k-2", "o2", W2))], TH)
    await _load(empty_store, tmp_path, "b.json", [op("MOD", wallet("k-1", "n1")), op("MOD", wallet("k-2", "n2", W2))],
                ("CLEAR", ()), batch_size=1)
    nodes = (await graph(empty_store))[0]
    assert [(nodes[f"wallet:{k}"][1]["tlp"], nodes[f"wallet:{k}"][1]["notes"]) for k in (W1, W2)] == [
        ("CLEAR", "n1"), ("CLEAR", "n2")]
