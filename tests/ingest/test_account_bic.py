"""An account's ``bic`` mapped from a bank column is the BIC of the bank it names in the account's
country, whichever of the bank's identities the column holds: a BIC as given, a name, an alias (in
its own country) or the gazetteer id ``resolve: bank`` writes for a bank with branches abroad
(attack round 31d: since dbe87d8 ``th-bbl`` was refused as no BIC, and every Bangkok Bank row of a
feed mapping its bank into ``bic`` was lost). The account keys as in every other reader."""

from __future__ import annotations

import json
from pathlib import Path

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord, Rejection

INTO_BIC = """
name: into-bic
columns:
  bank: {resolve: bank}
entities:
  account:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{number:accountNumber}"}
      accountNumber: {column: number}
      country: {column: country}
      bic: {column: bank}
"""
#: the same without ``resolve: bank``: the bank column as the file writes it
RAW_INTO_BIC = INTO_BIC.replace("columns:\n  bank: {resolve: bank}\n", "")


def _read(tmp_path: Path, mapping: str, *rows: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """((id, bic) of each BankAccount the rows make, the rejections' reasons)."""
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join(["country,bank,number", *rows]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"])
    items = list(reader.records())
    accounts = [(i.id, i.properties.get("bic")) for i in items
                if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    return accounts, [i.reason for i in items if isinstance(i, Rejection)]


def _ftm(tmp_path: Path, **props: str) -> str:
    """The id of the BankAccount an FtM entity with ``props`` makes."""
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps({"id": "acc-1", "schema": "BankAccount",
                                "properties": {k: [v] for k, v in props.items()}}) + "\n", encoding="utf-8")
    (node,) = [i for i in FtmReader([path]).records() if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    return node.id


def test_a_bank_with_branches_abroad_resolved_into_bic_loads_with_its_head_office_bic(tmp_path: Path) -> None:
    assert _read(tmp_path, INTO_BIC, "TH,Kasikornbank,1234567890", "TH,Bangkok Bank,1234567890") == (
        [("account:TH:KASITHBK:1234567890", "KASITHBK"), ("account:TH:BKKBTHBK:1234567890", "BKKBTHBK")], [])


def test_a_cambodian_account_at_bangkok_bank_named_by_name_has_the_phnom_penh_branchs_bic(tmp_path: Path) -> None:
    assert _read(tmp_path, INTO_BIC, "KH,Bangkok Bank,1234567890") == (
        [("account:KH:BKKBKHPP:1234567890", "BKKBKHPP")], [])


def test_a_bic_in_the_bank_column_is_the_accounts_bic_as_given(tmp_path: Path) -> None:
    assert _read(tmp_path, INTO_BIC, "TH,BKKBKHPP,1234567890", "KH,BKKBTHBK,1234567890") == (
        [("account:TH:BKKBKHPP:1234567890", "BKKBKHPP"), ("account:KH:BKKBTHBK:1234567890", "BKKBTHBK")], [])


def test_a_bank_named_in_any_spelling_without_resolve_gives_its_bic(tmp_path: Path) -> None:
    accounts, rejected = _read(tmp_path, RAW_INTO_BIC, "KH,th-bbl,1234567890", "TH,BBL,1234567890",
                               "TH,กสิกรไทย,1234567890", "KH,BKKBKHPPXXX,1234567890")
    assert (accounts, rejected) == ([("account:KH:BKKBKHPP:1234567890", "BKKBKHPP"),
                                     ("account:TH:BKKBTHBK:1234567890", "BKKBTHBK"),
                                     ("account:TH:KASITHBK:1234567890", "KASITHBK"),
                                     ("account:KH:BKKBKHPP:1234567890", "BKKBKHPP")], [])


def test_an_alias_abroad_names_no_bank_and_is_refused_as_a_bic(tmp_path: Path) -> None:
    # "SCB" in Singapore is Standard Chartered, not Siam Commercial: no BIC to give it
    accounts, rejected = _read(tmp_path, INTO_BIC, "SG,SCB,1234567890", "TH,SCB,1234567890")
    assert accounts == [("account:TH:SICOTHBK:1234567890", "SICOTHBK")]
    assert rejected == ["account.bic: invalid bic value 'SCB' in column 'bank'"]


def test_one_cambodian_branch_account_through_every_reader_is_one_node(tmp_path: Path) -> None:
    by_name, _ = _read(tmp_path, INTO_BIC, "KH,Bangkok Bank,123-456-7890", "KH,BKKBKHPP,1234567890")
    raw, _ = _read(tmp_path, RAW_INTO_BIC, "KH,th-bbl,1234567890")
    ftm_by_name = _ftm(tmp_path, accountNumber="123-456-7890", bankName="Bangkok Bank", country="kh")
    ftm_by_bic = _ftm(tmp_path, accountNumber="1234567890", bic="BKKBKHPP")
    assert {i for i, _ in by_name + raw} == {ftm_by_name, ftm_by_bic} == {"account:KH:BKKBKHPP:1234567890"}


def test_accounts_at_different_banks_or_offices_are_different_nodes(tmp_path: Path) -> None:
    accounts, _ = _read(tmp_path, INTO_BIC, "KH,Bangkok Bank,1234567890", "KH,BKKBTHBK,1234567890",
                        "KH,Kasikornbank,1234567890", "TH,Bangkok Bank,1234567890", "TH,BKKBKHPP,1234567890")
    assert len({i for i, _ in accounts}) == 5


def test_an_e_wallet_has_no_bic_and_its_name_is_never_read_as_one(tmp_path: Path) -> None:
    # "Wing Bank" cleans as the BIC WINGBANK (a bank WING of Bosnia): it names a Cambodian e-wallet
    _, rejected = _read(tmp_path, RAW_INTO_BIC, "KH,Wing Bank,1234567890")
    assert rejected == ["account.bic: invalid bic value 'Wing Bank' in column 'bank'"]
