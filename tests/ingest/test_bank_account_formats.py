"""A bank's account number format (``account:`` in the banks gazetteer): the same account written
several ways is one number, one key and one node, in the feeds and in FtM; a number that cannot
be one of the bank's is a load warning with its line, or rejects its row as the mapping says; a
bank without a format keys its numbers as before (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from ingest_helpers import account_ids, ftm_file, load_transfers_and_ftm, node_props, read_mapped

from graphapi.ingest.identity.account_formats import AccountFormat
from graphapi.ingest.identity.accounts import account_key, account_number, bank_format, bank_identity
from graphapi.ingest.identity.gazetteer import GazetteerError, gazetteer
from graphapi.ingest.mapping.model import MappingError
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord, Rejection
from graphapi.ingest.writer import Provenance

HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
          "to_wallet,amount,currency,value_time,reference")
KBANK_ACCOUNT = "account:TH:KASITHBK:4071239587"
BDO_ACCOUNT = "account:PH:BNORPHMM:7654321"
# Kasikornbank's numbers are 10 digits (seed/gazetteers/banks.yaml); written three ways
ROWS = ("TX1,407-1-23958-7,KBANK,TH,7654321,BDO,PH,,,10.00,USD,13/03/2026 03:27:38,a",
        "TX2,A/C 407 1 23958 7,ธนาคารกสิกรไทย,Thailand,7654321,BDO,PH,,,20.00,USD,13/03/2026 04:27:38,b",
        "TX3,๔๐๗๑๒๓๙๕๘๗,Kasikorn Bank,th,7654321,BDO,PH,,,30.00,USD,13/03/2026 05:27:38,c")
SHORT = "TX2,407-1-2395,KBANK,TH,7654321,BDO,PH,,,20.00,USD,13/03/2026 04:27:38,b"  # 8 digits


def _forget_banks() -> None:
    for cached in (gazetteer, bank_identity, bank_format, account_number):
        cached.cache_clear()


@pytest.fixture
def deployment_banks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A deployment's gazetteer directory (``LINTAS_GAZETTEERS``): write ``banks-local.yaml`` in it."""
    folder = tmp_path / "gazetteers"
    folder.mkdir()
    monkeypatch.setenv("LINTAS_GAZETTEERS", str(folder))
    _forget_banks()
    yield folder
    monkeypatch.delenv("LINTAS_GAZETTEERS")
    _forget_banks()


def test_a_format_keeps_the_digits_of_a_number_written_with_letters_separators_or_thai_digits() -> None:
    ten = AccountFormat.of({"length": 10})
    assert [ten.normal(t) for t in ("123-4-56789-0", "A/C 123 4 56789 0", "๑๒๓-๔-๕๖๗๘๙-๐")] == ["1234567890"] * 3


def test_a_digits_only_format_refuses_letters_inside_the_number_rather_than_drop_them() -> None:
    # attack round 20, B8: "407ABC1239587" and an IBAN became Kasikornbank's 4071239587
    ten = AccountFormat.of({"length": 10})
    assert [ten.normal(t) for t in ("407ABC1239587", "IBAN TH40 7123 9587", "407-1-23958-7")] == [
        None, None, "4071239587"]


@pytest.mark.parametrize("pattern", ["(0*)*1", "((0*))*1", "(0|0)*1", "(?:0|00)+1", "(a|b+){2,}"])
def test_a_format_whose_pattern_repeats_what_matches_several_ways_is_refused(pattern) -> None:
    # "(0*)*1" took 14 s on 28 zeros, "(0|0)*1" 4.8 s on 24: one cell froze a load (attack rounds 20 B8, 21 C6)
    with pytest.raises(ValueError, match="catastrophic backtracking"):
        AccountFormat.of({"pattern": pattern})


@pytest.mark.parametrize("pattern", [r"\d{10}", "[0-9]{3}-?[0-9]+", "([0-9]{3})+", "[A-Z]{2}[0-9]{8,10}", "0{3}|1{4}"])
def test_a_format_whose_repeats_match_one_way_is_taken(pattern) -> None:
    assert AccountFormat.of({"pattern": pattern}).pattern.pattern == pattern


def test_a_format_with_significant_letters_keeps_them_upper_case() -> None:
    assert AccountFormat.of({"length": 8, "letters": True}).normal("sa-123 456") == "SA123456"


def test_a_format_puts_back_the_prefix_its_writer_left_out() -> None:
    fmt = AccountFormat.of({"length": 12, "prefix": "00"})
    assert (fmt.normal("0012-3456-7890"), fmt.normal("12-3456-7890")) == ("001234567890", "001234567890")


def test_a_format_refuses_a_number_of_another_length_or_pattern() -> None:
    assert AccountFormat.of({"length": [10, 12]}).normal("123-4-5678") is None
    assert AccountFormat.of({"pattern": "[0-9]{3}0[0-9]{6}"}).normal("123-4-56789-0") is None


def test_a_bank_with_a_format_keys_one_account_written_three_ways_as_one() -> None:
    keys = {account_key("TH", bank, number) for bank, number in (
        ("KBANK", "123-4-56789-0"), ("ธนาคารกสิกรไทย", "A/C 123 4 56789 0"), ("KASITHBKXXX", "๑๒๓๔๕๖๗๘๙๐"))}
    assert keys == {"TH:KASITHBK:1234567890"}


def test_a_bank_without_a_format_keys_its_numbers_as_before() -> None:
    # KBZ declares no format: letters stay part of the number, any length is a number
    assert account_number("KBZ", "A/C 405-1-30105-6") == ("AC4051301056", "")
    assert account_key("MM", "KBZ", "405-1") == "MM:KBZBMMMY:4051"


