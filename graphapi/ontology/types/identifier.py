"""Registration numbers, national ids, passport and tax numbers, case numbers.

Canonical shape: stripped, whitespace runs collapsed to one space, upper-case
("l001-901700777" -> "L001-901700777"). Placeholders ("0", "N/A") are NOT rejected here: that is
the ingest pipeline's policy, not a property of the value.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text, distinct, text_of

_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-./_:]+")


def compact(identifier: str) -> str:
    """Return ``identifier`` without spaces and ``- . / _ :`` separators ("L001-9017" -> "L0019017")."""
    return _SEPARATORS.sub("", identifier)


class IdentifierType(ValueType):
    """An identifier: whitespace collapsed, upper-case."""

    name = "identifier"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = code_text(value)
        return _SPACES.sub(" ", text).upper() if text else None

    def variants(self, canonical: Any) -> list[str]:
        """Return the separator-free form, so "L001901700777" finds "L001-901700777"."""
        text = text_of(canonical)
        return distinct(canonical, [compact(text)]) if text else []
