"""Passport, national id and bank account numbers: one spelling per number."""

from __future__ import annotations

import pytest

from graphapi.ontology.types import get_type

DOCUMENT = get_type("documentNumber")
ACCOUNT = get_type("accountNumber")


@pytest.mark.parametrize("written", ["G7576565", "g 757 6565", "G-757-6565", "G.757.6565", " g7576565 "])
def test_a_passport_number_in_any_spelling_is_one_number(written: str) -> None:
    assert DOCUMENT.clean(written) == "G7576565"


def test_a_myanmar_registration_number_loses_its_slash_and_brackets() -> None:
    assert DOCUMENT.clean("3/Baahna(N)259667") == "3BAAHNAN259667"


def test_digits_of_any_script_are_ascii_digits() -> None:
    assert DOCUMENT.clean("AA๑๒๓๔๕") == "AA12345" and ACCOUNT.clean("၁၂၃-၄၅") == "12345"


@pytest.mark.parametrize("text", ["", "  ", "--", "Somchai Jaidee", "N/A", "XXXXXX", "พม่า123"])
def test_text_that_is_not_a_number_is_no_number(text: str) -> None:
    assert DOCUMENT.clean(text) is None


def test_an_account_number_written_with_dashes_is_its_digits() -> None:
    assert ACCOUNT.clean("123-4-56789-0") == ACCOUNT.clean("1234567890") == "1234567890"
