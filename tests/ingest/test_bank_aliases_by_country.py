"""A bank's code alias names it only in its own country (issue 13, attack round 30c): "SCB" in a
Singapore or Malaysian feed is Standard Chartered, not Siam Commercial Bank, yet it keyed as
``SG:SICOTHBK:...`` and linked to Siam Commercial's node. An alias unknown in the row's country
stays as the feed wrote it, cleaned, as any unknown bank's name; the bank's name, BIC, gazetteer
id and named aliases (a legal or Thai name: round 33, 4a) name it everywhere; a row with no
country takes the bank its alias names."""

from __future__ import annotations

import json
from pathlib import Path

from graphapi.ingest.identity.accounts import account_key, normal_account_key
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord

MAPPING = """
name: transfers-by-country
columns:
  bank: {resolve: bank}
  account: {account: {bank: bank}}
entities:
  payer:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{account:accountNumber}"}
      accountNumber: {column: account}
      bankCode: {column: bank}
      country: {column: country}
"""


def _read(tmp_path: Path, *rows: str) -> list[tuple[str, str | None, bool]]:
    """``(account id, the bank node it is linked to, whether flagged unresolvedBank)`` per row."""
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "f.csv").write_text("country,bank,account\n" + "\n".join(rows) + "\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"]).records())
    banks = {i.start: i.end for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"}
    return [(i.id, banks.get(i.id), bool(i.properties.get("unresolvedBank"))) for i in items
            if isinstance(i, NodeRecord) and i.label == "BankAccount"]


def test_scb_in_a_thai_feed_is_siam_commercial_bank(tmp_path: Path) -> None:
    assert _read(tmp_path, "TH,SCB,987-6-54321-0") == [("account:TH:SICOTHBK:9876543210", "bank-th-scb", False)]


def test_scb_in_a_singapore_feed_is_no_siam_commercial_account(tmp_path: Path) -> None:
    assert _read(tmp_path, "SG,SCB,9876543210") == [("account:SG:SCB:9876543210", None, True)]


def test_scb_in_a_malaysian_feed_is_no_siam_commercial_account(tmp_path: Path) -> None:
    assert _read(tmp_path, "Malaysia,SCB,9876543210") == [("account:MY:SCB:9876543210", None, True)]


def test_kbank_in_a_thai_feed_is_kasikornbank(tmp_path: Path) -> None:
    assert _read(tmp_path, "TH,KBANK,407-1-23958-7") == [("account:TH:KASITHBK:4071239587", "bank-th-kbank", False)]


def test_a_thai_code_alias_in_a_cambodian_feed_names_no_thai_bank(tmp_path: Path) -> None:
    assert _read(tmp_path, "KH,KBANK,4071239587") == [("account:KH:KBANK:4071239587", None, True)]


def test_a_banks_thai_name_names_it_in_a_cambodian_feed(tmp_path: Path) -> None:
    # a name in a bank's own script is no code another bank shares (round 33, 4a)
    # ... and keys by its office in Cambodia, unlisted: institution and country (round 34)
    assert _read(tmp_path, "KH,กสิกรไทย,4071239587") == [("account:KH:KASIKH:4071239587", "bank-th-kbank", False)]


def test_an_alias_no_bank_has_stays_as_the_feed_wrote_it_cleaned(tmp_path: Path) -> None:
    assert _read(tmp_path, "SG,Golden Lotus,555-0001") == [("account:SG:GOLDENLOTUS:5550001", None, True)]


def test_a_banks_name_or_bic_names_it_in_any_countrys_feed(tmp_path: Path) -> None:
    # by name its office in Singapore (unlisted: SICOSG, round 34); a BIC given is that office, the
    # Thai head office, as for every bank (round 31b)
    assert _read(tmp_path, "SG,Siam Commercial Bank,9876543210", "SG,SICOTHBK,9876543210") == [
        ("account:SG:SICOSG:9876543210", "bank-th-scb", False),
        ("account:SG:SICOTHBK:9876543210", "bank-th-scb", False)]


def test_an_alias_in_a_key_is_resolved_with_the_keys_country() -> None:
    assert [normal_account_key(k) for k in ("TH:SCB:9876543210", "SG:SCB:9876543210", "MY:scb:9876543210")] == [
        "TH:SICOTHBK:9876543210", "SG:SCB:9876543210", "MY:SCB:9876543210"]


def test_an_alias_with_no_country_names_its_bank_and_the_banks_country() -> None:
    assert account_key(None, "SCB", "987-6-54321-0") == "TH:SICOTHBK:9876543210"


def test_an_ftm_account_at_scb_in_singapore_is_no_siam_commercial_account(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps({"id": "acc-1", "schema": "BankAccount", "properties": {
        "accountNumber": ["9876543210"], "bankName": ["SCB"], "country": ["sg"]}}) + "\n", encoding="utf-8")
    items = list(FtmReader([path]).records())
    assert [i.id for i in items if isinstance(i, NodeRecord)] == ["account:SG:SCB:9876543210"]
    assert not [i for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"]


def test_an_alias_in_a_mapping_without_a_country_property_is_resolved_with_the_keys_country(tmp_path: Path) -> None:
    # no `country:` mapped: the key's country decides the alias for `bankCode` too (round 31d: SG +
    # SCB was bankCode SICOTHBK, linked to Siam Commercial's node while keyed SG:SCB)
    (tmp_path / "m.yaml").write_text(MAPPING.replace("      country: {column: country}\n", ""), encoding="utf-8")
    (tmp_path / "f.csv").write_text("country,bank,account\nSG,SCB,9876543210\nTH,SCB,9876543210\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"]).records())
    banks = {i.start: i.end for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"}
    assert [(i.id, i.properties.get("bankCode"), banks.get(i.id)) for i in items
            if isinstance(i, NodeRecord) and i.label == "BankAccount"] == [
        ("account:SG:SCB:9876543210", "SCB", None), ("account:TH:SICOTHBK:9876543210", "SICOTHBK", "bank-th-scb")]