def test_a_number_that_cannot_be_the_banks_is_kept_as_the_type_cleans_it_and_said_why() -> None:
    assert account_number("KBANK", "123-4-5678") == (
        "12345678", "account number '123-4-5678' cannot be Kasikornbank's (10 digits)")


def test_an_account_written_three_ways_in_a_feed_and_once_in_ftm_is_one_id(tmp_path: Path) -> None:
    reader, fed = read_mapped(tmp_path, "transfers", HEADER, *ROWS)
    ftm = list(FtmReader([ftm_file(tmp_path, {"id": "ftm-acct", "schema": "BankAccount", "properties": {
        "bankName": ["Kasikornbank"], "accountNumber": ["407 123 9587"], "country": ["th"]}})]).records())
    assert set(account_ids(fed)) == {KBANK_ACCOUNT, BDO_ACCOUNT} and account_ids(ftm) == [KBANK_ACCOUNT]
    assert {r.properties["accountNumber"] for r in fed if isinstance(r, NodeRecord) and r.id == KBANK_ACCOUNT} == {
        "4071239587"}
    assert reader.stats.warnings == []


@pytest.mark.backends
async def test_an_account_written_three_ways_in_a_feed_and_once_in_ftm_is_one_node(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    prov = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
    account = {"bankName": ["Kasikornbank"], "accountNumber": ["407 123 9587"], "country": ["th"]}
    await load_transfers_and_ftm(store, tmp_path, HEADER, ROWS,
                                 {"id": "ftm-acct", "schema": "BankAccount", "properties": account}, prov)
    rows = await store.read("ingest/count_label", label="BankAccount")
    assert int(rows[0]["n"]) == 2  # the KBANK account and the BDO one
    props = await node_props(store, KBANK_ACCOUNT)
    assert props["sources"] == ["partner-fiu-transfers", "ftm"] and props["referents"] == ["ftm-acct"]


def test_a_wrong_length_number_in_a_feed_loads_with_a_warning_naming_its_line(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "transfers", HEADER, ROWS[0], SHORT)
    assert reader.stats.rejected == 0 and "account:TH:KASITHBK:40712395" in account_ids(items)
    assert [(w.file, w.line, w.reason) for w in reader.stats.warnings] == [
        ("transfers.csv", 3, "column 'from_account': account number '407-1-2395' cannot be Kasikornbank's "
                             "(10 digits); loaded as 40712395")]


def test_a_wrong_length_number_in_ftm_loads_with_a_warning_naming_its_line(tmp_path: Path) -> None:
    reader = FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "bic": ["KRTHTHBK"], "accountNumber": ["9001"], "country": ["th"]}})])
    assert account_ids(list(reader.records())) == ["account:TH:KRTHTHBK:9001"]
    assert [(w.line, w.reason) for w in reader.stats.warnings] == [
        (1, "account number '9001' cannot be Krung Thai Bank's (10 digits); kept as 9001")]


def test_a_mapping_may_reject_a_number_that_cannot_be_its_banks(tmp_path: Path) -> None:
    doc = yaml.safe_load(load_mapping("transfers").path.read_text(encoding="utf-8"))
    doc["columns"]["from_account"] = {"account": {"bank": "from_bank", "invalid": "reject"}}
    strict = tmp_path / "transfers_strict.yaml"
    strict.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    csv = tmp_path / "transfers.csv"
    csv.write_text("\n".join([HEADER, ROWS[0], SHORT]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(str(strict)), [csv])
    (rejection,) = [r for r in reader.records() if isinstance(r, Rejection)]
    assert (rejection.line, rejection.reason) == (3, "column 'from_account': account number '407-1-2395' "
                                                     "cannot be Kasikornbank's (10 digits)")
    assert rejection.raw["from_account"] == "407-1-2395" and reader.stats.warnings == []


def test_an_account_rule_naming_a_column_the_mapping_does_not_read_is_refused(tmp_path: Path) -> None:
    doc = yaml.safe_load(load_mapping("transfers").path.read_text(encoding="utf-8"))
    doc["columns"]["from_account"] = {"account": {"bank": "sender_bank"}}
    bad = tmp_path / "transfers_bad.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MappingError, match="columns.from_account: account: no entity, relationship or hint "
                                           "reads the bank column 'sender_bank'"):
        load_mapping(str(bad))


def test_a_deployments_bank_declares_a_format_with_a_prefix_writers_leave_out(deployment_banks: Path) -> None:
    (deployment_banks / "banks-local.yaml").write_text(
        "entries:\n  - {id: la-ldb, name: Lao Development Bank, country: LA, account: {length: 12, prefix: '00'}}\n",
        encoding="utf-8")
    assert account_key("LA", "Lao Development Bank", "0012-3456-7890") == account_key(
        "LA", "lao development bank", "12 3456 7890") == "LA:LA-LDB:001234567890"


def test_a_deployments_bank_with_a_format_that_cannot_be_read_is_refused_with_its_file(
        deployment_banks: Path) -> None:
    (deployment_banks / "banks-local.yaml").write_text(
        "entries:\n  - {id: la-ldb, name: Lao Development Bank, country: LA, account: {length: ten}}\n",
        encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"banks-local.yaml: bank la-ldb: account: length: a positive whole "
                                             r"number or a list of them, not 'ten'"):
        gazetteer("banks")


def test_a_deployment_gives_a_shipped_bank_a_format_by_its_id(deployment_banks: Path) -> None:
    (deployment_banks / "banks-local.yaml").write_text("entries:\n  - {id: mm-kbz, account: {length: 10}}\n",
                                                       encoding="utf-8")
    assert account_number("Kanbawza Bank", "A/C 405-1-30105-6") == ("4051301056", "")
    assert account_number("KBZ", "405-1") == ("4051", "account number '405-1' cannot be KBZ Bank's (10 digits)")
