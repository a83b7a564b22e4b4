"""Numbers of identity documents and bank accounts: one spelling per number, so that the same
passport or account written by two feeds is one key.

- ``documentNumber`` (passport, national id): NFKC, separators removed (blanks, hyphens, dashes,
  dots, slashes, underscores, colons), digits of any script as ASCII, upper case
  (``"g 757-6565"`` -> ``"G7576565"``, ``"١٢٣"`` -> ``"123"``). ICAO 9303 machine-readable zones
  hold only ``A-Z`` and ``0-9`` (``<`` is a filler), so nothing else is part of a number; a value
  without a digit (a name, ``N/A``, ``XXXX``) is no number.
- ``accountNumber`` (a domestic bank account): the same, and an account made only of digits and
  separators is its digits (``"123-4-56789-0"`` -> ``"1234567890"``); banks' formats in the region
  (TH 10 digits, KH, MM, LA, VN) print their numbers with dashes or blanks between digit groups.

Placeholders ("0", "N/A") are not refused here: that is the identifier guard's policy
(``seed/exclusions``), not a property of the value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212./\\_:,'’#<()]+")
_OTHER = re.compile(r"[^0-9A-Z]")
_DIGIT = re.compile(r"[0-9]")


def digits_of(text: str) -> str:
    """The decimal digits of ``text``, of any script, as ASCII, and nothing else
    (``"๑๒๓-4"`` -> ``"1234"``)."""
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


def compact_number(value: Any) -> str | None:
    """``value`` as letters and ASCII digits, upper case, without separators; ``None`` if that
    leaves no digit, or if anything but separators, Latin letters and digits was in it (a name,
    a note: not a number)."""
    text = code_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():  # digits of any script (Thai ๑๒๓, Myanmar ၁၂၃) as ASCII
        text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    text = _SEPARATORS.sub("", text).upper()
    if not text or _OTHER.search(text) or not _DIGIT.search(text):
        return None
    return text


class DocumentNumberType(ValueType):
    """A passport or national identity number: see the module docstring."""

    name = "documentNumber"

    def clean(self, value: Any, **hints: Any) -> str | None:
        return compact_number(value)


class AccountNumberType(ValueType):
    """A domestic bank account number: see the module docstring."""

    name = "accountNumber"

    def clean(self, value: Any, **hints: Any) -> str | None:
        return compact_number(value)
