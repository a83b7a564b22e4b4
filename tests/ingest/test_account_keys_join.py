"""A bank account is one node whatever a mapping's ``accountKey`` template says (feeds trial): a
naive ``TH:{bank}:{account}`` with the bank in local script and the number with dashes keys as
``resolve: bank`` and ``:accountNumber`` do; its country is the row's, the bank's only when the
row gives none (a bank's name is no proof of its country: attack round 30c), in the feeds and in
FtM alike."""

from __future__ import annotations

import json
from pathlib import Path

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord

NAIVE = """
name: transfers-naive
entities:
  payer:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "TH:{bank}:{account}"}
      accountNumber: {column: account}
      country: {value: TH}
"""
QUALIFIED = NAIVE.replace('"TH:{bank}:{account}"', '"TH:{bank}:{account:accountNumber}"').replace(
    "entities:", "columns:\n  bank: {resolve: bank}\nentities:")
ROWS = ["bank,account", "กสิกรไทย,123-4-56789-1", "KBANK,1234567891", "Kasikornbank,123 4 56789 1",
        "ACLEDA Bank,0011223344", "Golden Lotus Bank,555-0001"]  # a foreign bank by its name: known anywhere


def _accounts(tmp_path: Path, mapping: str) -> list[tuple[str, str | None]]:
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"])
    return [(i.id, i.properties.get("country")) for i in reader.records()
            if isinstance(i, NodeRecord) and i.label == "BankAccount"]


def test_a_naive_account_key_template_joins_one_account_written_three_ways(tmp_path: Path) -> None:
    ids = [node_id for node_id, _ in _accounts(tmp_path, NAIVE)]
    assert ids[:3] == ["account:TH:KASITHBK:1234567891"] * 3


def test_a_naive_and_a_qualified_account_key_template_give_the_same_nodes(tmp_path: Path) -> None:
    assert _accounts(tmp_path, NAIVE) == _accounts(tmp_path, QUALIFIED)


def test_an_account_keeps_the_feeds_country_even_at_a_bank_of_another(tmp_path: Path) -> None:
    assert _accounts(tmp_path, NAIVE)[3] == ("account:TH:ACLBTH:0011223344", "TH")


def test_one_bank_alias_in_two_countries_feeds_is_two_accounts() -> None:
    from graphapi.ingest.identity.accounts import account_key

    # "SCB" is Siam Commercial in Thailand, Standard Chartered in Singapore: never one node
    assert account_key("SG", "SCB", "1234567891") != account_key("TH", "SCB", "1234567891")
    assert account_key("KH", "Bangkok Bank", "1234567891") != account_key("TH", "Bangkok Bank", "1234567891")


def test_an_account_with_no_country_takes_its_known_banks() -> None:
    from graphapi.ingest.identity.accounts import account_key

    assert account_key(None, "ACLEDA", "001-122-334-4") == "KH:ACLBKHPP:0011223344"


def test_an_account_at_a_bank_no_gazetteer_knows_keeps_the_feeds_country(tmp_path: Path) -> None:
    assert _accounts(tmp_path, NAIVE)[4] == ("account:TH:GOLDENLOTUSBANK:5550001", "TH")


def test_an_iban_account_key_is_kept_as_given() -> None:
    from graphapi.ingest.identity.accounts import normal_account_key

    assert normal_account_key("DE89370400440532013000") == "DE89370400440532013000"


def test_an_ftm_account_at_a_known_bank_keys_with_its_own_country(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps({"id": "acc-1", "schema": "BankAccount", "properties": {
        "accountNumber": ["001-122-334-4"], "bankName": ["ACLEDA Bank"], "country": ["th"]}}) + "\n", encoding="utf-8")
    (node,) = [i for i in FtmReader([path]).records() if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    assert (node.id, node.properties["country"]) == ("account:TH:ACLBTH:0011223344", "TH")
