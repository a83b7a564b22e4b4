"""The other spellings a float export writes a number in: a sign in any spelling (Excel's
accounting ``(1073835163.0)``, SAP's trailing ``1073835163.0-``, any dash or minus character)
rejects its row as ``-1.0`` does; scientific notation (``1.073835163E9``) is the integer it
names, with the warning a ``.0`` has, when exactly integral, within 2**53 and with every digit
written; a float-looking number past 2**53 rejects (no float kept its digits); plain digits of
any length read as before. Found: each loaded as ANOTHER account or phone (attack round 42b, 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_float_exported_numbers import _beneficiary, _cdr, _ftm_account

from graphapi.ingest.records import EdgeRecord, Rejection

ACCOUNT = "column 'Beneficiary Account': account number"
FLOATS = "(a number column exported as floats?)"
AS_TEXT = "export the column as text)"


@pytest.mark.parametrize("written", [
    "(1073835163.0)",  # Excel's accounting format: found ...:10738351630
    "( 1,073,835,163.00 )",
    "1073835163.0-",  # SAP's trailing minus: found ...:10738351630
    "1073835163.0+",
    "-(1073835163.0)",
    "\u20131.0",  # en dash: found ...:10
    "\u20141073835163.0",  # em dash
    "\u20101073835163.0",  # hyphen
    "\u22121073835163.0",  # minus sign
    "\ufe631073835163.0",  # small hyphen-minus
    "\uff0d1073835163.0",  # full-width hyphen-minus
    "\uff081073835163.0\uff09",  # full-width parentheses
    "- 1073835163.0",
])
def test_a_float_account_with_a_sign_in_any_spelling_rejects_its_row_naming_column_and_value(
        tmp_path: Path, written: str) -> None:
    ends, rejected, warned = _beneficiary(tmp_path, f'"{written}"')
    assert (ends, warned) == ([], [])
    assert rejected == [f"{ACCOUNT} {written!r} has a sign: no account number {FLOATS}"]


@pytest.mark.parametrize("written", ["$1,073,835,163.00", "1073835163.0 \u20ac", "#1073835163.0", "'1073835163.0"])
def test_a_float_account_with_another_mark_around_its_digits_rejects_its_row(tmp_path: Path, written: str) -> None:
    # the digits-only rule kept the '0' after the point: ...:107383516300
    ends, rejected, _ = _beneficiary(tmp_path, f'"{written}"')
    assert ends == []
    assert rejected == [f"{ACCOUNT} {written!r} has a mark that is no digit: no account number {FLOATS}"]


@pytest.mark.parametrize("written", [
    "1.073835163E9",  # found ...:1073835163E9
    "1.073835163E+09",
    "1.073835163e+09",
    "1.0738351630E9",  # a written zero past the point is no digit of the integer
    "1,073835163E+09",  # a comma-decimal locale's
    "10.73835163E8",
])
def test_a_float_account_in_scientific_notation_is_the_same_account_with_a_warning(
        tmp_path: Path, written: str) -> None:
    ends, rejected, warned = _beneficiary(tmp_path, f'"{written}"')
    assert (ends, rejected) == (["account:PH:BNORPHMM:1073835163"], [])
    assert warned == [f"{ACCOUNT} {written!r} read as 1073835163 (a whole number written as a decimal, "
                      "as a float export writes it)"]


@pytest.mark.parametrize("written", ["1.0738351635E9", "1.5e-3", "1e-5"])
def test_a_float_account_in_scientific_notation_with_a_fraction_rejects_its_row(tmp_path: Path, written: str) -> None:
    ends, rejected, _ = _beneficiary(tmp_path, written)
    assert ends == []
    assert rejected == [f"{ACCOUNT} {written!r} has a fraction: no account number {FLOATS}"]


@pytest.mark.parametrize("written", ["1.07384E+09", "1.07383516E9"])
def test_a_float_account_whose_exponent_adds_zeros_rejects_its_row(tmp_path: Path, written: str) -> None:
    # Excel's General format writes 1073835163 as 1.07384E+09 in a narrow column: 1073840000 is another account
    ends, rejected, _ = _beneficiary(tmp_path, written)
    assert ends == []
    assert rejected == [f"{ACCOUNT} {written!r} has zeros its exponent adds: no account number "
                        f"(scientific notation may round a number to its first digits: {AS_TEXT}"]


@pytest.mark.parametrize("written", [
    "12345678901234568.0",  # account 12345678901234567 through a float: found that exact account
    "12,345,678,901,234,568.00",
    "9007199254740993.0",  # 2**53 + 1
    "1.2345678901234568E16",
    "1e+16",  # Python's repr of 1e16
])
def test_a_float_account_past_two_to_the_53_rejects_its_row_saying_no_float_keeps_its_digits(
        tmp_path: Path, written: str) -> None:
    ends, rejected, _ = _beneficiary(tmp_path, f'"{written}"')
    assert ends == []
    assert rejected == [f"{ACCOUNT} {written!r} has more digits than a float keeps: no account number "
                        f"(a float cannot keep more than 15-16 digits: {AS_TEXT}"]


@pytest.mark.parametrize("written", ["1" * 5000 + ".0", "1" * 5000 + "E+9"])
def test_a_float_account_of_thousands_of_digits_rejects_its_row_saying_no_float_keeps_its_digits(
        tmp_path: Path, written: str) -> None:
    # Python's int() refuses a string of more than 4,300 digits: the check compares lengths first
    ends, rejected, _ = _beneficiary(tmp_path, written)
    assert ends == [] and len(rejected) == 1
    assert rejected[0].endswith(f"has more digits than a float keeps: no account number "
                                f"(a float cannot keep more than 15-16 digits: {AS_TEXT}")


def test_a_float_account_at_two_to_the_53_is_that_account(tmp_path: Path) -> None:
    ends, rejected, _ = _beneficiary(tmp_path, "9007199254740992.0")
    assert (ends, rejected) == (["account:PH:BNORPHMM:9007199254740992"], [])


@pytest.mark.parametrize("written", ["12345678901234567", "9007199254740993", "123456789012345678901234"])
def test_a_plain_digit_account_past_two_to_the_53_reads_as_before(tmp_path: Path, written: str) -> None:
    assert _beneficiary(tmp_path, written) == ([f"account:PH:BNORPHMM:{written}"], [], [])


def test_an_account_with_an_e_and_no_point_nor_exponent_sign_is_an_identifier_as_before(tmp_path: Path) -> None:
    # a float's exponent without a point has a sign (1e+16): 12E45 is no float
    assert _beneficiary(tmp_path, "12E45") == (["account:PH:BNORPHMM:12E45"], [], [])


@pytest.mark.parametrize("written, why", [
    ("(1073835163.0)", "has a sign: no account number (a number column exported as floats?)"),
    ("12345678901234568.0", "has more digits than a float keeps: no account number "
                            "(a float cannot keep more than 15-16 digits: export the column as text)"),
])
def test_an_ftm_account_number_with_a_sign_or_past_two_to_the_53_is_rejected(
        tmp_path: Path, written: str, why: str) -> None:
    items = list(_ftm_account(tmp_path, written).records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [(1, f"accountNumber {written!r} {why}")]


def _called(items: list) -> tuple[list[str], list[str]]:
    return ([i.start for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"],
            [r.reason for r in items if isinstance(r, Rejection)])


@pytest.mark.parametrize("written", [
    "(85512345678.0)", "85512345678.0-", "\u201385512345678.0", "\u221285512345678.0", "\uff0d85512345678.0",
])
def test_a_float_phone_with_a_sign_in_any_spelling_rejects_its_row_naming_column_and_value(
        tmp_path: Path, written: str) -> None:
    # found: phone:+855123456780 in a Cambodian row, another phone
    _, items = _cdr(tmp_path, written, country="KHM")
    assert _called(items) == ([], [f"column 'A Number': phone number {written!r} has a sign: no phone number {FLOATS}"])


@pytest.mark.parametrize("written", ["8.5512345678E+10", "8.5512345678e10"])
def test_a_float_phone_in_scientific_notation_is_the_same_phone_with_a_warning(tmp_path: Path, written: str) -> None:
    reader, items = _cdr(tmp_path, written, country="KHM")
    assert _called(items) == (["phone:+85512345678"], [])
    assert [w.reason for w in reader.stats.warnings] == [
        f"column 'A Number': phone number {written!r} read as 85512345678 (a whole number written as a decimal, "
        "as a float export writes it)"]


def test_a_float_phone_rounded_by_its_exponent_rejects_its_row(tmp_path: Path) -> None:
    # Excel's General format: 85512345678 in a narrow column is 8.55123E+10, phone +85512300000
    _, items = _cdr(tmp_path, "8.55123E+10", country="KHM")
    assert _called(items) == ([], [
        "column 'A Number': phone number '8.55123E+10' has zeros its exponent adds: no phone number "
        f"(scientific notation may round a number to its first digits: {AS_TEXT}"])
