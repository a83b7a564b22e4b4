"""A statement of a keyed node whose last line entry (``lineReferent``) a DEL, or a MOD into other
datasets, takes names no line any more, whatever ids FtM merged into that line are left in its
``referents``: it goes, and the node with it where no other statement names a line (attack round
a-104, 1: the merged ``r-1`` counted as a line once no ``lineReferent`` was left, and W1 stayed for
good, or kept ``ftm:ds1``)."""

import json

import pytest
from fresh_load_check import differences, graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
AMBER = ("AMBER", ("TH-DSI",))


def wallet(eid: str, *datasets: str, merged: tuple[str, ...] = ()) -> dict:
    out = {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets),
           "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": ["per-1"]}}
    return {**out, "referents": list(merged)} if merged else out


async def _load(store, tmp_path, name, lines, level=("CLEAR", ())):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm",
                   provenance=Provenance("public", level[0], level[1], "2026-01-01T00:00:00Z"))


async def test_the_del_of_a_line_with_merged_ids_takes_its_datasets_statement_another_dataset_keeps_the_node(
        empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", wallet("k-1", "ds1", merged=("r-1",))), op("ADD", wallet("k-2", "ds2"))],
        [op("DEL", wallet("k-1", "ds1", merged=("r-1",)))]) == []


async def test_a_line_with_merged_ids_modded_into_another_dataset_leaves_the_old_one(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [
        op("ADD", ANNA), op("ADD", wallet("k-1", "ds1", merged=("r-1",))), op("ADD", wallet("k-2", "ds2"))],
        [op("MOD", wallet("k-1", "ds2", merged=("r-1",)))]) == []


async def test_the_dels_of_a_line_with_merged_ids_and_another_levels_line_take_their_node(empty_store, tmp_path):
    await empty_store.clear()
    await _load(empty_store, tmp_path, "a.json", [op("ADD", ANNA)])
    await _load(empty_store, tmp_path, "b.json", [op("ADD", wallet("k-2"))], AMBER)
    await _load(empty_store, tmp_path, "c.json", [op("ADD", wallet("k-1", merged=("r-1",)))])
    await _load(empty_store, tmp_path, "d.json", [op("DEL", wallet("k-1", merged=("r-1",)))])
    await _load(empty_store, tmp_path, "e.json", [op("DEL", wallet("k-2"))], AMBER)
    nodes, links = await graph(empty_store)
    assert sorted(nodes) == ["per-1"] and links == set()
    assert [s for s in (await empty_store.read("admin/snapshot"))[0]["nodes"] if "Statement" in s["labels"]
            and s["props"]["entity"] == f"wallet:{W1}"] == []
