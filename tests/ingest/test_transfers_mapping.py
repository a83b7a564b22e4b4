"""The shipped transfers mapping: a wallet address is checked against its chain."""

from __future__ import annotations

from pathlib import Path

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord

HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
          "to_wallet,amount,currency,value_time,reference")


def _nodes(tmp_path: Path, row: str) -> list[NodeRecord]:
    path = tmp_path / "transfers.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    return [r for r in MappedCsvReader(load_mapping("transfers"), [path]).records() if isinstance(r, NodeRecord)]


def test_a_wallet_address_that_is_not_one_for_its_chain_is_no_wallet_node(tmp_path: Path) -> None:
    nodes = _nodes(tmp_path, "TX1,4051301056,KBZ,MM,,,,XBT,notawallet,50.00,USDT,13/03/2026 03:27:38,fee")
    assert not [n for n in nodes if n.label == "CryptoWallet"]


def test_a_tron_address_named_usdt_or_trx_is_one_wallet(tmp_path: Path) -> None:
    ids = {n.id for chain in ("USDT", "TRX") for n in _nodes(
        tmp_path, f"TX1,4051301056,KBZ,MM,,,,{chain},TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8,50.00,USDT,"
        "13/03/2026 03:27:38,fee") if n.label == "CryptoWallet"}
    assert ids == {"wallet:TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8"}
