"""Telephone numbers in E.164 form ("+66812345678"), via Google's libphonenumber port.

Source: ITU-T E.164 (numbering plan: "+", country code, national significant number, at most 15
digits) and the per-region metadata of ``phonenumbers``. Input may carry the ``+`` or ``00``
international prefix, or be written nationally ("081 234 5678") with a region hint
(``country="TH"``: ISO 3166-1 alpha-2 or any name :mod:`.country` understands, or several).
A number that is not possible and valid for its region's numbering plan is rejected. A whole
number a float export wrote ("85512345678.0") is its integer part (libphonenumber read the ``0``
after the point as a digit: ``+855123456780``); one with a fraction is no number, nor one with
a sign (``-0812345678``, ``(0812345678)``, ``0812345678-``: :mod:`.signs`; a ``+`` before the
digits is the international prefix and parentheses inside, ``(02) 123 4567``, an area code).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

from graphapi.ontology.types.base import ValueType, code_text, distinct
from graphapi.ontology.types.country import CountryType
from graphapi.ontology.types.decimals import decimal_written
from graphapi.ontology.types.signs import signed

#: ``phonenumbers`` line types -> the lower-case names stored on Phone nodes.
LINE_TYPES = {
    getattr(PhoneNumberType, name): name.lower()
    for name in (
        "FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST",
        "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL", "UNKNOWN",
    )
}


def _regions(country: str | Iterable[str] | None) -> list[str | None]:
    """Turn a region hint (code, name or several) into alpha-2 codes; ``[None]`` if none."""
    hints = [country] if isinstance(country, str) else list(country or [])
    codes = [CountryType().clean(hint) for hint in hints]
    return [code for code in codes if code] or [None]


def parse(value: Any, country: str | Iterable[str] | None = None) -> PhoneNumber | None:
    """Parse ``value`` into a valid ``PhoneNumber``, trying each region hint; else ``None``."""
    text = code_text(value)
    if text is None:
        return None
    written = decimal_written(text)
    if written is not None:  # a float export's 85512345678.0 is no +855123456780 (attack round 38b)
        if written.fault:
            return None
        text = written.whole
    elif signed(text, phone=True):  # libphonenumber skips a minus or parentheses: -0812345678 was +66812345678
        return None
    if text.startswith("00"):  # the ITU-recommended international prefix (ITU-T E.164 annex)
        text = "+" + text[2:]
    for region in _regions(country):
        try:
            number = phonenumbers.parse(text, region)
        except NumberParseException:
            continue
        if phonenumbers.is_possible_number(number) and phonenumbers.is_valid_number(number):
            return number
    return None


#: The longest value :func:`numbers_in` scans (ten numbers written with their separators fit).
MAX_NUMBERS_TEXT = 400
#: The most region hints :func:`numbers_in` tries, in the order given.
MAX_NUMBERS_REGIONS = 3


def numbers_in(text: Any, country: str | Iterable[str] | None = None) -> list[str]:
    """The valid numbers written in ``text`` that holds several ("+7 (3412) 43-05-05; +7 (951)
    210-81-28"), in E.164, in the order written, each once: libphonenumber's
    ``PhoneNumberMatcher`` (leniency VALID), with the first region hint under which it finds any
    (national numbers read as that region's; without a hint, only numbers written with ``+``).
    Bounded: a value over :data:`MAX_NUMBERS_TEXT` characters finds none (it stays text), and at
    most :data:`MAX_NUMBERS_REGIONS` distinct hints are tried: the matcher took ~1.8 s per hint on
    99 KB of digit groups, and an entity may list every country (attack round 39a, 2)."""
    if not isinstance(text, str) or len(text) > MAX_NUMBERS_TEXT:
        return []
    for region in list(dict.fromkeys(_regions(country)))[:MAX_NUMBERS_REGIONS]:
        found = [phonenumbers.format_number(m.number, PhoneNumberFormat.E164)
                 for m in phonenumbers.PhoneNumberMatcher(text, region or "ZZ")]
        if found:
            return list(dict.fromkeys(found))
    return []


def line_type(e164: str) -> str:
    """Return the line type of a number: "mobile", "fixed_line", "fixed_line_or_mobile",
    "toll_free", "voip", ... or "unknown" (also for an unparsable number)."""
    number = parse(e164)
    if number is None:
        return "unknown"
    return LINE_TYPES.get(phonenumbers.number_type(number), "unknown")


def region(e164: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 region of a number ("+66812345678" -> "TH"), else ``None``.

    Shared country codes are resolved by the number's range ("+1 416..." -> "CA").
    """
    number = parse(e164)
    return phonenumbers.region_code_for_number(number) if number else None


#: E.164 -> the number :meth:`PhoneType.clean` parsed it from: the writer derives a new phone
#: node's search variants right after the reader cleaned it, and parsing again was half their cost
_PARSED: dict[str, PhoneNumber] = {}
_PARSED_MAX = 100_000


class PhoneType(ValueType):
    """A telephone number; canonical E.164, e.g. "+66812345678"."""

    name = "phone"

    def clean(
        self, value: Any, country: str | Iterable[str] | None = None, **hints: Any
    ) -> str | None:
        """Return E.164 for ``value`` ("081 234 5678", country="TH" -> "+66812345678")."""
        number = parse(value, country)
        if number is None:
            return None
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if number.extension is None:  # else parsing the E.164 gives a number without it
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[e164] = number
        return e164

    def variants(self, canonical: Any) -> list[str]:
        """Spellings people type: national digits ("0812345678"), international digits without
        "+" ("66812345678"), national format ("081 234 5678"), international format
        ("+66 81 234 5678")."""
        number = _PARSED.get(canonical) if isinstance(canonical, str) else None
        if number is None:
            number = parse(canonical)
        if number is None:
            return []
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        national_digits = "".join(ch for ch in national if ch.isdigit())
        international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        return distinct(canonical, [national_digits, e164[1:], national, international])
