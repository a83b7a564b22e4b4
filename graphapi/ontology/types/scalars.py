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

from graphapi.ontology.types.base import ValueType, code_text, text_of

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

    Matching is case-insensitive and ignores surrounding whitespace and invisible characters
    (:func:`~graphapi.ontology.types.base.code_text`); the ontology's spelling is
    returned. Without a ``values`` hint the value is only cleaned like a ``string``.
    """

    name = "enum"

    def clean(self, value: Any, values: Iterable[str] = (), **hints: Any) -> str | None:
        text = code_text(value)  # a word of a list: an invisible character in it is no part of it
        allowed = tuple(values)
        if text is None or not allowed:
            return text
        folded = text.casefold()
        return next((v for v in allowed if v.casefold() == folded), None)


#: Both stores keep integers as signed 64-bit: a larger one is stored as null (FalkorDB) or
#: fails the whole write (Neo4j), so it is no value here and its row is rejected with the reason.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: Beyond 2**53 a float no longer keeps its whole units (``99999999999999999999`` would be stored
#: as ``1e20``): no amount, tonnage, share or coordinate is that large, so such a number is refused.
FLOAT_MAX = 2.0**53


def out_of_range(value: Any) -> str:
    """Why ``value``, a well-formed number, is no value (too large to store as written); "" if it
    is not such a number."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        text = str(value) if len(str(value)) <= 30 else f"{str(value)[:20]}... ({len(str(value))} digits)"
        return "" if INT64_MIN <= value <= INT64_MAX else f"number {text} out of range (integers are stored in 64 bits)"
    text = code_text(value) if not isinstance(value, float) else repr(value)
    if text is None or len(text) > 400 or not _FLOAT.fullmatch(text) or not _DIGIT.search(text):
        return ""
    try:
        number = float(text.replace(",", ""))
    except (OverflowError, ValueError):
        return ""
    if math.isfinite(number) and abs(number) <= FLOAT_MAX:
        return ""
    return f"number {text!r} out of range (past {int(FLOAT_MAX):,} a number is not stored as written)"


class IntegerType(ValueType):
    """A whole number: ``int``, an integral ``float``, or digits with optional ``,`` thousands;
    within 64 bits (:data:`INT64_MAX`)."""

    name = "integer"

    def clean(self, value: Any, **hints: Any) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                return None
            number = int(value)
        else:
            text = code_text(value)
            # 30 characters hold any 64-bit integer with thousands commas; longer is no value
            if text is None or len(text) > 30 or not _INTEGER.fullmatch(text):
                return None
            number = int(text.replace(",", ""))
        return number if INT64_MIN <= number <= INT64_MAX else None

    def refusal(self, value: Any, **hints: Any) -> str:
        text = code_text(value) if not isinstance(value, bool) else None
        if text is not None and _INTEGER.fullmatch(text) and len(text) < 5000:
            number = int(text.replace(",", ""))
            if not INT64_MIN <= number <= INT64_MAX:
                return f"integer {text!r} out of range (integers are stored in 64 bits)"
        return super().refusal(value)


class FloatType(ValueType):
    """A finite decimal number (``.`` as decimal mark, optional ``,`` thousands, exponent), at most
    :data:`FLOAT_MAX` in size."""

    name = "float"

    def clean(self, value: Any, **hints: Any) -> float | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:  # an int past a float's range
                return None
        else:
            text = code_text(value)
            if text is None or not _FLOAT.fullmatch(text) or not _DIGIT.search(text):
                return None
            number = float(text.replace(",", ""))
        return number if math.isfinite(number) and abs(number) <= FLOAT_MAX else None

    def refusal(self, value: Any, **hints: Any) -> str:
        return out_of_range(value) or super().refusal(value)


class BooleanType(ValueType):
    """True / false from ``bool``, 0 / 1, or true/false, yes/no, y/n, t/f, on/off (any case)."""

    name = "boolean"

    def clean(self, value: Any, **hints: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        text = code_text(value)
        if text is None:
            return None
        text = text.lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return None
