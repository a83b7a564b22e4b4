"""FtM reader: BankAccount, CryptoWallet, UserAccount and Address entities take the ontology's
natural-key id (the FtM id kept in ``referents``), and every reference to them follows, so the same
IBAN from two entities or from another feed is one node."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
IBAN = "DE89370400440532013000"
OFAC_ETH = "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510"  # OFAC SDN, FUNNULL TECHNOLOGY INC.
ACCOUNT = f"account:{IBAN}"


def _file(path: Path, *docs: dict[str, Any]) -> Path:
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


def _account(eid: str, **props: list[str]) -> dict[str, Any]:
    return {"id": eid, "schema": "BankAccount", "properties": {"iban": [IBAN], **props}}


def _records(*paths: Path) -> tuple[FtmReader, list[Any]]:
    reader = FtmReader(list(paths))
    return reader, list(reader.records())


async def _n(store: Any, label: str) -> int:
    rows = await store.read("ingest/count_label", label=label)
    return int(rows[0]["n"])


def test_ftm_bank_accounts_with_the_same_iban_are_one_node_keeping_each_ftm_id(tmp_path: Path) -> None:
    _, items = _records(_file(tmp_path / "a.json", _account("x-acct"), _account("x-acct-2")))
    nodes = [r for r in items if isinstance(r, NodeRecord)]
    assert [(n.id, n.properties["accountKey"], n.properties["referents"]) for n in nodes] == [
        (ACCOUNT, IBAN, ["x-acct"]), (ACCOUNT, IBAN, ["x-acct-2"])]


async def test_ftm_bank_account_meets_the_transfers_feed_account_with_the_same_iban(
        empty_store, tmp_path: Path) -> None:
    ftm = _file(tmp_path / "a.json", _account("x-acct"), _account("x-acct-2"))
    await run_load(empty_store, FtmReader([ftm]), source="ftm", provenance=PROV)
    csv = tmp_path / "transfers.csv"
    csv.write_text("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
                   "to_wallet,amount,currency,value_time,reference\n"
                   f"TX1,{IBAN},COBA,DE,1073835163,BDO,PH,,,100.00,EUR,13/03/2026 03:27:38,fee\n", encoding="utf-8")
    s = await run_load(empty_store, MappedCsvReader(load_mapping("transfers"), [csv]),
                       source="partner-fiu-transfers", provenance=PROV)
    assert s.rows_rejected == 0
    assert await _n(empty_store, "BankAccount") == 2  # the shared IBAN, and the transfer's other end
    shared = await node_props(empty_store, ACCOUNT)
    assert sorted(shared["referents"]) == ["x-acct", "x-acct-2"]
    assert shared["sources"] == ["ftm", "partner-fiu-transfers"]


def test_ftm_references_before_the_entity_follow_it_to_its_natural_id(tmp_path: Path) -> None:
    reader, items = _records(_file(
        tmp_path / "a.json",
        {"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["x-acct"]}},
        {"id": "p1", "schema": "Person", "properties": {"name": ["Alpha"], "addressEntity": ["addr1"]}},
        _account("x-acct"),
        {"id": "addr1", "schema": "Address", "properties": {"full": ["Schillerstrasse 19, Karlsruhe"],
                                                            "country": ["de"]}},
    ))
    address = "address:schillerstrasse 19 karlsruhe|DE"
    assert [(e.type, e.start, e.end) for e in items if isinstance(e, EdgeRecord)] == [
        ("OWNS", "p1", ACCOUNT), ("LOCATED_AT", "p1", address)]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p1", ACCOUNT, address]
    assert reader.stats.unresolved == []


def test_ftm_reference_in_another_file_of_the_load_follows_the_natural_id(tmp_path: Path) -> None:
    owners = _file(tmp_path / "a.json",
                   {"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["x-acct"]}})
    accounts = _file(tmp_path / "b.json", _account("x-acct"))
    _, items = _records(owners, accounts)
    assert [(e.start, e.end) for e in items if isinstance(e, EdgeRecord)] == [("p1", ACCOUNT)]


def test_ftm_crypto_wallet_takes_its_canonical_address_as_id_and_its_holder_follows(tmp_path: Path) -> None:
    wallet = {"id": "w1", "schema": "CryptoWallet",
              "properties": {"currency": ["eth"], "publicKey": [OFAC_ETH], "holder": ["p1"]}}
    _, items = _records(_file(tmp_path / "a.json", {"id": "p1", "schema": "Person", "properties": {"name": ["A"]}},
                              wallet))
    wid = f"wallet:{OFAC_ETH.lower()}"  # the id OFAC's "Digital Currency Address - ETH" gives it
    assert [(e.type, e.start, e.end) for e in items if isinstance(e, EdgeRecord)] == [("CONTROLS_WALLET", "p1", wid)]
    assert [(r.id, r.properties) for r in items if r.id == wid] == [
        (wid, {"address": OFAC_ETH.lower(), "chain": ["ETH"], "network": "ethereum", "referents": ["w1"]})]


def test_ftm_crypto_wallet_whose_address_does_not_clean_keeps_it_as_text(tmp_path: Path) -> None:
    wallet = {"id": "w1", "schema": "CryptoWallet", "properties": {"currency": ["TRX"], "publicKey": ["TXyz123"]}}
    _, items = _records(_file(tmp_path / "a.json", wallet))
    assert [(r.id, r.properties) for r in items] == [
        ("w1", {"address": "w1", "chain": ["TRX"], "identifiers": ["invalidWallet:TRX:TXyz123"]})]


def test_ftm_user_account_takes_service_and_handle_as_id(tmp_path: Path) -> None:
    account = {"id": "u1", "schema": "UserAccount", "properties": {"service": ["Telegram"], "username": ["@alpha"]}}
    _, items = _records(_file(tmp_path / "a.json", account))
    assert [(r.id, r.properties["referents"]) for r in items if isinstance(r, NodeRecord)] == [
        ("user:telegram|alpha", ["u1"])]  # a Telegram handle without its "@" (round a-56, F11)


def test_ftm_entity_without_its_key_properties_keeps_its_ftm_id(tmp_path: Path) -> None:
    _, items = _records(_file(tmp_path / "a.json",
                              {"id": "x-acct", "schema": "BankAccount", "properties": {"bankName": ["Bank"]}},
                              {"id": "w1", "schema": "CryptoWallet", "properties": {"currency": ["TRX"]}}))
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["x-acct", "w1"]



def test_ftm_accounts_of_one_number_with_no_bank_and_no_country_stay_two_nodes(tmp_path: Path) -> None:
    # attack round 15: both became `account:::0007003`, one node for any bank's account 0007003
    _, items = _records(_file(tmp_path / "a.json",
                              {"id": "a1", "schema": "BankAccount", "properties": {"accountNumber": ["0007003"]}},
                              {"id": "a2", "schema": "BankAccount", "properties": {"accountNumber": ["0007003"]}}))
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["a1", "a2"]


def test_ftm_accounts_of_one_number_in_one_country_naming_no_bank_stay_two_nodes(tmp_path: Path) -> None:
    # attack round 56, F1: both were `account:TH::0007003`, tying two unrelated owners; every bank
    # of a country has an account 0007003 (the mapped CSV refuses a row without its bank)
    _, items = _records(_file(
        tmp_path / "a.json",
        {"id": "a1", "schema": "BankAccount", "properties": {"accountNumber": ["0007003"], "country": ["th"]}},
        {"id": "a2", "schema": "BankAccount", "properties": {"accountNumber": ["000-7003"], "country": ["th"]}}))
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["a1", "a2"]


def test_ftm_accounts_of_one_number_at_a_bank_named_without_a_country_stay_two_nodes(tmp_path: Path) -> None:
    # attack round 56, F1: both were `account::FOORURALBANK:0007003`, whatever country each was in
    props = {"accountNumber": ["0007003"], "bankName": ["Foo Rural Bank"]}
    _, items = _records(_file(tmp_path / "a.json", *({"id": eid, "schema": "BankAccount", "properties": props}
                                                     for eid in ("a1", "a2"))))
    accounts = [r for r in items if isinstance(r, NodeRecord)]
    assert [(r.id, r.properties["accountNumber"]) for r in accounts] == [("a1", "0007003"), ("a2", "0007003")]


async def test_ftm_load_of_natural_id_entities_twice_changes_no_count(empty_store, tmp_path: Path) -> None:
    path = _file(tmp_path / "a.json", _account("x-acct"), _account("x-acct-2"),
                 {"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["x-acct-2"]}},
                 {"id": "p1", "schema": "Person", "properties": {"name": ["Alpha"]}})
    await run_load(empty_store, FtmReader([path]), source="ftm", provenance=PROV)
    before = await graph_counts(empty_store)
    again = await run_load(empty_store, FtmReader([path]), source="ftm", provenance=PROV)
    assert before == (2, 1) and await graph_counts(empty_store) == before
    assert (again.nodes_created, again.relationships_created) == (0, 0)


async def test_ftm_delete_of_a_bank_account_by_its_ftm_id_removes_the_natural_id_node(
        empty_store, tmp_path: Path) -> None:
    account = {**_account("x-acct"), "datasets": ["partner_banks"]}
    await run_load(empty_store, FtmReader([_file(tmp_path / "base.json", account)]), source="ftm", provenance=PROV)
    assert (await node_props(empty_store, ACCOUNT))["referents"] == ["x-acct"]
    delta = _file(tmp_path / "d.delta.json", {"op": "DEL", "entity": account})
    s = await run_load(empty_store, FtmReader([delta]), source="ftm", provenance=PROV)
    assert s.nodes_deleted == 1 and await node_props(empty_store, ACCOUNT) == {}


def test_ftm_delete_without_key_properties_finds_the_natural_id_another_file_of_the_load_gives(
        tmp_path: Path) -> None:
    base = _file(tmp_path / "base.json", _account("x-acct"))
    delta = _file(tmp_path / "d.delta.json",
                  {"op": "DEL", "entity": {"id": "x-acct", "schema": "BankAccount", "properties": {}}})
    _, items = _records(base, delta)
    assert [(r.id, r.op) for r in items if isinstance(r, NodeRecord)] == [(ACCOUNT, "merge"), (ACCOUNT, "delete")]


def test_ftm_delete_of_an_ownership_follows_its_asset_to_the_natural_id(tmp_path: Path) -> None:
    ownership = {"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["x-acct"]}}
    base = _file(tmp_path / "base.json", ownership, _account("x-acct"))
    _, merged = _records(base)
    _, deleted = _records(base, _file(tmp_path / "d.delta.json", {"op": "DEL", "entity": ownership}))
    (edge,) = [e for e in merged if isinstance(e, EdgeRecord)]
    assert [(e.id, e.end, e.op) for e in deleted if isinstance(e, EdgeRecord)][-1] == (edge.id, ACCOUNT, "delete")
