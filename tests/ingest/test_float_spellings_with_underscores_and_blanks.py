"""Underscores and blanks in a float's spelling: Python's ``f"{x:_.1f}"`` grouping
(``1_073_835_163.0``) is thousands grouping, the same account with the float warning; an underscore
around the digits is a mark (``1073835163.0_``) and a blank beside the decimal mark
(``1073835163 .0``) says neither 1073835163 nor 10738351630: both reject their row naming column and
value. Found: each loaded as ANOTHER account or phone, ``...:10738351630`` and ``+855123456780``
(attack round 43a, 3). A phone written with one point among blank groups (``+855 12 345.678``) is
that phone, no float (round 40's rule refused it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_float_exported_numbers import BDO_ACCOUNT, _beneficiary, _cdr

from graphapi.ingest.records import EdgeRecord, Rejection
from graphapi.ontology.types import get_type

ACCOUNT = "column 'Beneficiary Account': account number"
FLOATS = "(a number column exported as floats?)"


def _called(items: list) -> list[str]:
    return [i.start for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"]


def test_pythons_underscore_grouping_of_a_float_is_the_same_account_with_a_warning(tmp_path: Path) -> None:
    # found: ...:10738351630
    assert _beneficiary(tmp_path, "1_073_835_163.0") == ([BDO_ACCOUNT], [], [
        f"{ACCOUNT} '1_073_835_163.0' read as 1073835163 (a whole number written as a decimal, "
        "as a float export writes it)"])


def test_underscore_groups_that_are_not_thousands_reject_their_row(tmp_path: Path) -> None:
    assert _beneficiary(tmp_path, "1_0738_35163.0") == ([], [
        f"{ACCOUNT} '1_0738_35163.0' has digit groups that are not thousands: no account number {FLOATS}"], [])


@pytest.mark.parametrize("written", ["1073835163.0_", "_1073835163.0", "1073835163.0__"])
def test_an_underscore_around_a_float_account_rejects_its_row_as_a_mark(tmp_path: Path, written: str) -> None:
    # found: ...:10738351630 for the first
    assert _beneficiary(tmp_path, written) == ([], [
        f"{ACCOUNT} {written!r} has a mark that is no digit: no account number {FLOATS}"], [])


@pytest.mark.parametrize("written", ["1073835163 .0", "1073835163. 0", "1073835163 . 0", '"1 073 835 163 ,00"'])
def test_a_blank_beside_the_decimal_mark_rejects_its_row_naming_column_and_value(
        tmp_path: Path, written: str) -> None:
    # found: ...:10738351630 for the first two
    shown = written.strip('"')
    assert _beneficiary(tmp_path, written) == ([], [
        f"{ACCOUNT} {shown!r} has a blank beside its decimal mark: no account number {FLOATS}"], [])


def test_a_blank_beside_the_point_of_a_fraction_rejects_as_a_fraction(tmp_path: Path) -> None:
    assert _beneficiary(tmp_path, "1073835163. 5") == ([], [
        f"{ACCOUNT} '1073835163. 5' has a fraction: no account number {FLOATS}"], [])


def test_a_float_phone_with_an_underscore_after_it_rejects_its_row(tmp_path: Path) -> None:
    # found: +855123456780 in a Cambodian row
    _, items = _cdr(tmp_path, "85512345678.0_", country="KHM")
    assert _called(items) == []
    assert [r.reason for r in items if isinstance(r, Rejection)] == [
        "column 'A Number': phone number '85512345678.0_' has a mark that is no digit: no phone number "
        f"{FLOATS}"]


@pytest.mark.parametrize("written, country, phone", [
    ("+855 12 345.678", "KHM", "phone:+85512345678"),  # found: refused, "has a sign"
    ("012 345.678", "KHM", "phone:+85512345678"),
    ("0912 345.678", "THA", "phone:+66912345678"),  # found: refused, "digit groups that are not thousands"
    ("+66 81 234.5678", "THA", "phone:+66812345678"),
])
def test_a_phone_with_one_point_among_blank_groups_is_that_phone(
        tmp_path: Path, written: str, country: str, phone: str) -> None:
    reader, items = _cdr(tmp_path, written, country=country)
    assert (_called(items), [r.reason for r in items if isinstance(r, Rejection)]) == ([phone], [])
    assert reader.stats.warnings == []


def test_the_value_types_read_underscores_and_blanks_in_a_float_alike() -> None:
    account, phone = get_type("accountNumber"), get_type("phone")
    assert [account.clean(v) for v in ("1_073_835_163.0", "1073835163.0_", "1073835163 .0")] == [
        "1073835163", None, None]
    assert account.refusal("1073835163 .0") == (
        "invalid accountNumber value '1073835163 .0': a number with a blank beside its decimal mark is no "
        "account number")
    assert [phone.clean("85512345678.0_", country="KH"), phone.clean("+855 12 345.678", country="KH")] == [
        None, "+85512345678"]
