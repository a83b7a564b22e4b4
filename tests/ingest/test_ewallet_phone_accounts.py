"""An e-wallet account keyed by its holder's mobile number (``account: {phone: true}`` in the banks
gazetteer: TrueMoney, GCash, Wing, MoMo ...) is one account however the number is written:
nationally, in E.164 or with the country code and no ``+``, in the feeds and in FtM (attack round
56, F4: ``+66812345678`` rejected its row, ``66812345678`` was a second wallet)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import account_ids, ftm_file, read_mapped

from graphapi.ingest.identity.account_formats import AccountFormat
from graphapi.ingest.identity.accounts import account_key, account_number
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import Rejection

HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
          "to_wallet,amount,currency,value_time,reference")
TRUEMONEY = "account:TH:TH-TRUEMONEY:0812345678"


@pytest.mark.parametrize(("country", "wallet", "national", "written"), [
    ("TH", "TrueMoney", "081-234-5678", "+66812345678"),
    ("TH", "TrueMoney", "081-234-5678", "66812345678"),
    ("TH", "TrueMoney", "081-234-5678", "812345678"),
    ("PH", "GCash", "0917 123 4567", "+63 917 123 4567"),
    ("KH", "Wing", "012 345 678", "+855 12 345 678"),
    ("VN", "MoMo", "0912 345 678", "+84 912 345 678"),
])
def test_an_e_wallet_keyed_by_phone_is_one_account_whatever_the_numbers_form(
        country: str, wallet: str, national: str, written: str) -> None:
    assert account_key(country, wallet, written) == account_key(country, wallet, national)


def test_a_phone_keyed_wallet_number_is_its_national_number() -> None:
    assert account_number("TrueMoney", "+66 81 234 5678") == ("0812345678", "")


def test_a_wallet_number_of_another_countrys_phone_keeps_its_country_code() -> None:
    # a Cambodian number at TrueMoney is not the Thai 012 345 678
    assert account_number("TrueMoney", "+855 12 345 678") == ("85512345678", "")


def test_a_wallet_number_that_is_no_mobile_number_is_the_account_number_types_without_a_warning() -> None:
    assert account_number("Wing", "1234-5678-90") == ("1234567890", "")


def test_a_bank_without_phone_numbers_still_refuses_a_signed_number() -> None:
    assert account_number("KBANK", "+4071239587") == (None, "")


def test_transfers_into_and_out_of_one_truemoney_wallet_meet_on_one_account(tmp_path: Path) -> None:
    reader, items = read_mapped(
        tmp_path, "transfers", HEADER,
        "TX1,4071239587,KBANK,TH,081-234-5678,TrueMoney,TH,,,10,THB,13/03/2026 03:27:38,in",
        "TX2,+66812345678,TrueMoney,TH,1073835163,BDO,PH,,,10,THB,13/03/2026 05:27:38,out",
        "TX3,66812345678,TrueMoney,TH,1073835163,BDO,PH,,,10,THB,13/03/2026 06:27:38,out")
    assert [r.reason for r in items if isinstance(r, Rejection)] == []
    assert account_ids(items).count(TRUEMONEY) == 3 and reader.stats.warnings == []


def test_a_signed_number_at_a_bank_still_rejects_its_row(tmp_path: Path) -> None:
    _, items = read_mapped(tmp_path, "transfers", HEADER,
                           "TX1,+4071239587,KBANK,TH,081-234-5678,TrueMoney,TH,,,10,THB,13/03/2026 03:27:38,in")
    assert [r.reason for r in items if isinstance(r, Rejection)] == [
        "column 'from_account': account number '+4071239587' has a sign: no account number"]


def test_an_ftm_wallet_account_in_e164_is_the_feeds_account(tmp_path: Path) -> None:
    reader = FtmReader([ftm_file(tmp_path, {"id": "w1", "schema": "BankAccount", "properties": {
        "bankName": ["TrueMoney"], "accountNumber": ["+66812345678"], "country": ["th"]}})])
    items = list(reader.records())
    assert [r for r in items if isinstance(r, Rejection)] == [] and account_ids(items) == [TRUEMONEY]


def test_a_format_of_phone_numbers_needs_its_banks_country() -> None:
    with pytest.raises(ValueError, match=r"phone: true needs the bank's country"):
        AccountFormat.of({"phone": True})
