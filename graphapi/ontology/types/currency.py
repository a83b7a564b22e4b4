"""Currencies: the ISO 4217 alphabetic code (``USD``), or a crypto-asset's ticker.

An ISO 4217 code is known to ``pycountry`` (``usd`` -> ``USD``); the usual other spellings of the
region's currencies (symbols, ``US$``, names in English and the local script) are in
:data:`ALIASES`, compared without case, width or blanks (NFKC, casefolded). The tickers of the
crypto assets the scam-compound money moves in (``USDT``, ``USDC``, ``BTC``/``XBT``, ``ETH``,
``TRX``...) are kept upper case: they are no ISO 4217 codes but a transfer's real currency;
bitcoin is ``BTC`` however written (``XBT``, the ISO-style code OFAC lists it under, is read as
``BTC``: one asset has one code, so ``moneyTrail(currencies: ["BTC"])`` finds every bitcoin
transfer). A bare ``$`` is refused as ambiguous (US, Hong Kong, Singapore, Taiwan dollar...), and
so are ISO 4217's ``XXX`` ("no currency") and ``XTS`` (reserved for testing): no transfer is in
them (:data:`NO_CURRENCY`). Round a-56, F10.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

import pycountry

from graphapi.ontology.types.base import ValueType, code_text, text_of

#: Spelling (folded) -> ISO 4217 code.
ALIASES = {
    "us$": "USD", "usd$": "USD", "u.s.$": "USD", "usdollar": "USD", "usdollars": "USD", "dollar": "USD",
    "dollars": "USD", "ดอลลาร์": "USD", "美元": "USD",
    "฿": "THB", "baht": "THB", "บาท": "THB", "thb฿": "THB",
    "៛": "KHR", "riel": "KHR", "រៀល": "KHR",
    "kyat": "MMK", "ကျပ်": "MMK",
    "₭": "LAK", "kip": "LAK", "ກີບ": "LAK",
    "₫": "VND", "dong": "VND", "đồng": "VND", "vnđ": "VND",
    "₱": "PHP", "peso": "PHP", "pesos": "PHP", "php₱": "PHP",
    "rm": "MYR", "ringgit": "MYR",
    "s$": "SGD", "sg$": "SGD", "hk$": "HKD", "nt$": "TWD",
    "€": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "¥": "CNY", "rmb": "CNY", "yuan": "CNY", "人民币": "CNY", "元": "CNY",
    "₩": "KRW", "won": "KRW", "rp": "IDR", "rupiah": "IDR", "₹": "INR",
}
#: Crypto-asset tickers a transfer may be in (no ISO 4217 code), with the other codes of one of
#: them read as its ticker.
CRYPTO = frozenset({"USDT", "USDC", "BTC", "ETH", "TRX", "BNB", "BUSD", "DAI", "XMR", "LTC", "SOL"})
CRYPTO_ALIASES = {"XBT": "BTC"}
#: ISO 4217 codes that name no currency a transfer is in: "no currency" and "testing".
NO_CURRENCY = frozenset({"XXX", "XTS"})


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=4096)
def _code(text: str) -> str | None:
    folded = _fold(text)
    if folded in ALIASES:
        return ALIASES[folded]
    upper = folded.upper()
    if upper in CRYPTO:
        return upper
    if upper in CRYPTO_ALIASES:
        return CRYPTO_ALIASES[upper]
    if upper in NO_CURRENCY:
        return None
    if len(upper) == 3 and upper.isascii() and pycountry.currencies.get(alpha_3=upper):
        return upper
    return None


class CurrencyType(ValueType):
    """An ISO 4217 code or a crypto ticker, upper case; see the module docstring."""

    name = "currency"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        return _code(text) if text else None

    def refusal(self, value: Any, **hints: Any) -> str:
        text = code_text(value)
        if text and _fold(text).upper() in NO_CURRENCY:
            return f"currency {text_of(value)!r} is ISO 4217's code for no currency or for testing, no currency"
        return f"unknown currency {text_of(value)!r} (not ISO 4217 nor a known spelling or crypto ticker)"
