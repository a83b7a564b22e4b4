"""Keyed lines' MODs at a narrower share that narrow their node, killed after the node's level is
set and before the statement it took its level from is written as following it, run again end with
one statement of the owner's source at the node's level, as one uninterrupted run (attack round
a-115, 3: the rerun's MODs wrote the statement that follows W1 beside the one left at its level,
and both named k-1 and k-2, one with k-3's old value)."""

import json

import pytest
from fresh_load_check import op
from store_kills import killed_after_write

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PEOPLE = [{"id": p, "schema": "Person", "properties": {"name": [p]}} for p in ("per-1", "per-2", "per-3")]
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
TH, TH_LA = ("AMBER", ("TH-DSI",)), ("AMBER", ("TH-DSI", "LA-POL"))


def wallet(eid: str, holder: str, notes: str) -> dict:
    return {"id": eid, "schema": "CryptoWallet",
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder], "notes": [notes]}}


async def _load(store, tmp_path, name, lines, level=("CLEAR", ())):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP",
                   provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def _run(store, tmp_path):
    await _load(store, tmp_path, "d.json", [op("MOD", wallet("k-1", "per-1", "n1")),
                                            op("MOD", wallet("k-2", "per-2", "n2")),
                                            op("DEL", wallet("k-3", "per-3", "c"))], TH)


async def _statements(store) -> list[tuple]:
    (row,) = await store.read("admin/snapshot")
    return sorted((n["props"]["tlp"], tuple(n["props"].get("sharedWith") or ()), n["props"].get("follows"),
                   tuple(sorted(zip(n["props"]["property"], n["props"]["value"], n["props"]["recordId"],
                                    strict=True))))
                  for n in row["nodes"] if "Statement" in n["labels"] and n["props"]["entity"] == f"wallet:{W1}")


async def test_keyed_mods_killed_after_their_nodes_narrowing_leave_one_statement_at_its_level(
        empty_store, tmp_path, monkeypatch):
    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "p.json", [op("ADD", p) for p in PEOPLE])
        await _load(empty_store, tmp_path, "s1.json", [op("ADD", wallet("k-3", "per-3", "c"))], TH)
        await _load(empty_store, tmp_path, "s2.json", [op("ADD", wallet("k-1", "per-1", "old1")),
                                                       op("ADD", wallet("k-2", "per-2", "old2"))], TH_LA)

    await start()
    await _run(empty_store, tmp_path)
    want = await _statements(empty_store)
    await start()
    await killed_after_write(empty_store, monkeypatch, "ingest/relevel_nodes", lambda: _run(empty_store, tmp_path))
    await _run(empty_store, tmp_path)
    assert (len(await _statements(empty_store)), await _statements(empty_store)) == (1, want)
