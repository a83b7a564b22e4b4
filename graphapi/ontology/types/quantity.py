"""Quantities a careful loader checks: a duration and an amount of money are never negative.

- ``duration``: whole seconds (``int``), from seconds with a fraction (``"61.5"`` -> ``62``, the
  nearest second, halves up: the property counts whole seconds, as a call record bills them),
  ``[h:]mm:ss[.f]`` (``"1:01:05"`` -> ``3665``) or ISO 8601 ``PT1M5S``. A negative duration is
  no duration (:meth:`DurationType.refusal` says so).
- ``amount``: a finite non-negative ``float`` (``"1,234.50"`` -> ``1234.5``, as ``float``). A
  negative amount is no amount: the direction of a transfer is its ends, never its sign.
"""

from __future__ import annotations

import math
import re
from typing import Any

from graphapi.ontology.types.base import ValueType, code_text, text_of
from graphapi.ontology.types.scalars import FLOAT_MAX, FloatType, out_of_range

_CLOCK = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)")
_ISO = re.compile(r"P(?:(?P<d>\d+(?:\.\d+)?)D)?T?(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
                  r"(?:(?P<s>\d+(?:\.\d+)?)S)?", re.IGNORECASE)
_FLOAT = FloatType()


def _negative(value: Any) -> bool:
    """True if ``value`` is written or given as a number below zero."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value < 0
    text = code_text(value)
    return bool(text) and text.startswith(("-", "\u2212")) and any(c.isdigit() for c in text)


def _seconds(value: Any) -> float | None:
    """Seconds of a duration as given (see the module docstring), negative ones included."""
    number = _FLOAT.clean(value)
    if number is not None:
        return number
    text = code_text(value)
    if text is None:
        return None
    sign = -1 if text.startswith(("-", "\u2212")) else 1
    body = text.lstrip("-\u2212+")
    m = _CLOCK.fullmatch(body)
    if m:
        # float, not int: a huge hour is inf (refused as out of range), never an OverflowError
        # or the 4,300-digit int limit's ValueError
        return sign * (float(m["h"] or 0) * 3600 + float(m["m"]) * 60 + float(m["s"]))
    m = _ISO.fullmatch(body)
    if m and body.upper() not in ("P", "PT") and any(m.groupdict().values()):
        parts = {k: float(v or 0) for k, v in m.groupdict().items()}
        return sign * (parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"])
    return None


class DurationType(ValueType):
    """A non-negative duration in whole seconds; see the module docstring."""

    name = "duration"

    def clean(self, value: Any, **hints: Any) -> int | None:
        if isinstance(value, bool):
            return None
        seconds = _seconds(value)
        if seconds is None or not math.isfinite(seconds) or seconds < 0 or seconds > FLOAT_MAX:
            return None
        return int(math.floor(seconds + 0.5))

    def refusal(self, value: Any, **hints: Any) -> str:
        if _negative(value) and _seconds(value) is not None:
            return f"negative duration {text_of(value)!r} (a duration is never below zero)"
        if (why := out_of_range(value)) or ((s := _seconds(value)) is not None and abs(s) > FLOAT_MAX
                                            and (why := f"duration {text_of(value)!r} out of range")):
            return why
        return super().refusal(value)


class AmountType(ValueType):
    """A non-negative amount of money; see the module docstring."""

    name = "amount"

    def clean(self, value: Any, **hints: Any) -> float | None:
        number = _FLOAT.clean(value)
        return None if number is None or number < 0 else number + 0.0  # -0.0 is 0.0

    def refusal(self, value: Any, **hints: Any) -> str:
        if _negative(value) and _FLOAT.clean(value) is not None:
            return f"negative amount {text_of(value)!r} (a transfer's direction is its ends, not its sign)"
        return out_of_range(value) or super().refusal(value)
