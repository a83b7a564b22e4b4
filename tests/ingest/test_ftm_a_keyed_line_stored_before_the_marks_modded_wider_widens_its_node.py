"""A keyed line stored before the lines were marked, with an id FtM merged into it, MOD'd at a wider
level with no merged id any more widens its node: the merged id first said by the line's own record
is no other line, so the MOD replaces it (attack round a-113, 0, a regression vs main: W1 stayed
AMBER[LA-POL] with the line's old notes beside the MOD's, r-31 kept as a referent)."""

import json

import pytest
from fresh_load_check import graph, op, unmark_lines

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(notes: str, *merged: str) -> dict:
    out = {"id": "k-3", "schema": "CryptoWallet",
           "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"], "notes": [notes]}}
    return {**out, "referents": list(merged)} if merged else out


async def _load(store, tmp_path, name, lines, level):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP",
                   provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def test_a_wider_mod_of_a_line_stored_before_the_marks_replaces_its_merged_id_and_widens_its_node(
        empty_store, tmp_path):
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", wallet("old", "r-31"))],
                ("AMBER", ("LA-POL",)))
    await unmark_lines(empty_store)
    await _load(empty_store, tmp_path, "b.json", [op("MOD", wallet("new"))], ("CLEAR", ()))
    w1 = (await graph(empty_store))[0][f"wallet:{W1}"][1]
    assert (w1["tlp"], w1.get("sharedWith"), w1["referents"], w1["notes"], w1.get("conflicts")) == (
        "CLEAR", None, ["k-3"], "new", None)
