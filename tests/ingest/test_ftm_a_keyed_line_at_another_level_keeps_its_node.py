"""A keyed FtM line's statement of its natural-key node at another level than a later load's is
still that line's: a MOD of another line onto the key, or the DEL of another line stating it, leaves
it, and the node stays as a fresh load of the lines left has it (attack round a-100, 1: the MOD's
replace deleted the source's statements at every other level, ``k-2``'s AMBER one too, and the DEL
read only its own level's statement, so it took ``W2`` whole with per-2's CONTROLS_WALLET)."""

import json

import pytest
from fresh_load_check import graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1, W2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
AMBER = ("AMBER", ("TH-DSI",))


def wallet(eid: str, key: str, holder: str = "per-1") -> dict:
    return {"id": eid, "schema": "CryptoWallet",
            "properties": {"publicKey": [key], "currency": ["BTC"], "holder": [holder]}}


async def _load(store, tmp_path, name, lines, level=("CLEAR", ())):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm",
                   provenance=Provenance("public", level[0], level[1], "2026-01-01T00:00:00Z"))


async def _w2_after(store, tmp_path, *later: list[dict]) -> list[str]:
    """What differs about W2 after ``k-2`` states it at AMBER under ``k-1``'s CLEAR W1 and the
    ``later`` CLEAR loads run, from a fresh load of per-1, per-2 (CLEAR) and ``k-2`` (AMBER)."""
    await store.clear()
    await _load(store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1", W1))])
    await _load(store, tmp_path, "b.json", [op("ADD", wallet("k-2", W2, "per-2"))], AMBER)
    for i, lines in enumerate(later):
        await _load(store, tmp_path, f"c{i}.json", lines)
    got_nodes, got_links = await graph(store)
    await store.clear()
    await _load(store, tmp_path, "f.json", [op("ADD", ANNA), op("ADD", BEA)])
    await _load(store, tmp_path, "g.json", [op("ADD", wallet("k-2", W2, "per-2"))], AMBER)
    want_nodes, want_links = await graph(store)
    key = f"wallet:{W2}"
    got, want = got_nodes.get(key), want_nodes.get(key)
    return ([f"node: delta={got} fresh={want}"] if got != want else []) + [
        f"link {x}" for x in sorted(got_links ^ want_links) if x[2] == key]



async def test_a_line_modded_onto_a_key_another_line_states_at_another_level_then_deleted_leaves_that_line(
        empty_store, tmp_path):
    assert await _w2_after(empty_store, tmp_path, [op("MOD", wallet("k-1", W2))],
                           [op("DEL", wallet("k-1", W2))]) == []


async def test_the_del_of_a_line_keeps_a_node_another_line_states_at_another_level(empty_store, tmp_path):
    assert await _w2_after(empty_store, tmp_path, [op("ADD", wallet("k-3", W2))],
                           [op("DEL", wallet("k-3", W2))]) == []


async def test_the_del_of_the_narrower_line_widens_its_node_to_the_wider_line_left(empty_store, tmp_path):
    # a-107, 3: k-2's CLEAR ADD merged into W1 at k-1's AMBER (the owner's wider record does not
    # widen its node), and after k-1's DEL W1 stayed AMBER, where a fresh load of k-2 has it CLEAR
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA), op("ADD", BEA)])
    await _load(empty_store, tmp_path, "b.json", [op("ADD", wallet("k-1", W1))], AMBER)
    await _load(empty_store, tmp_path, "c.json", [op("ADD", wallet("k-2", W1, "per-2"))])
    await _load(empty_store, tmp_path, "d.json", [op("DEL", wallet("k-1", W1))], AMBER)
    got, got_links = await graph(empty_store)
    await empty_store.clear()
    await _load(empty_store, tmp_path, "f.json", [op("ADD", ANNA), op("ADD", BEA),
                                                  op("ADD", wallet("k-2", W1, "per-2"))])
    want, want_links = await graph(empty_store)
    key = f"wallet:{W1}"
    assert (got[key][1]["tlp"], got[key], got_links) == ("CLEAR", want[key], want_links)
