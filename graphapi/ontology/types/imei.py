"""International Mobile Equipment Identities: 15 digits ending in a Luhn check digit.

Source: 3GPP TS 23.003 §6.2 (IMEI = TAC 8 digits + SNR 6 digits + check digit; IMEISV = TAC +
SNR + 2-digit software version number) and Annex B (the check digit is the Luhn mod-10 digit of
the first 14). Accepted input: 15 digits with a valid check digit, 14 digits (the check digit is
appended), or a 16-digit IMEISV (the SVN is replaced by the check digit); spaces, dashes, dots and
slashes are ignored. Canonical shape: 15 digits, e.g. "490154203237518". A whole number a float
export wrote ("49015420323751.0") is its integer part; one with a fraction is no IMEI.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text, distinct
from graphapi.ontology.types.decimals import decimal_written

_SEPARATORS = re.compile(r"[\s\-./]+")


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit for a string of digits ("49015420323751" -> "8")."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char) * (2 if index % 2 == 0 else 1)
        total += number - 9 if number > 9 else number
    return str(-total % 10)


def tac(imei: str) -> str:
    """Return the Type Allocation Code (first 8 digits: make and model) of an IMEI."""
    return imei[:8]


class ImeiType(ValueType):
    """A device IMEI; canonical 15 digits with a valid check digit."""

    name = "imei"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        if text is None:
            return None
        written = decimal_written(text)
        if written is not None:  # a float export's 35399466149392.0: its '0' is no check digit
            if written.fault:
                return None
            text = written.whole
        digits = _SEPARATORS.sub("", text)
        if not digits.isascii() or not digits.isdigit():
            return None
        if len(digits) == 15:
            return digits if luhn_check_digit(digits[:14]) == digits[14] else None
        if len(digits) in (14, 16):
            return digits[:14] + luhn_check_digit(digits[:14])
        return None

    def variants(self, canonical: Any) -> list[str]:
        """Return the 14-digit form without check digit, as some forensic tools log it."""
        imei = self.clean(canonical)
        return distinct(canonical, [imei[:14]]) if imei else []
