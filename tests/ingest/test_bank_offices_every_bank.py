"""One rule keys an account at every bank the gazetteer knows, not only at those listing offices
abroad (round 34, following round 33, 4b): the key's bank part is the BIC the gazetteer lists for
the bank's institution in the account's country, else the institution code and that country, and
the account's ``bic`` is only its office's there. A bank with one listed BIC kept it abroad:
LA + "ACLEDA Bank" keyed LA:ACLBKHPP while LA + ACLBLALA keyed LA:ACLBLA (one account, two nodes),
and KH + "Kasikornbank" keyed KH:KASITHBK and stored the Thai head office's BIC."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.identity.accounts import account_bic, account_key, bank_code
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord

MAPPING = """
name: every-bank
columns:
  bank: {resolve: bank}
entities:
  account:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{number:accountNumber}"}
      bankName: {column: bank}
      bic: {column: bank}
      country: {column: country}
"""
COUNTRIES = ["TH", "KH", "LA", "VN", "MM"]
#: each country's office BIC (8 characters) of Kasikornbank (only KASITHBK listed) and ACLEDA
#: (only ACLBKHPP listed); the others are codes of their country the gazetteer does not list
KASIKORN = {"TH": "KASITHBK", "KH": "KASIKHPP", "LA": "KASILALA", "VN": "KASIVNVX", "MM": "KASIMMMY"}
ACLEDA = {"TH": "ACLBTHBK", "KH": "ACLBKHPP", "LA": "ACLBLALA", "VN": "ACLBVNVX", "MM": "ACLBMMMY"}
#: each bank written every way a feed writes it: name, named alias, own-script name, id, lower case
KASIKORN_NAMES = ["Kasikornbank", "Kasikorn Bank", "ธนาคารกสิกรไทย", "th-kbank", "kasikornbank"]
ACLEDA_NAMES = ["ACLEDA Bank", "ACLEDA Bank Plc", "ធនាគារអេស៊ីលីដា", "kh-acleda", "acleda bank"]


def _spellings(names: list[str], office: str) -> list[str]:
    """``names`` and the office's BIC as BIC8, BIC11 and in lower case."""
    return [*names, office, f"{office}XXX", office.lower()]


