"""The base of every value type: ``clean`` to a canonical form, ``validate``, search ``variants``.

Modelled on FollowTheMoney's ``followthemoney/types/common.py``: one small vocabulary shared by
all types, one instance per type, addressed by name through :mod:`.registry`.
"""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from graphapi.ontology.types.invisible import strip_invisible

#: A canonical value: a string for most types, ``int`` / ``float`` / ``bool`` for scalars.
Canonical = str | int | float | bool


def text_of(value: Any) -> str | None:
    """Return ``value`` as NFC-normalised, stripped text; ``None`` for None, bytes or blanks.

    Numbers are stringified (``int`` -> ``"12"``); bytes are not decoded (readers decode).
    """
    if value is None or isinstance(value, bytes | bytearray):
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def code_text(value: Any) -> str | None:
    """:func:`text_of` without invisible characters (zero-width space, word joiner, soft hyphen,
    a BOM inside, every format character: :func:`~graphapi.ontology.types.invisible.strip_invisible`),
    for a value that is a code, a number or a word of a list (a passport number, a country, a
    date, an enum's word): ``'G7576565\u200b'`` is ``G7576565`` (attack round 32, item 6). Never
    for text kept as written (a name keeps a Thai word break: ``drop_invisible``)."""
    text = text_of(value)
    return (strip_invisible(text).strip() or None) if text is not None else None


class ValueType:
    """One value type of the ontology (the ``type:`` of a property in the YAML files).

    Subclasses set :attr:`name` and override :meth:`clean`; they may override :meth:`variants`.
    Hints are keyword arguments that some types use (``country="TH"`` for phones,
    ``dayfirst=False`` for dates, ``values=(...)`` for enums); types ignore hints they do not use,
    so a caller may pass the same hints to every type.
    """

    name: ClassVar[str] = "string"

    def clean(self, value: Any, **hints: Any) -> Canonical | None:
        """Return the canonical form of ``value``, or ``None`` if it is not a valid value."""
        return text_of(value)

    def refusal(self, value: Any, **hints: Any) -> str:
        """Why ``value`` does not clean, for a reject report (asked only after :meth:`clean`
        gave nothing, with the hints it cleaned with, as far as they are known): ``invalid <type>
        value '<text>'`` unless the type says more (a negative duration, an unknown currency)."""
        return f"invalid {self.name} value {text_of(value)!r}"

    def validate(self, value: Any, **hints: Any) -> bool:
        """Return True if ``value`` (raw or canonical) cleans to a valid value of this type."""
        return self.clean(value, **hints) is not None

    def variants(self, canonical: Any) -> list[str]:
        """Alternative spellings of a canonical value worth putting into a full-text index.

        Shape: distinct strings, never the canonical value itself; ``[]`` when there are none.
        """
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def distinct(canonical: Any, candidates: list[str | None]) -> list[str]:
    """Return the non-empty ``candidates`` in order, without repeats or ``canonical`` itself."""
    out: list[str] = []
    for candidate in candidates:
        if candidate and candidate != canonical and candidate not in out:
            out.append(candidate)
    return out
