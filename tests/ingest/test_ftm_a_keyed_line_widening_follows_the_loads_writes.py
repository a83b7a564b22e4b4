"""A keyed node its owner's lines leave stated only more widely widens at the close of the load,
after the load's later ADDs and MODs are written, and from the statements left, so a killed run's
rerun widens it too (attack round a-110: 1, the DEL of the narrowest line widened W1 before the
same load's re-ADD of that line, which was then refused as a narrowing; 2, likewise a MOD of the
wider line to the narrow level; 7, killed after a MOD's withdrawal of its old dataset, the rerun
found no line to drop and never widened W1)."""

import json

import pytest
from fresh_load_check import graph, op
from store_kills import converges_after_each_kill

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
KEY = f"wallet:{W1}"
CLEAR, AMBER_TH, AMBER_LA = ("CLEAR", ()), ("AMBER", ("TH-DSI",)), ("AMBER", ("LA-POL",))


def wallet(eid: str, holder: str = "per-1", notes: str = "", *datasets: str, **extra) -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": list(datasets), **extra,
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder],
                           **({"notes": [notes]} if notes else {})}}


async def _load(store, tmp_path, name, lines, level=CLEAR, batch_size=1000):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", viewer="KH-NP", batch_size=batch_size,
                   provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def _w1(store, tmp_path, *loads: tuple[list[dict], tuple]) -> dict:
    await store.clear()
    await _load(store, tmp_path, "people.json", [op("ADD", ANNA), op("ADD", BEA)])
    for i, (lines, level) in enumerate(loads):
        await _load(store, tmp_path, f"l{i}.json", lines, level)
    return (await graph(store))[0][KEY][1]


async def test_the_del_and_re_add_of_the_narrowest_line_in_one_load_keeps_the_re_add(empty_store, tmp_path):
    got = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-1"))], AMBER_TH),
                    ([op("ADD", wallet("k-2", "per-2"))], CLEAR),
                    ([op("DEL", wallet("k-1")), op("ADD", wallet("k-1", "per-1", "secret-readd"))], AMBER_TH))
    want = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-1", "per-1", "secret-readd"))], AMBER_TH),
                     ([op("ADD", wallet("k-2", "per-2"))], CLEAR))
    assert (got["tlp"], got["notes"], got) == ("AMBER", "secret-readd", want)


async def test_the_del_of_the_narrow_line_and_a_mod_of_the_wide_line_to_its_level_keeps_the_mod(
        empty_store, tmp_path):
    got = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-1"))], AMBER_TH),
                    ([op("ADD", wallet("k-2", "per-2"))], CLEAR),
                    ([op("DEL", wallet("k-1")), op("MOD", wallet("k-2", "per-2", "secret-k2"))], AMBER_TH))
    want = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-2", "per-2", "secret-k2"))], AMBER_TH))
    assert (got["tlp"], got["notes"], got) == ("AMBER", "secret-k2", want)


async def test_the_narrow_lines_mod_at_the_wide_level_widens_its_node(empty_store, tmp_path):
    got = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-1"))], AMBER_TH),
                    ([op("ADD", wallet("k-2", "per-2"))], CLEAR), ([op("MOD", wallet("k-1"))], CLEAR))
    want = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-1")), op("ADD", wallet("k-2", "per-2"))], CLEAR))
    assert (got["tlp"], got) == ("CLEAR", want)


@pytest.mark.one_store("a sweep of every kill point; the cases above prove the close's widening on both")
async def test_a_narrow_lines_mod_into_another_dataset_widens_its_node_after_a_kill_at_any_write(
        empty_store, tmp_path, monkeypatch):
    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "people.json", [op("ADD", ANNA), op("ADD", BEA)])
        await _load(empty_store, tmp_path, "a.json", [op("ADD", wallet("k-1", "per-1", "", "ds1", referents=["r-1"]))],
                    AMBER_LA)
        await _load(empty_store, tmp_path, "c.json", [op("ADD", wallet("k-2", "per-2", "", "ds1"))])

    async def run():
        await _load(empty_store, tmp_path, "run.json", [
            op("MOD", wallet("k-1", "per-1", "", "ds2", referents=["r-1"])),
            op("ADD", wallet("k-3", "per-2", "", "ds2"))], batch_size=1)

    async def snapshot():
        return (await graph(empty_store))[0][KEY][1]

    await converges_after_each_kill(empty_store, monkeypatch, start, run, snapshot)
    assert (await snapshot())["tlp"] == "CLEAR"


async def test_two_narrow_lines_both_modded_at_the_wide_level_leave_no_narrow_value(empty_store, tmp_path):
    # a-110, 3: each MOD spared the AMBER statement naming the other line, which kept secret-k1
    got = await _w1(empty_store, tmp_path,
                    ([op("ADD", wallet("k-1", "per-1", "secret-k1")), op("ADD", wallet("k-2", "per-2"))], AMBER_TH),
                    ([op("MOD", wallet("k-1", "per-1", "p1")), op("MOD", wallet("k-2", "per-2", "p2"))], CLEAR))
    want = await _w1(empty_store, tmp_path, ([op("ADD", wallet("k-1", "per-1", "p1")),
                                              op("ADD", wallet("k-2", "per-2", "p2"))], CLEAR))
    assert (got["tlp"], got["notes"], got) == ("CLEAR", "p1", want)
