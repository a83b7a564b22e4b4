"""International Bank Account Numbers, via ``schwifty``.

Source: ISO 13616-1 (structure: country code, two ISO 7064 mod 97-10 check digits, BBAN in the
country's registered format, at most 34 characters). Canonical shape: electronic format, no
spaces, upper-case ("DE89370400440532013000"). The IBAN registry of SWIFT (the ISO 13616
registration authority), as shipped by ``schwifty``, decides lengths and BBAN formats.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from graphapi.ontology.types.base import ValueType, code_text, distinct
from graphapi.ontology.types.signs import signed

#: what may end the sentence or list an IBAN is written in: no part of it
_TRAILING = " .,;:"


def parse(value: Any) -> IBAN | None:
    """Parse ``value`` (spaces, dashes, any case, full-width characters: NFKC; an "IBAN" prefix
    and a full stop or comma after it allowed) or return ``None``; a sign around it
    (``-DE89...``, ``(DE89...)``: :mod:`.signs`) is no IBAN's. ``GB82 WEST 1234 5698 7654 32.``
    and a CJK input method's ``ＧＢ８２ＷＥＳＴ...`` are the IBAN (attack round 56, F9: read as no
    IBAN, the transfers mapping keyed the account a second time by country, bank and number)."""
    text = code_text(value)
    if text is not None and not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.rstrip(_TRAILING) if text is not None else None
    if not text or signed(text):  # "-DE89...": the dash was dropped as a separator; no IBAN has a sign
        return None
    text = text.upper().replace("-", "").replace(" ", "")
    text = text.removeprefix("IBAN").removeprefix(":")
    try:
        return IBAN(text)
    except (SchwiftyException, ValueError):
        return None


def iban_country(iban: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 country of an IBAN ("DE89..." -> "DE"), else ``None``."""
    parsed = parse(iban)
    return parsed.country_code if parsed else None


class IbanType(ValueType):
    """An IBAN; canonical electronic format."""

    name = "iban"

    def clean(self, value: Any, **hints: Any) -> str | None:
        parsed = parse(value)
        return parsed.compact if parsed else None

    def variants(self, canonical: Any) -> list[str]:
        """Return the print format in groups of four ("DE89 3704 0044 0532 0130 00")."""
        parsed = parse(canonical)
        return distinct(canonical, [parsed.formatted]) if parsed else []
