"""Simple scalar types: string, text, enum, integer, float, boolean.

Canonical shapes: ``string`` one stripped line (whitespace runs collapsed); ``text`` stripped,
line endings normalised to ``\\n``; ``enum`` one of the property's ``values`` (case-insensitive
match, returned in the ontology's spelling); ``integer`` ``int``; ``float`` finite ``float``;
``boolean`` ``bool``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from graphapi.ontology.types.base import ValueType, text_of

_SPACES = re.compile(r"\s+")
_INTEGER = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)")
_FLOAT = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?([eE][+-]?\d+)?")
_DIGIT = re.compile(r"\d")  # compiled once: re.search(pattern) looks its pattern up on every call
_TRUE = frozenset({"true", "t", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off"})


class StringType(ValueType):
    """A short single-line label: whitespace runs (including newlines) collapse to one space."""

    name = "string"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = text_of(value)
        return _SPACES.sub(" ", text) if text else None


class TextType(ValueType):
    """Free text (notes, remarks): stripped, ``\\r\\n`` and ``\\r`` become ``\\n``."""

    name = "text"

    def clean(self, value: Any, **hints: Any) -> str | None:
        text = text_of(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else None


class EnumType(ValueType):
    """One of a closed list of values, given as the ``values`` hint (the property's ``values``).

    Matching is case-insensitive and ignores surrounding whitespace; the ontology's spelling is
    returned. Without a ``values`` hint the value is only cleaned like a ``string``.
    """

    name = "enum"

    def clean(self, value: Any, values: Iterable[str] = (), **hints: Any) -> str | None:
        text = StringType().clean(value)
        allowed = tuple(values)
        if text is None or not allowed:
            return text
        folded = text.casefold()
        return next((v for v in allowed if v.casefold() == folded), None)


class IntegerType(ValueType):
    """A whole number: ``int``, an integral ``float``, or digits with optional ``,`` thousands."""

    name = "integer"

    def clean(self, value: Any, **hints: Any) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value) if math.isfinite(value) and value.is_integer() else None
        text = text_of(value)
        if text is None or not _INTEGER.fullmatch(text):
            return None
        return int(text.replace(",", ""))


class FloatType(ValueType):
    """A finite decimal number (``.`` as decimal mark, optional ``,`` thousands, exponent)."""

    name = "float"

    def clean(self, value: Any, **hints: Any) -> float | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = text_of(value)
            if text is None or not _FLOAT.fullmatch(text) or not _DIGIT.search(text):
                return None
            number = float(text.replace(",", ""))
        return number if math.isfinite(number) else None


class BooleanType(ValueType):
    """True / false from ``bool``, 0 / 1, or true/false, yes/no, y/n, t/f, on/off (any case)."""

    name = "boolean"

    def clean(self, value: Any, **hints: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        text = text_of(value)
        if text is None:
            return None
        text = text.lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return None