def _read(tmp_path: Path, *rows: str) -> list[tuple[str, str | None, str | None]]:
    """Per row: ``(account id, its bic, the bank node it is linked to)``."""
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join(["country,bank,number", *rows]) + "\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"]).records())
    banks = {i.start: i.end for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"}
    return [(i.id, i.properties.get("bic"), banks.get(i.id)) for i in items
            if isinstance(i, NodeRecord) and i.label == "BankAccount"]


def _ftm_ids(tmp_path: Path, country: str, names: list[str], bic: str) -> set[str]:
    """The ids of the BankAccounts FtM entities naming the bank by each of ``names`` (bankName)
    and by ``bic`` make."""
    path = tmp_path / "e.ftm.json"
    entities = [{"bankName": [n]} for n in names] + [{"bic": [bic]}]
    path.write_text("".join(json.dumps({"id": f"acc-{i}", "schema": "BankAccount", "properties": {
        "accountNumber": ["123-456-7890"], "country": [country.lower()], **props}}) + "\n"
        for i, props in enumerate(entities)), encoding="utf-8")
    return {i.id for i in FtmReader([path]).records() if isinstance(i, NodeRecord) and i.label == "BankAccount"}


def _office(listed: str, country: str) -> str:
    """The key's bank part: the listed BIC in its own country, else institution + country."""
    return listed if listed[4:6] == country else f"{listed[:4]}{country}"


@pytest.mark.parametrize("country", COUNTRIES)
def test_an_account_at_kasikornbank_written_every_way_is_one_node_in_every_reader(
        tmp_path: Path, country: str) -> None:
    rows = [f"{country},{bank},123-456-7890" for bank in _spellings(KASIKORN_NAMES, KASIKORN[country])]
    ids = {row[0] for row in _read(tmp_path, *rows)} | _ftm_ids(tmp_path, country, KASIKORN_NAMES, KASIKORN[country])
    assert ids == {f"account:{country}:{_office('KASITHBK', country)}:1234567890"}


@pytest.mark.parametrize("country", COUNTRIES)
def test_an_account_at_acleda_written_every_way_is_one_node_in_every_reader(tmp_path: Path, country: str) -> None:
    rows = [f"{country},{bank},123-456-7890" for bank in _spellings(ACLEDA_NAMES, ACLEDA[country])]
    ids = {row[0] for row in _read(tmp_path, *rows)} | _ftm_ids(tmp_path, country, ACLEDA_NAMES, ACLEDA[country])
    assert ids == {f"account:{country}:{_office('ACLBKHPP', country)}:1234567890"}


def test_a_lao_account_at_acleda_by_name_and_by_its_lao_bic_is_one_key() -> None:
    assert account_key("LA", "ACLEDA Bank", "0011223344") == account_key("LA", "ACLBLALA", "0011223344") == (
        "LA:ACLBLA:0011223344")


def test_a_cambodian_account_at_kasikornbank_keys_by_its_cambodian_office_not_the_thai_head_office() -> None:
    assert account_key("KH", "Kasikornbank", "1234567890") == "KH:KASIKH:1234567890"


@pytest.mark.parametrize("bank", ["Kasikornbank", "KBANK", "ธนาคารกสิกรไทย", "th-kbank", "KASITHBK", "KASITHBKXXX"])
def test_thai_keys_of_thai_banks_are_unchanged(bank: str) -> None:
    assert account_key("TH", bank, "407-1-23958-7") == "TH:KASITHBK:4071239587"


@pytest.mark.parametrize("country", ["KH", "LA", "VN", "MM"])
def test_an_account_abroad_named_by_a_thai_bank_is_not_given_its_head_offices_bic(country: str) -> None:
    assert [account_bic(n, country) for n in KASIKORN_NAMES] == [None] * len(KASIKORN_NAMES)


def test_an_accounts_bic_is_its_office_in_its_country_listed_or_given(tmp_path: Path) -> None:
    assert _read(tmp_path, "TH,Kasikornbank,1234567890", "KH,Kasikornbank,1234567890", "KH,KASIKHPP,1234567890",
                 "LA,ACLEDA Bank,0011223344", "LA,ACLBLALA,0011223344", "KH,ACLEDA Bank,0011223344") == [
        ("account:TH:KASITHBK:1234567890", "KASITHBK", "bank-th-kbank"),
        ("account:KH:KASIKH:1234567890", None, "bank-th-kbank"),
        ("account:KH:KASIKH:1234567890", "KASIKHPP", "bank-th-kbank"),
        ("account:LA:ACLBLA:0011223344", None, "bank-kh-acleda"),
        ("account:LA:ACLBLA:0011223344", "ACLBLALA", "bank-kh-acleda"),
        ("account:KH:ACLBKHPP:0011223344", "ACLBKHPP", "bank-kh-acleda")]


@pytest.mark.parametrize(("text", "written"), [
    ("Kasikornbank", "th-kbank"), ("ธนาคารกสิกรไทย", "th-kbank"), ("ACLEDA Bank", "kh-acleda"),
    ("Bangkok Bank", "th-bbl"), ("KBANK", "KBANK"), ("KASITHBK", "KASITHBK"), ("ACLBLALA", "ACLBLALA"),
    ("TrueMoney", "TH-TRUEMONEY"), ("Golden Lotus", "GOLDENLOTUS")])
def test_resolve_bank_writes_what_the_key_resolves_with_the_accounts_country(text: str, written: str) -> None:
    # a named bank's id, never its head office's BIC, which would be read as a BIC given
    assert bank_code(text) == written


def test_a_code_alias_stays_local_under_the_one_rule() -> None:
    # SCB in a Singapore row is Standard Chartered's, no Siam Commercial office in Singapore
    assert [account_key(c, "SCB", "9876543210") for c in ("TH", "SG")] == [
        "TH:SICOTHBK:9876543210", "SG:SCB:9876543210"]
