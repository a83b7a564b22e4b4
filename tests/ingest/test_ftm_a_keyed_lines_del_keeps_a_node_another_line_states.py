"""The DEL of one keyed FtM line (CryptoWallet, BankAccount, Address) whose natural-key node
another line of the source states too takes only that line's part: the node and the other line's
holder link stay, as a fresh load of the lines left has them (attack round a-91, 2: the DEL took
the node whole). Its cost does not grow with the lines or agencies stating the node
(:mod:`graphapi.ingest.keyed_line_deletes`: the source's statement is read by its id)."""

import json

import pytest
from fresh_load_check import differences, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from tests.ingest.store_calls import rows_sent_back

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
W1, W2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"


def wallet(eid: str, key: str = W1, holder: str = "per-1") -> dict:
    return {"id": eid, "schema": "CryptoWallet",
            "properties": {"publicKey": [key], "currency": ["BTC"], "holder": [holder]}}


def iban(eid: str) -> dict:
    return {"id": eid, "schema": "BankAccount", "properties": {"iban": ["DE89370400440532013000"]}}


def address(eid: str) -> dict:
    return {"id": eid, "schema": "Address", "properties": {"full": ["1 Main St, Bangkok"], "country": ["th"]}}


async def test_the_del_of_one_of_two_wallet_lines_keeps_the_wallet_and_the_other_holders_link(empty_store, tmp_path):
    two = [op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1")), op("ADD", wallet("k-2", holder="per-2"))]
    assert await differences(empty_store, tmp_path, two, [op("DEL", wallet("k-1"))]) == []


@pytest.mark.parametrize("line", [iban, address], ids=["iban", "address"])
async def test_the_del_of_one_of_two_lines_of_one_key_keeps_the_node_for_the_other(empty_store, tmp_path, line):
    assert await differences(empty_store, tmp_path, [op("ADD", line("k-1")), op("ADD", line("k-2"))],
                             [op("DEL", line("k-1"))]) == []


async def test_the_del_of_the_only_line_of_a_key_still_takes_its_node(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", wallet("k-1"))],
                             [op("DEL", wallet("k-1"))]) == []


async def test_a_mod_of_a_wallet_lines_holder_takes_the_old_holders_link(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", BEA), op("ADD", wallet("k-1"))],
                             [op("MOD", wallet("k-1", holder="per-2"))]) == []


async def _load(store, tmp_path, name, lines, agency="public", tlp="CLEAR", source="ftm"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=source), source=source, viewer=agency,
                          provenance=Provenance(agency, tlp, (), "2026-01-01T00:00:00Z"))


async def _rows_of_one_del(store, tmp_path, lines: int) -> int:
    """Rows the store sends back while one line's DEL runs, with ``lines`` lines of the source and
    as many of another agency's (RED, hidden) on the wallet."""
    await store.clear()
    await _load(store, tmp_path, "a.json", [op("ADD", ANNA), *(op("ADD", wallet(f"k-{i}")) for i in range(lines))])
    await _load(store, tmp_path, "b.json", [op("ADD", wallet(f"b-{i}")) for i in range(lines)],
                agency="TH-DSI", tlp="RED", source="cdrB")
    summary, rows = await rows_sent_back(store, lambda: _load(store, tmp_path, "d.json", [op("DEL", wallet("k-0"))]))
    [node] = await store.read("ingest/existing_nodes", {"ids": [f"wallet:{W1}"]})
    assert summary.rows_loaded == 1 and "k-0" not in node["props"]["referents"]
    return rows


async def test_the_del_of_one_keyed_line_costs_the_same_with_forty_lines_and_another_agencys_forty_on_it(
        empty_store, tmp_path):
    assert await _rows_of_one_del(empty_store, tmp_path, 40) == await _rows_of_one_del(empty_store, tmp_path, 2)


async def test_the_dels_of_both_lines_of_a_key_in_one_file_take_the_node(empty_store, tmp_path):
    # the second DEL's lines replaced the first's: the node stayed, naming the first line
    two = [op("ADD", ANNA), op("ADD", wallet("k-1")), op("ADD", wallet("k-2"))]
    assert await differences(empty_store, tmp_path, two, [op("DEL", wallet("k-1")), op("DEL", wallet("k-2"))]) == []


async def test_the_dels_of_two_of_three_lines_of_a_key_in_one_file_leave_the_third(empty_store, tmp_path):
    three = [op("ADD", ANNA), op("ADD", wallet("k-1")), op("ADD", wallet("k-2")), op("ADD", wallet("k-3"))]
    assert await differences(empty_store, tmp_path, three, [op("DEL", wallet("k-1")), op("DEL", wallet("k-2"))]) == []
