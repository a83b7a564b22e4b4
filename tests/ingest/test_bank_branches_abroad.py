"""A bank's branch abroad has its own BIC (Bangkok Bank in Phnom Penh: BKKBKHPP), listed in the banks
gazetteer after its head office's. An account there keys by that BIC whether a feed names the bank by
its name or by the branch's BIC (attack round 30c, left open in 31: KH:BKKBTHBK by name and
KH:BKKBKHPP by BIC made one account two nodes). A BIC the row gives is the bank's identity as given,
never swapped for the bank's BIC in the row's country: only a bank named by its name, alias or id is
(attack round 31b: TH + BKKBKHPP keyed TH:BKKBTHBK, the Thai head office's account with those digits)."""
from pathlib import Path

from graphapi.ingest.identity.accounts import account_key, normal_account_key
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord

FEED = """
name: branch-feed
columns:
  bank: {resolve: bank}
entities:
  payee:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{account:accountNumber}"}
      bankCode: {column: bank}
      country: {column: country}
"""


def _mapped(tmp_path: Path, *rows: str) -> list[tuple[str, str]]:
    """(id, bankCode) of the BankAccounts a `resolve: bank` feed makes of ``rows``."""
    (tmp_path / "m.yaml").write_text(FEED, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join(["country,bank,account", *rows]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"])
    return [(i.id, i.properties.get("bankCode")) for i in reader.records()
            if isinstance(i, NodeRecord) and i.label == "BankAccount"]


def test_one_cambodian_branch_account_by_name_and_by_bic_is_one_key():
    assert account_key("KH", "Bangkok Bank", "1234567890") == account_key("KH", "BKKBKHPP", "1234567890") == (
        "KH:BKKBKHPP:1234567890")


def test_a_branch_abroad_is_never_the_head_office_nor_a_thai_account():
    assert account_key("TH", "Bangkok Bank", "1234567890") == account_key("TH", "BBL", "1234567890") == (
        "TH:BKKBTHBK:1234567890")
    assert account_key("KH", "Bangkok Bank", "1234567890") != account_key("TH", "Bangkok Bank", "1234567890")


def test_a_row_without_a_country_keys_a_branch_bic_by_the_branchs_country():
    assert account_key(None, "BKKBKHPP", "1234567890") == "KH:BKKBKHPP:1234567890"
    assert account_key(None, "Bangkok Bank", "1234567890") == "TH:BKKBTHBK:1234567890"


def test_a_mapped_key_written_with_the_banks_alias_in_cambodia_is_the_branchs():
    assert normal_account_key("KH:Bangkok Bank:123-456-7890") == "KH:BKKBKHPP:1234567890"


def test_a_bank_without_a_listed_office_in_the_country_keys_by_its_institution_and_the_country():
    # never by its head office abroad, as a bank listing offices abroad did not (round 34)
    assert account_key("KH", "Kasikornbank", "1234567890") == "KH:KASIKH:1234567890"


def test_a_branch_bic_in_a_row_of_another_country_is_kept_as_given():
    assert account_key("TH", "BKKBKHPP", "1234567890") == "TH:BKKBKHPP:1234567890"
    assert account_key("TH", "BKKBKHPP", "1234567890") != account_key("TH", "Bangkok Bank", "1234567890")


def test_a_head_office_bic_in_a_row_of_a_branchs_country_is_kept_as_given():
    assert account_key("KH", "BKKBTHBK", "1234567890") == "KH:BKKBTHBK:1234567890"
    assert account_key("KH", "BKKBTHBK", "1234567890") != account_key("KH", "BKKBKHPP", "1234567890")


def test_each_bic_in_its_own_countrys_row_keys_as_given():
    assert account_key("TH", "BKKBTHBK", "1234567890") == "TH:BKKBTHBK:1234567890"
    assert account_key("KH", "BKKBKHPP", "1234567890") == "KH:BKKBKHPP:1234567890"
    assert account_key("KH", "BKKBKHPPXXX", "1234567890") == "KH:BKKBKHPP:1234567890"


def test_a_row_without_a_country_keys_the_head_office_bic_by_its_own_country():
    assert account_key(None, "BKKBTHBK", "1234567890") == "TH:BKKBTHBK:1234567890"


def test_a_resolve_bank_feed_keys_a_named_bank_in_the_rows_country_and_a_bic_as_given(tmp_path: Path):
    assert _mapped(tmp_path, "KH,Bangkok Bank,1234567890", "KH,BKKBTHBK,1234567890", "TH,BKKBKHPP,1234567890",
                   "TH,Bangkok Bank,1234567890") == [
        ("account:KH:BKKBKHPP:1234567890", "BKKBTHBK"), ("account:KH:BKKBTHBK:1234567890", "BKKBTHBK"),
        ("account:TH:BKKBKHPP:1234567890", "BKKBKHPP"), ("account:TH:BKKBTHBK:1234567890", "BKKBTHBK")]
