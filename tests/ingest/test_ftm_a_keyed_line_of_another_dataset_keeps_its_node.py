"""The DEL of a keyed FtM line keeps the natural-key node a line of another dataset of the source
states, with that line's holder link, as a fresh load of the lines left has them (attack round
a-94, 2: ``DEL k-1`` [ds1] read only the ``ftm:ds1`` statement, named no other line there and took
the wallet whole, ``k-2``'s ``ftm:ds2`` statement and per-1's CONTROLS_WALLET with it). The
datasets are read from the node (one row a node), so the cost does not grow with the lines of the
other dataset or another agency's lines on the node."""

import json

import pytest
from fresh_load_check import differences, load, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from tests.ingest.store_calls import rows_sent_back

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def wallet(eid: str, dataset: str, holder: str = "per-1") -> dict:
    return {"id": eid, "schema": "CryptoWallet", "datasets": [dataset],
            "properties": {"publicKey": [W1], "currency": ["BTC"], "holder": [holder]}}


def iban(eid: str, dataset: str) -> dict:
    return {"id": eid, "schema": "BankAccount", "datasets": [dataset],
            "properties": {"iban": ["DE89370400440532013000"]}}


async def test_the_del_of_a_wallet_line_keeps_the_wallet_a_line_of_another_dataset_states(empty_store, tmp_path):
    two = [op("ADD", ANNA), op("ADD", wallet("k-1", "ds1")), op("ADD", wallet("k-2", "ds2"))]
    assert await differences(empty_store, tmp_path, two, [op("DEL", wallet("k-1", "ds1"))]) == []


async def test_the_del_of_a_wallet_line_keeps_the_other_datasets_holders_link(empty_store, tmp_path):
    two = [op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1", "ds1")),
           op("ADD", wallet("k-2", "ds2", holder="per-2"))]
    assert await differences(empty_store, tmp_path, two, [op("DEL", wallet("k-1", "ds1"))]) == []


async def test_the_del_of_an_iban_line_keeps_the_account_a_line_of_another_dataset_states(empty_store, tmp_path):
    two = [op("ADD", iban("k-1", "ds1")), op("ADD", iban("k-2", "ds2"))]
    assert await differences(empty_store, tmp_path, two, [op("DEL", iban("k-1", "ds1"))]) == []


async def _rows_of_one_del(store, tmp_path, lines: int) -> int:
    """Rows the store sends back while one ds1 line's DEL runs, with ``lines`` lines of ds2 and as
    many of another agency's (RED, hidden) on the wallet."""
    await store.clear()
    await load(store, tmp_path, "a.json", op("ADD", ANNA), op("ADD", wallet("k-0", "ds1")),
               *(op("ADD", wallet(f"k-{i}", "ds2")) for i in range(1, lines)))
    path = tmp_path / "b.json"
    path.write_text("".join(json.dumps(op("ADD", wallet(f"b-{i}", "dsb"))) + "\n" for i in range(lines)))
    await run_load(store, FtmReader([path], source="cdrB"), source="cdrB", viewer="TH-DSI",
                   provenance=Provenance("TH-DSI", "RED", (), "2026-01-01T00:00:00Z"))
    _, rows = await rows_sent_back(store, lambda: load(store, tmp_path, "d.json", op("DEL", wallet("k-0", "ds1"))))
    [node] = await store.read("ingest/existing_nodes", {"ids": [f"wallet:{W1}"]})
    assert "k-0" not in node["props"]["referents"] and "ftm:ds1" not in node["props"]["sources"]
    return rows


async def test_the_del_of_a_keyed_line_costs_the_same_with_forty_lines_of_another_dataset_on_it(
        empty_store, tmp_path):
    assert await _rows_of_one_del(empty_store, tmp_path, 40) == await _rows_of_one_del(empty_store, tmp_path, 2)
