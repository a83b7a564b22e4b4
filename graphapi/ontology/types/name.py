"""Names of people, organisations and places, in any script.

Canonical shape: NFC text, control characters (C0 and C1: ESC, DEL ...) made spaces, invisible
characters removed (zero-width and bidi controls, tags, variation selectors: a name shown reversed
or unfindable by its visible spelling, attack round 23, C3;
:mod:`graphapi.ontology.types.invisible`), whitespace runs collapsed to one space,
at most ``MAX_NAME_CHARS`` characters, case and script kept as given ("THU, Saw Chit", "王宝",
"Нгуен"). Transliteration is a search concern, not a storage one: :meth:`NameType.variants`
gives the ASCII-folded, lower-cased form (``normality.ascii_text``) so that "Ngô Bảo Châu" is
found by typing "ngo bao chau".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from normality import ascii_text

from graphapi.ontology.types.base import ValueType, distinct, text_of
from graphapi.ontology.types.invisible import drop_invisible

_SPACES = re.compile(r"\s+")
#: Longer is no name (the longest in the OFAC list is under 200 characters): refused, so that a
#: planted megabyte "name" never reaches the derived search fields, their transliteration and the
#: full-text index (attack round 5: one made every search for its word seconds long).
MAX_NAME_CHARS = 1_000


def squash_spaces(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends."""
    return _SPACES.sub(" ", text).strip()


class NameType(ValueType):
    """A name: whitespace cleaned, script and case kept."""

    name = "name"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = text_of(value)
        if text is None:
            return None
        if not text.isprintable():  # every Cc, Zl and Zp character is unprintable: most names skip the walk
            text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
        text = squash_spaces(drop_invisible(text))
        return text if text and len(text) <= MAX_NAME_CHARS else None

    def variants(self, canonical: Any) -> list[str]:
        """Return ``[ascii-folded lower-case form]`` (e.g. "wang bao" for "王宝"), if different."""
        text = text_of(canonical)
        if text is None:
            return []
        folded = ascii_text(text)
        return distinct(canonical, [squash_spaces(folded.lower()) if folded else None])
