"""Numbers of identity documents and bank accounts: one spelling per number, so that the same
passport or account written by two feeds is one key.

- ``documentNumber`` (passport, national id): NFKC, separators removed (blanks, hyphens, dashes,
  dots, slashes, underscores, colons), digits of any script as ASCII, upper case
  (``"g 757-6565"`` -> ``"G7576565"``, ``"١٢٣"`` -> ``"123"``). ICAO 9303 machine-readable zones
  hold only ``A-Z`` and ``0-9`` (``<`` is a filler), so nothing else is part of a number; a value
  without a digit (a name, ``N/A``, ``XXXX``) is no number. A whole number a float export wrote
  (a national id ``1234567890123.0``) is its integer part, one with a fraction or a sign no number.
- ``accountNumber`` (a domestic bank account): the same, and an account made only of digits and
  separators is its digits (``"123-4-56789-0"`` -> ``"1234567890"``); banks' formats in the region
  (TH 10 digits, KH, MM, LA, VN) print their numbers with dashes or blanks between digit groups.
  A whole number written as a decimal (``"1073835163.0"``, ``"1,073,835,163.00"``: what pandas
  or a spreadsheet writes back for a numeric column) is its integer part, ``"1073835163"``: the
  digits-only rule kept the ``0`` after the point, another account (attack round 38b, 1). One
  with a fraction (``"1073835163.5"``), a sign (``"-1.0"``) or digit groups that are not
  thousands is no account number (:mod:`graphapi.ontology.types.decimals`, which says which
  spellings read so: ``"1234.567890"`` is still a digit group). Nor is a whole number with a
  sign (``"-1"``, pandas' "unknown"; ``"(1624938057)"``, ``"1624938057-"``: the sign was read as a
  separator, another account; :mod:`graphapi.ontology.types.signs`).

Placeholders ("0", "N/A") are not refused here: that is the identifier guard's policy
(``seed/exclusions``), not a property of the value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text, text_of
from graphapi.ontology.types.decimals import SIGN, decimal_written
from graphapi.ontology.types.signs import signed

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
        written = decimal_written(value)
        if written is not None:  # a national id a float export wrote: 1234567890123.0
            return None if written.fault else written.whole
        return compact_number(value)


class AccountNumberType(ValueType):
    """A domestic bank account number: see the module docstring."""

    name = "accountNumber"

    def clean(self, value: Any, **hints: Any) -> str | None:
        written = decimal_written(value)
        if written is not None:  # a float export's "1073835163.0" is 1073835163; "...163.5", "-1.0" no account
            return None if written.fault else written.whole
        if signed(value):  # pandas' -1 for "unknown" is no account 1, Excel's (1624938057) no 1624938057
            return None
        return compact_number(value)

    def refusal(self, value: Any, **hints: Any) -> str:
        written = decimal_written(value)
        fault = written.fault if written is not None else SIGN if signed(value) else ""
        if fault:
            return f"invalid {self.name} value {text_of(value)!r}: a number with {fault} is no account number"
        return super().refusal(value, **hints)
