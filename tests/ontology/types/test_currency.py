"""The currency type (round a-56, F10): bitcoin is one code however a feed writes it, and ISO
4217's "no currency" and "testing" codes are no currency of a transfer."""

from __future__ import annotations

import pytest

from graphapi.ontology.types import get_type

CURRENCY = get_type("currency")


@pytest.mark.parametrize("code", ["XBT", "xbt", "BTC", " btc "])
def test_bitcoin_is_btc_however_written(code: str) -> None:
    assert CURRENCY.clean(code) == "BTC"


@pytest.mark.parametrize("code", ["XXX", "xts"])
def test_iso_no_currency_and_testing_codes_are_refused(code: str) -> None:
    assert CURRENCY.clean(code) is None


def test_a_refused_no_currency_code_says_why() -> None:
    assert "no currency" in CURRENCY.refusal("XXX")


@pytest.mark.parametrize(("code", "expected"), [("usd", "USD"), ("XAU", "XAU"), ("USDT", "USDT")])
def test_other_codes_clean_as_before(code: str, expected: str) -> None:
    assert CURRENCY.clean(code) == expected
