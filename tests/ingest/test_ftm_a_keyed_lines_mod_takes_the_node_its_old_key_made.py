"""A keyed FtM line (CryptoWallet, BankAccount, Address) MOD'd to a corrected key or as another
schema, or DEL'd by its id alone, takes the natural-key node its old version stated when no other
line of the source states it; one another line states stays, losing only this line's referent and
link (attack round a-87, 2; a-83, F3: the old node stayed, with the line's referent, source and
link). Each ends as a fresh load of the lines left (:mod:`fresh_load_check`); the line's note is
read by its id, so the cost does not grow with the lines or agencies stating the node
(:mod:`graphapi.ingest.keyed_line_deletes`); killed after any write, the rerun ends as one run."""

import json

import pytest
from fresh_load_check import differences, op
from store_kills import converges_after_each_kill

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
W1, W2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
I1, I2 = "DE89370400440532013000", "GB82WEST12345698765432"


def wallet(eid: str, key: str = W1, holder: str = "per-1") -> dict:
    return {"id": eid, "schema": "CryptoWallet",
            "properties": {"publicKey": [key], "currency": ["BTC"], "holder": [holder]}}


def iban(eid: str, number: str = I1) -> dict:
    return {"id": eid, "schema": "BankAccount", "properties": {"iban": [number]}}


async def test_a_mod_of_a_wallet_line_to_a_corrected_key_takes_the_old_wallet_and_its_link(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", wallet("k-1"))],
                             [op("MOD", wallet("k-1", W2))]) == []


async def test_a_mod_of_a_wallet_line_as_a_passport_takes_the_old_wallet(empty_store, tmp_path):
    passport = {"id": "k-1", "schema": "Passport", "properties": {"number": ["AA1"], "country": ["th"],
                                                                 "holder": ["per-1"]}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", wallet("k-1"))],
                             [op("MOD", passport)]) == []


async def test_a_mod_of_one_of_two_lines_of_one_iban_to_another_keeps_the_account_for_the_other(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", iban("k-1")), op("ADD", iban("k-2"))],
                             [op("MOD", iban("k-1", I2))]) == []


async def test_a_del_of_a_wallet_line_by_its_id_alone_takes_its_wallet(empty_store, tmp_path):
    bare = {"id": "k-1", "schema": "CryptoWallet", "properties": {}}
    assert await differences(empty_store, tmp_path, [op("ADD", ANNA), op("ADD", wallet("k-1"))],
                             [{"op": "DEL", "entity": bare}]) == []


async def _load(store, tmp_path, name, lines, agency="public", tlp="CLEAR", source="ftm", batch_size=1000):
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=source), source=source, viewer=agency, batch_size=batch_size,
                          provenance=Provenance(agency, tlp, (), "2026-01-01T00:00:00Z"))


async def _rows_of_one_mod(store, tmp_path, lines: int) -> int:
    """Rows the store sends back while one line's MOD to another key runs, with ``lines`` lines of
    the source and as many of another agency's (RED, hidden) on the old wallet."""
    await store.clear()
    await _load(store, tmp_path, "a.json", [op("ADD", ANNA), *(op("ADD", wallet(f"k-{i}")) for i in range(lines))])
    await _load(store, tmp_path, "b.json", [op("ADD", wallet(f"b-{i}")) for i in range(lines)],
                agency="TH-DSI", tlp="RED", source="cdrB")
    seen: list[int] = []
    read, write = store.read, store.write

    async def counted_read(name, params=None, *a, **k):
        rows = await read(name, params, *a, **k)
        seen.append(len(rows))
        return rows

    async def counted_write(name, params=None, *a, **k):
        rows = await write(name, params, *a, **k)
        seen.append(len(rows))
        return rows

    store.read, store.write = counted_read, counted_write
    try:
        await _load(store, tmp_path, "d.json", [op("MOD", wallet("k-0", W2))])
    finally:
        store.read, store.write = read, write
    [node] = await store.read("ingest/existing_nodes", {"ids": [f"wallet:{W1}"]})
    assert "k-0" not in node["props"]["referents"] and "k-1" in node["props"]["referents"]
    return sum(seen)


async def test_the_mod_of_one_keyed_line_costs_the_same_with_forty_lines_and_another_agencys_forty_on_it(
        empty_store, tmp_path):
    assert await _rows_of_one_mod(empty_store, tmp_path, 40) == await _rows_of_one_mod(empty_store, tmp_path, 2)


async def _graph(store):
    (row,) = await store.read("admin/snapshot")
    return (sorted(json.dumps(n, sort_keys=True) for n in row["nodes"] if "WriteLease" not in n["labels"]),
            sorted(json.dumps(r, sort_keys=True) for r in row["relationships"] if r.get("type")))


async def test_keyed_line_mods_killed_after_any_write_end_as_one_run(empty_store, tmp_path, monkeypatch):
    # a kill test: each of the delta's writes killed in turn, then the delta run again (a few seconds)
    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "add.json", [op("ADD", ANNA), op("ADD", wallet("k-1")),
                                                        op("ADD", iban("k-2")), op("ADD", iban("k-3"))])

    async def run():  # a wallet to a new key (its old one goes), one of two lines of an IBAN to another (kept)
        await _load(empty_store, tmp_path, "delta.json", [op("MOD", wallet("k-1", W2)),
                                                          op("MOD", iban("k-2", I2))])

    writes = await converges_after_each_kill(empty_store, monkeypatch, start, run, lambda: _graph(empty_store))
    assert {"provenance/note_keyed_lines", "provenance/unnote_keyed_lines", "ingest/delete_nodes"} <= set(writes)
