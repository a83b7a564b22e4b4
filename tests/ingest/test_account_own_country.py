"""An account is keyed by its own country where the feed gives one, else by the row's, never by
its bank's (issue 13: an ACLEDA account in a Thai export written with the row's `TH` was a node
apart from the same account in a Cambodian feed). The bank's country is no proof of the account's
(Bangkok Bank has Cambodian branches: attack round 30c, H4), so an account at a bank of another
country keyed by the row's country is a missed join, told as a load warning, never a wrong one."""

from __future__ import annotations

from pathlib import Path

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord

THAI_EXPORT = """
name: th-export
columns:
  bank: {resolve: bank}
entities:
  payee:
    label: BankAccount
    required: true
    properties:
      accountKey:   # the account's own country first, the row's when the export leaves it blank
        - {template: "{account_country:country}:{bank}:{account:accountNumber}"}
        - {template: "{country:country}:{bank}:{account:accountNumber}"}
      accountNumber: {column: account}
      bankName: {column: bank}
      country: [{column: account_country}, {column: country}]
"""
ROW_COUNTRY_ONLY = """
name: th-export-plain
columns:
  bank: {resolve: bank}
entities:
  payee:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{account:accountNumber}"}
      accountNumber: {column: account}
      bankName: {column: bank}
      country: {column: country}
"""


def _read(tmp_path: Path, mapping: str, header: str, *rows: str) -> tuple[list[str], list[str]]:
    """The BankAccount ids the rows make, and the load's warnings."""
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"])
    ids = [i.id for i in reader.records() if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    return ids, [w.reason for w in reader.stats.warnings]


def test_an_account_keyed_by_its_own_country_column_meets_the_same_account_of_its_countrys_feed(
        tmp_path: Path) -> None:
    thai, _ = _read(tmp_path, THAI_EXPORT, "country,bank,account_country,account", "TH,ACLEDA Bank,KH,001-122-334-4")
    cambodian, _ = _read(tmp_path, ROW_COUNTRY_ONLY, "country,bank,account", "KH,ACLEDA,0011223344")
    assert thai == cambodian == ["account:KH:ACLBKHPP:0011223344"]


def test_an_account_whose_own_country_is_blank_takes_the_rows(tmp_path: Path) -> None:
    ids, _ = _read(tmp_path, THAI_EXPORT, "country,bank,account_country,account", "TH,KBANK,,407-1-23958-7")
    assert ids == ["account:TH:KASITHBK:4071239587"]


def test_an_account_at_a_foreign_bank_is_keyed_by_the_rows_country_never_the_banks(tmp_path: Path) -> None:
    ids, _ = _read(tmp_path, ROW_COUNTRY_ONLY, "country,bank,account",
                   "TH,ACLEDA Bank,001-122-334-4", "KH,Bangkok Bank,1234567890")
    # ACLEDA lists no Thai office: its institution code and the row's country (round 34)
    assert ids == ["account:TH:ACLBTH:0011223344", "account:KH:BKKBKHPP:1234567890"]


def test_an_account_keyed_by_the_row_at_a_bank_of_another_country_is_warned_of_once_per_bank(tmp_path: Path) -> None:
    _, warnings = _read(tmp_path, ROW_COUNTRY_ONLY, "country,bank,account", "TH,ACLEDA Bank,001-122-334-4",
                        "TH,ACLEDA Bank,001-122-334-5", "TH,KBANK,4071239587")
    assert warnings == ["account:TH:ACLBTH:0011223344 at ACLEDA Bank (KH) is keyed as a TH account (its row's "
                        "country): if it is held in KH, a KH feed's node of it is another. Where the feed gives "
                        "the account's own country, key it by that column (docs/mappings.md, Gazetteers)"]


def test_an_account_at_a_banks_branch_in_the_rows_country_is_not_warned_of(tmp_path: Path) -> None:
    # Bangkok Bank's Phnom Penh branch holds Cambodian accounts: by its BIC or the bank's name,
    # KH is the account's own country (round 31d: it told that the bank was Thai)
    _, warnings = _read(tmp_path, ROW_COUNTRY_ONLY, "country,bank,account", "KH,BKKBKHPP,1234567890",
                        "KH,Bangkok Bank,1234567891")
    assert warnings == []


def test_a_branch_bic_in_a_row_of_another_country_is_warned_of_with_the_branchs_country(tmp_path: Path) -> None:
    _, warnings = _read(tmp_path, ROW_COUNTRY_ONLY, "country,bank,account", "TH,BKKBKHPP,1234567890",
                        "TH,Bangkok Bank,1234567891")
    assert warnings == ["account:TH:BKKBKHPP:1234567890 at Bangkok Bank (KH) is keyed as a TH account (its row's "
                        "country): if it is held in KH, a KH feed's node of it is another. Where the feed gives "
                        "the account's own country, key it by that column (docs/mappings.md, Gazetteers)"]
