"""One CryptoWallet identity on every loader path: OFAC, a mapped CSV feed, GraphQL ``ingest``.

The rule is the ontology's (CryptoWallet keyed by its canonical ``wallet`` address), so a partner
feed that writes OFAC's Ethereum address in lower case, or sends USDT to OFAC's TRX address,
finds OFAC's node; and text that is no address makes no wallet node on any path.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.service import build_records

OFAC_ETH = "0xd5ED34b52AC4ab84d8FA8A231a3218bbF01Ed510"
OFAC_TRON = "TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8"
ETH_ID = "wallet:0xd5ed34b52ac4ab84d8fa8a231a3218bbf01ed510"
TRON_ID = f"wallet:{OFAC_TRON}"
TRANSFERS_HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,"
                    "to_wallet_chain,to_wallet,amount,currency,value_time,reference")


def _ofac_wallets(tmp_path: Path, remarks: str) -> list[NodeRecord]:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(f'7,"FUNNULL",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{remarks}"\n', encoding="utf-8")
    return [i for i in OfacReader(sdn).records() if isinstance(i, NodeRecord) and i.label == "CryptoWallet"]


def _transfers(tmp_path: Path, *rows: str, mapping: str | Path = "transfers") -> list:
    path = tmp_path / "transfers.csv"
    path.write_text(TRANSFERS_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return list(MappedCsvReader(load_mapping(mapping), [path]).records())


def _wallets(items: list) -> dict[str, dict]:
    return {i.id: i.properties for i in items if isinstance(i, NodeRecord) and i.label == "CryptoWallet"}


def test_ofac_wallet_is_keyed_by_its_canonical_address(tmp_path: Path) -> None:
    (node,) = _ofac_wallets(tmp_path, f"Digital Currency Address - ETH {OFAC_ETH}.")
    assert node.id == ETH_ID
    assert node.properties == {"address": OFAC_ETH.lower(), "chain": ["ETH"], "network": "ethereum"}


def test_ofac_tron_address_listed_as_trx_and_usdt_is_one_wallet_with_both_codes(tmp_path: Path) -> None:
    nodes = _ofac_wallets(tmp_path, f"Digital Currency Address - TRX {OFAC_TRON}; "
                                    f"alt. Digital Currency Address - USDT {OFAC_TRON}.")
    assert [(n.id, n.properties) for n in nodes] == [
        (TRON_ID, {"address": OFAC_TRON, "chain": ["TRX", "USDT"], "network": "tron"})]


def test_transfers_feed_finds_ofac_wallets_whatever_case_and_token_it_writes(tmp_path: Path) -> None:
    items = _transfers(tmp_path,
                       f"T1,111,KBANK,TH,,,,eth,{OFAC_ETH.lower()},10,USD,01/05/2026 10:00:00,x",
                       f"T2,111,KBANK,TH,,,,USDT,{OFAC_TRON},10,USDT,01/05/2026 10:00:00,x",
                       f"T3,111,KBANK,TH,,,,TRX,{OFAC_TRON},10,USDT,01/05/2026 10:00:00,x")
    assert _wallets(items) == {ETH_ID: {"address": OFAC_ETH.lower(), "chain": ["ETH"]},
                               TRON_ID: {"address": OFAC_TRON, "chain": ["TRX"]}}
    ends = [i.end for i in items if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO"]
    assert ends == [ETH_ID, TRON_ID, TRON_ID]


def test_transfers_feed_text_that_is_no_address_makes_no_wallet_and_rejects_the_transfer(tmp_path: Path) -> None:
    items = _transfers(tmp_path, "T1,111,KBANK,TH,,,,XBT,notawallet,10,USD,01/05/2026 10:00:00,x")
    assert _wallets(items) == {} and not any(isinstance(i, EdgeRecord) for i in items)
    # a transfer is an event: it is not written, so its row is rejected (not kept as text on the account)
    (rejection,) = [i for i in items if isinstance(i, Rejection)]
    assert rejection.reason == ("TRANSFERRED_TO from_account -> to_wallet not made: "
                                "to_wallet is unusable (CryptoWallet:notawallet)")


def test_transfers_feed_with_a_chain_hint_checks_the_address_against_its_code(tmp_path: Path) -> None:
    # The follow-up proposed for seed/mappings/transfers.yaml: the chain column as the address's hint.
    doc = yaml.safe_load(load_mapping("transfers").path.read_text(encoding="utf-8"))
    doc["entities"]["to_wallet"]["properties"]["address"] = {
        "column": "to_wallet", "hints": {"chain": {"column": "to_wallet_chain"}}}
    hinted = tmp_path / "transfers_hinted.yaml"
    hinted.write_text(yaml.safe_dump(doc), encoding="utf-8")
    items = _transfers(tmp_path,
                       f"T1,111,KBANK,TH,,,,XBT,{OFAC_ETH},10,USD,01/05/2026 10:00:00,x",
                       f"T2,111,KBANK,TH,,,,ETH,{OFAC_ETH},10,USD,01/05/2026 10:00:00,x", mapping=hinted)
    assert list(_wallets(items)) == [ETH_ID]


def test_graphql_ingest_finds_ofac_wallet_with_a_lower_case_code() -> None:
    items, ids = build_records([
        {"label": "CryptoWallet", "properties": {"chain": "eth", "address": OFAC_ETH.lower()}},
        {"label": "CryptoWallet", "properties": {"chain": "USDT", "address": OFAC_TRON}},
    ], source="partner")
    assert ids == {1: ETH_ID, 2: TRON_ID}
    assert items[0].properties == {"chain": ["ETH"], "address": OFAC_ETH.lower()}


def test_graphql_ingest_rejects_text_that_is_no_address() -> None:
    items, ids = build_records([{"label": "CryptoWallet", "properties": {"chain": "XBT", "address": "notawallet"}}],
                               source="partner")
    assert ids == {}
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "CryptoWallet.address: invalid wallet value 'notawallet'")]
