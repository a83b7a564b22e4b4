"""An account or phone number never has a sign: a whole number written with one (pandas' ``-1``
for "unknown" in an integer column, Excel's accounting ``(1624938057)``, SAP's ``1624938057-``,
any dash or minus character) rejects its row naming the column and the value. Found: the sign
was read as a separator, ``-1`` loaded as account ``...:1`` and ``(1624938057)`` as
``...:1624938057`` (attack round 42b, 1, left open by the float fix). A phone's leading ``+`` is
its international prefix, parentheses inside a number an area code or a trunk prefix: they read
as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_float_exported_numbers import _beneficiary, _cdr, _ftm_account

from graphapi.ingest.records import EdgeRecord, Rejection
from graphapi.ontology.types import get_type

ACCOUNT = "column 'Beneficiary Account': account number"
PHONE = "column 'A Number': phone number"


@pytest.mark.parametrize("written", [
    "-1",  # pandas' "unknown" in an integer column: found account ...:1
    "-1624938057",  # found ...:1624938057
    "(1624938057)",  # Excel's accounting format: found ...:1624938057
    "1624938057-",  # SAP's trailing minus
    "+1624938057",
    "-(1624938057)",
    '"- 1624938057"',
    "\u20131624938057",  # en dash
    "\u20141624938057",  # em dash
    "\u22121624938057",  # minus sign
    "\uff0d1624938057",  # full-width hyphen-minus
    "\uff081624938057\uff09",  # full-width parentheses
    "-162-493-8057",  # a sign before digit groups
    "-DE89370400440532013000",  # an IBAN
])
def test_an_account_number_with_a_sign_rejects_its_row_naming_column_and_value(tmp_path: Path, written: str) -> None:
    ends, rejected, warned = _beneficiary(tmp_path, written)
    assert (ends, warned) == ([], [])
    shown = written.strip('"')
    assert rejected == [f"{ACCOUNT} {shown!r} has a sign: no account number"]


@pytest.mark.parametrize("written, account", [
    ("162-493-8057", "PH:BNORPHMM:1624938057"),  # dashes between digit groups are no sign
    ("162-4-93805-7", "PH:BNORPHMM:1624938057"),
    ("1624938057", "PH:BNORPHMM:1624938057"),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
])
def test_an_account_number_with_dashes_inside_reads_as_before(tmp_path: Path, written: str, account: str) -> None:
    assert _beneficiary(tmp_path, written) == ([f"account:{account}"], [], [])


@pytest.mark.parametrize("written", ["-", "--", "-0-"])
def test_a_null_token_of_dashes_in_an_account_column_is_no_value_not_a_sign(tmp_path: Path, written: str) -> None:
    ends, rejected, _ = _beneficiary(tmp_path, written)
    assert ends == [] and len(rejected) == 1
    assert "has a sign" not in rejected[0] and "to_account is unusable" in rejected[0]


def test_a_float_account_with_a_sign_still_says_a_float_export_wrote_it(tmp_path: Path) -> None:
    # the float rule first: its advice names the cause
    assert _beneficiary(tmp_path, "-1.0")[1] == [
        f"{ACCOUNT} '-1.0' has a sign: no account number (a number column exported as floats?)"]


def _called(tmp_path: Path, written: str) -> tuple[list[str], list[str]]:
    _, items = _cdr(tmp_path, written)
    return ([i.start for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"],
            [r.reason for r in items if isinstance(r, Rejection)])


@pytest.mark.parametrize("written", [
    "-0812345678",  # found +66812345678: libphonenumber skips what is before the digits
    "-66812345678",
    "\u20130812345678",  # en dash
    "\u22120812345678",  # minus sign
    "0812345678-",  # a trailing minus
    "0812345678+",
    "(0812345678)",  # accounting parentheses around the whole number
    '"(+66 81 234 5678)"',
    "-+66812345678",  # a minus before the international prefix ...
    "+-66812345678",  # ... or after it (strip_separators would drop it)
])
def test_a_phone_number_with_a_sign_rejects_its_row_naming_column_and_value(tmp_path: Path, written: str) -> None:
    shown = written.strip('"')
    assert _called(tmp_path, written) == ([], [f"{PHONE} {shown!r} has a sign: no phone number"])


@pytest.mark.parametrize("written, phone", [
    ("+66828301908", "+66828301908"),  # the international prefix is no sign
    ('"+66 (0)82 830 1908"', "+66828301908"),  # a trunk prefix in parentheses
    ('"(02) 123 4567"', "+6621234567"),  # an area code in parentheses
    ('"(+66) 82 830 1908"', "+66828301908"),
    ("082-830-1908", "+66828301908"),
])
def test_a_phone_number_with_a_prefix_or_parentheses_inside_reads_as_before(
        tmp_path: Path, written: str, phone: str) -> None:
    assert _called(tmp_path, written) == ([f"phone:{phone}"], [])


def test_the_account_number_type_refuses_a_sign_saying_so() -> None:
    account = get_type("accountNumber")
    assert [account.clean(v) for v in ("-1", "(1624938057)", "1624938057-", "162-493-8057")] == [
        None, None, None, "1624938057"]
    assert account.refusal("-1") == "invalid accountNumber value '-1': a number with a sign is no account number"


def test_the_phone_and_iban_types_refuse_a_sign_and_keep_a_prefix_or_an_area_code() -> None:
    phone, iban = get_type("phone"), get_type("iban")
    assert [phone.clean(v, country="TH") for v in ("-0812345678", "(0812345678)", "+66 (0)81 234 5678",
                                                   "(02) 123 4567")] == [None, None, "+66812345678", "+6621234567"]
    assert [iban.clean("-DE89370400440532013000"), iban.clean("DE89-3704-0044-0532-0130-00")] == [
        None, "DE89370400440532013000"]


@pytest.mark.parametrize("written", ["-1624938057", "(1624938057)", "1624938057-"])
def test_an_ftm_account_number_with_a_sign_is_rejected(tmp_path: Path, written: str) -> None:
    # found: kept as written, account:PH:BNORPHMM:-1624938057 beside the unsigned one
    items = list(_ftm_account(tmp_path, written).records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, f"accountNumber {written!r} has a sign: no account number")]
