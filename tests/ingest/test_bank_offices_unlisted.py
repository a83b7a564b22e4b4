"""An account at a bank's office the banks gazetteer does not list keys as the bank's office in its
country, by name or by the office's BIC alike (attack round 33, 4): Bangkok Bank in a Lao row keyed
LA:BKKBTHBK (the Thai head office) and stored that BIC, while the Lao office's BIC keyed LA:BKKBLALA;
in a Cambodian row its legal and Thai names named no bank. And a bank value reads as a BIC only
when the gazetteer lists it or it is written as a code of the row's country (round 33, 4b: an
unknown "Eximbank" cleaned as a Bosnian BIC)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.identity.accounts import account_bic, account_key, bank_country
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

MAPPING = """
name: offices
columns:
  bank: {resolve: bank}
entities:
  account:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{number:accountNumber}"}
      bankName: {column: bank}
      country: {column: country}
"""
INTO_BIC = MAPPING.replace("bankName: {column: bank}", "bic: {column: bank}")
NAME_AND_BIC = MAPPING.replace("bankName: {column: bank}", "bankName: {column: bank}\n      bic: {column: bank}")
#: Bangkok Bank written every way a feed writes it; each country's office BIC (BKKBTHBK and BKKBKHPP
#: listed; the others only codes of their country: the gazetteer lists no office there)
NAMES = ["Bangkok Bank", "Bangkok Bank Public Company Limited", "ธนาคารกรุงเทพ", "th-bbl"]
OFFICES = {"TH": "BKKBTHBK", "KH": "BKKBKHPP", "LA": "BKKBLALA", "VN": "BKKBVNVX", "MM": "BKKBMMMY"}


def _read(tmp_path: Path, mapping: str, *rows: str) -> list[Rejection | tuple[str, str | None, str | None]]:
    """Per row: ``(account id, its bic, the bank node it is linked to)``, or its Rejection."""
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join(["country,bank,number", *rows]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"])
    items = list(reader.records())
    banks = {i.start: i.end for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"}
    return [i if isinstance(i, Rejection) else (i.id, i.properties.get("bic"), banks.get(i.id)) for i in items
            if isinstance(i, Rejection) or (isinstance(i, NodeRecord) and i.label == "BankAccount")]


def _ftm(tmp_path: Path, **props: str) -> str:
    """The id of the BankAccount an FtM entity with ``props`` makes."""
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps({"id": "acc-1", "schema": "BankAccount",
                                "properties": {k: [v] for k, v in props.items()}}) + "\n", encoding="utf-8")
    (node,) = [i for i in FtmReader([path]).records() if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    return node.id


@pytest.mark.parametrize("alias", ["Bangkok Bank Public Company Limited", "ธนาคารกรุงเทพ"])
def test_a_cambodian_account_named_by_the_banks_legal_or_thai_name_keys_as_by_its_name(alias: str) -> None:
    assert account_key("KH", alias, "123-456-789") == account_key("KH", "Bangkok Bank", "123-456-789") == (
        "KH:BKKBKHPP:123456789")


@pytest.mark.parametrize("country", ["LA", "VN", "MM"])
def test_an_account_abroad_named_by_the_bank_keys_as_by_its_offices_bic(country: str) -> None:
    assert account_key(country, "Bangkok Bank", "123-456-789") == account_key(
        country, OFFICES[country], "123-456-789") == f"{country}:BKKB{country}:123456789"


@pytest.mark.parametrize("country", ["LA", "VN", "MM"])
def test_an_account_abroad_named_by_the_bank_is_not_given_the_thai_head_offices_bic(country: str) -> None:
    assert account_bic("Bangkok Bank", country) is None


def test_thai_and_cambodian_keys_stay_the_listed_offices() -> None:
    assert [account_key(c, "Bangkok Bank", "1234567890") for c in ("TH", "KH")] == [
        "TH:BKKBTHBK:1234567890", "KH:BKKBKHPP:1234567890"]


@pytest.mark.parametrize("country", list(OFFICES))
def test_one_account_by_name_alias_thai_name_id_or_bic_is_one_node_in_every_reader(
        tmp_path: Path, country: str) -> None:
    rows = [f"{country},{bank},123-456-7890" for bank in [*NAMES, OFFICES[country]]]
    mapped = {i[0] for i in _read(tmp_path, MAPPING, *rows) if isinstance(i, tuple)}
    ftm = {_ftm(tmp_path, accountNumber="1234567890", bankName=b, country=country.lower()) for b in NAMES}
    ftm.add(_ftm(tmp_path, accountNumber="1234567890", bic=OFFICES[country], country=country.lower()))
    office = OFFICES[country] if country in ("TH", "KH") else f"BKKB{country}"
    assert mapped | ftm == {f"account:{country}:{office}:1234567890"}


def test_a_lao_account_at_bangkok_bank_loads_without_a_bic_and_links_to_the_bank(tmp_path: Path) -> None:
    assert _read(tmp_path, INTO_BIC, "LA,Bangkok Bank,1234567890", "LA,BKKBLALA,1234567890") == [
        ("account:LA:BKKBLA:1234567890", None, "bank-th-bbl"),
        ("account:LA:BKKBLA:1234567890", "BKKBLALA", "bank-th-bbl")]


def test_a_bank_with_one_listed_bic_keys_abroad_by_its_institution_and_gets_no_bic_yet_is_linked(
        tmp_path: Path) -> None:
    # one rule for every bank (round 34): TH:ACLBKHPP was the Cambodian head office's BIC
    assert _read(tmp_path, NAME_AND_BIC, "TH,ACLEDA Bank,0011223344") == [
        ("account:TH:ACLBTH:0011223344", None, "bank-kh-acleda")]


@pytest.mark.parametrize("name", ["Eximbank", "Nam A Bank", "Bac A Bank", "Hana Bank", "EXIMBANK"])
def test_an_unknown_banks_name_in_a_vietnamese_row_is_no_bic(name: str) -> None:
    key = f"VN:{name.replace(' ', '').upper()}:123"
    assert (account_bic(name, "VN"), account_key("VN", name, "123")) == (None, key)


@pytest.mark.parametrize("name", ["Eximbank", "Hana Bank"])
def test_an_unknown_banks_name_has_no_country(name: str) -> None:
    assert bank_country(name) is None


def test_an_unknown_banks_name_loads_as_an_unknown_bank_without_a_bic(tmp_path: Path) -> None:
    assert _read(tmp_path, MAPPING, "VN,Eximbank,123") == [("account:VN:EXIMBANK:123", None, None)]


def test_an_unknown_banks_name_in_a_bic_column_is_refused(tmp_path: Path) -> None:
    (row,) = _read(tmp_path, INTO_BIC.replace("columns:\n  bank: {resolve: bank}\n", ""), "VN,Eximbank,123")
    assert isinstance(row, Rejection) and row.reason == "account.bic: invalid bic value 'Eximbank' in column 'bank'"


def test_an_unknown_banks_name_resolved_into_a_bic_column_loads_without_a_bic(tmp_path: Path) -> None:
    # `resolve: bank` writes it EXIMBANK, a code of Bosnia: no BIC of a Vietnamese account
    assert _read(tmp_path, INTO_BIC, "VN,Eximbank,123") == [("account:VN:EXIMBANK:123", None, None)]


def test_an_unknown_banks_bic_of_the_rows_country_is_a_bic() -> None:
    assert (account_bic("EBVIVNVX", "VN"), account_key("VN", "EBVIVNVX", "123"), bank_country("EBVIVNVX")) == (
        "EBVIVNVX", "VN:EBVIVNVX:123", "VN")


def _warnings(tmp_path: Path, row: str) -> tuple[list[str], list[str]]:
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "f.csv").write_text(f"country,bank,number\n{row}\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"])
    ids = [i.id for i in reader.records() if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    return ids, [w.reason for w in reader.stats.warnings]


def _abroad(key: str, home: str) -> str:
    return (f"{key} at Bangkok Bank ({home}) is keyed as a TH account (its row's country): if it is held in "
            f"{home}, a {home} feed's node of it is another. Where the feed gives the account's own country, key "
            "it by that column (docs/mappings.md, Gazetteers)")


def test_a_listed_bic_of_another_country_is_read_as_that_office_and_warned_of(tmp_path: Path) -> None:
    key = "account:TH:BKKBKHPP:1234567890"
    assert _warnings(tmp_path, "TH,BKKBKHPP,1234567890") == ([key], [_abroad(key, "KH")])


def test_an_unlisted_bic_of_a_known_bank_of_another_country_is_read_as_that_office_and_warned_of(
        tmp_path: Path) -> None:
    key = "account:TH:BKKBLA:1234567890"
    assert _warnings(tmp_path, "TH,BKKBLALA,1234567890") == ([key], [_abroad(key, "LA")])


@pytest.mark.parametrize("written", ["ocbcthbk", "ocbcthbkxxx", "ocbcthbk001"])
def test_a_bic_of_the_rows_country_keys_alike_in_small_letters(written):
    # attack round 34, 3: lower case read as a name keyed TH:OCBCTHBKXXX apart from TH:OCBCTHBK
    assert account_key("TH", written, "1234567890") == account_key("TH", written.upper(), "1234567890")


def test_a_lower_case_word_in_a_row_with_no_country_is_no_bic():
    assert account_bic("eximbank", None) is None


@pytest.mark.parametrize("name", ["BankThaiPcl", "BankThai", "Bankthaipcl", "Ocbcthbkxxx"])
def test_a_capitalised_or_mixed_case_bank_name_is_no_bic(name):
    # attack rounds 35, 1 and 36, 2: BankThaiPcl, then Bankthaipcl, in a Thai row read as the
    # BIC BANKTHAIPCL, keyed TH:BANKTHAI
    assert account_bic(name, "TH") is None


@pytest.mark.parametrize("name", ["BankThaiPcl", "Bankthaipcl"])
def test_a_bank_name_keys_alike_with_or_without_its_blank(name):
    assert account_key("TH", name, "1234567890") == account_key("TH", "Bankthai Pcl", "1234567890") == (
        "TH:BANKTHAIPCL:1234567890")


def test_an_unlisted_bic_in_capitals_of_the_rows_country_is_a_bic():
    assert account_bic("ABCDTHBK", "TH") == "ABCDTHBK"
    assert account_key("TH", "ABCDTHBKXXX", "1234567890") == account_key("TH", "abcdthbk", "1234567890")


@pytest.mark.parametrize("written", ["ABCD TH BK XXX", "ABCD TH BK", "abcd th bk xxx"])
def test_an_unlisted_bic_written_in_its_groups_keys_as_written_in_one_word(written):
    # attack round 38a, 5: 'ABCD TH BK XXX' keyed TH:ABCDTHBKXXX apart from 'ABCDTHBKXXX' (TH:ABCDTH)
    assert account_key("TH", written, "1234567890") == account_key("TH", "ABCDTHBKXXX", "1234567890")


@pytest.mark.parametrize("name", ["BANKTHAI PCL", "BANK THAI", "Bank Thai Pcl"])
def test_a_bank_name_of_words_in_capitals_is_no_bic(name):
    assert account_bic(name, "TH") is None
