"""A keyed FtM line's MOD into a dataset where another line of the source states the node at another
level, killed after any one of its writes and run again, ends as one uninterrupted run, which is a
fresh load of the lines left (attack round a-107, 5). KH-NP states ``W1`` by ``k-3`` at AMBER in
ds2 first, then by ``k-1`` and ``k-2`` at CLEAR in ds1 (W1 stays AMBER, its owner's first level);
the run MODs ``k-1`` into ds2 (its holder changed) and DELs ``k-2``."""

import json

import pytest
from fresh_load_check import graph, op
from store_kills import converges_after_each_kill, killed_after_write

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
AMBER = ("AMBER", ("LA-POL",))


def wallet(eid: str, dataset: str, holder: str = "per-1") -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": [dataset],
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder]}}


async def _load(store, tmp_path, name, lines, level=("CLEAR", ()), batch_size=1):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", batch_size=batch_size,
                   provenance=Provenance("KH-NP", level[0], level[1], "2026-01-01T00:00:00Z"))


async def _start(store, tmp_path, *clear: dict) -> None:
    await store.clear()
    await _load(store, tmp_path, "amber.json", [op("ADD", wallet("k-3", "ds2", "per-2"))], AMBER)
    await _load(store, tmp_path, "clear.json", [op("ADD", ANNA), op("ADD", BEA), *clear])


def _unordered(props: dict) -> dict:
    """``props`` with its lists in one order (the order a merge left them in is no data)."""
    return {k: sorted(v, key=str) if isinstance(v, list) else v for k, v in props.items()}


async def _snapshot(store):
    (row,) = await store.read("admin/snapshot")
    nodes = []
    for n in row["nodes"]:
        props = dict(n["props"])
        if "Statement" in n["labels"]:  # its entries as pairs, in one order
            props["said"] = sorted(zip(props.pop("property", []), props.pop("value", []),
                                       props.pop("recordId", []), props.pop("firstSeen", []),
                                       props.pop("lastSeen", []), strict=True))
        if "WriteLease" not in n["labels"]:
            nodes.append(json.dumps({"labels": sorted(n["labels"]), "props": _unordered(props)}, sort_keys=True))
    return (sorted(nodes), sorted(json.dumps({**r, "props": _unordered(r.get("props") or {})}, sort_keys=True)
                                  for r in row["relationships"] if r.get("type")))


async def _amber_lines(store) -> list[list[str]]:
    """The lines KH-NP's AMBER statements of W1 name."""
    (row,) = await store.read("admin/snapshot")
    return sorted(sorted(v for p, v in zip(n["props"]["property"], n["props"]["value"], strict=True)
                         if p == "lineReferent")
                  for n in row["nodes"] if "Statement" in n["labels"]
                  and n["props"].get("entity") == f"wallet:{W1}" and n["props"].get("tlp") == "AMBER")


async def test_a_statement_moved_to_its_old_level_is_kept_when_the_mod_is_killed_after_its_first_write(
        empty_store, tmp_path, monkeypatch):
    # a-107, 5 (old): the MOD's CLEAR statement of ds2 was written over k-3's AMBER one (which
    # followed W1) before k-3's was written again at AMBER: killed between, k-3's line was gone for good
    await _start(empty_store, tmp_path, op("ADD", wallet("k-1", "ds1")))
    await killed_after_write(empty_store, monkeypatch, "provenance/write_statements", lambda: _load(
        empty_store, tmp_path, "mod.json", [op("MOD", wallet("k-1", "ds2", "per-2"))]))
    # (both: the one that followed W1, not yet written over, and its copy kept at AMBER)
    assert await _amber_lines(empty_store) == [["k-3"], ["k-3"]]


async def test_a_keyed_line_mod_leaves_its_node_at_the_level_another_line_of_its_dataset_keeps(
        empty_store, tmp_path):
    # a-107, 5 (new): with W1's sources the MOD's own (ds1 withdrawn by a killed run), the MOD was
    # taken as all the source says of W1 and widened it to CLEAR past k-3's AMBER line
    await _start(empty_store, tmp_path, op("ADD", wallet("k-1", "ds2")))
    await _load(empty_store, tmp_path, "mod.json", [op("MOD", wallet("k-1", "ds2", "per-2"))])
    got, _ = await graph(empty_store)
    await _start(empty_store, tmp_path, op("ADD", wallet("k-1", "ds2", "per-2")))
    want, _ = await graph(empty_store)
    assert (got[f"wallet:{W1}"][1]["tlp"], got[f"wallet:{W1}"]) == ("AMBER", want[f"wallet:{W1}"])


@pytest.mark.one_store("a sweep of every kill point; on Neo4j the two cases above prove its two causes")
async def test_a_keyed_line_mod_and_another_lines_del_killed_after_any_write_end_as_one_run(
        empty_store, tmp_path, monkeypatch):
    async def run():  # one batch: the first case covers a kill between batches
        await _load(empty_store, tmp_path, "run.json", [
            op("MOD", {**wallet("k-1", "ds2", "per-2"), "referents": ["r-1"]}), op("DEL", wallet("k-2", "ds1"))],
            batch_size=1000)

    await converges_after_each_kill(empty_store, monkeypatch, lambda: _start(
        empty_store, tmp_path, op("ADD", wallet("k-1", "ds1")), op("ADD", wallet("k-2", "ds1"))), run,
        lambda: _snapshot(empty_store))
    got, _ = await graph(empty_store)
    await _start(empty_store, tmp_path, op("ADD", {**wallet("k-1", "ds2", "per-2"), "referents": ["r-1"]}))
    want, _ = await graph(empty_store)
    assert got[f"wallet:{W1}"] == want[f"wallet:{W1}"]
