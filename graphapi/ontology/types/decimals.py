"""Numbers written with a decimal part, as a float export writes a number column (pandas or a
spreadsheet saving a column with a blank cell: ``1073835163.0``), in any of its spellings.

A value reads as such a number when, its digits of any script read as ASCII (``١٠٧٣٨٣٥١٦٣.٠``)
and the Arabic decimal and thousands marks as ``.`` and ``,``, it is an optional sign, an
integer part, a decimal mark (``.`` or ``,``) and digits: ``1073835163.0``, ``1073835163.000``,
``-1.0``, Excel's Number format ``1,073,835,163.00``, a comma-decimal locale's
``1.073.835.163,00`` or ``1 073 835 163,00`` (a blank, U+00A0 or U+202F), a Swiss
``1'073'835'163.00``. Its integer part is the number when the decimal part is zeros (of any
length); it is no whole number (a fault naming why) with a non-zero decimal part, a sign (pandas
writes -1 for "unknown": ``-1.0`` is no account ``1``), or an integer part grouped other than in
threes by one separator that is not the decimal mark (``10,73,83,516.00``).

Identifiers written in digit groups read as before (None here): a value without a ``.`` or ``,``
(``123-456-7890``, ``1234 5678 9012``, a Thai ``123-4-56789-0``), one grouped in threes and
nothing else (``1,234``, ``123.456.789``: thousands, no decimal part), one with the decimal mark
twice (``123.456.7890``), and a single point or comma followed by three digits or more, not all
zeros (``1234.567890``, a phone ``089.1234567``): a float export of a whole number never writes a
non-zero decimal part, a dotted identifier does, and refusing it would refuse every row of a
feed that writes its numbers so.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

from graphapi.ontology.types.base import code_text

#: an optional sign, digit runs with one separator between two: the only shape looked at further
_SHAPE = re.compile(r"([-+]?)([0-9]+(?:[ ,.'][0-9]+)+)")
_SEPARATOR = re.compile(r"[ ,.']")
#: after NFKC (which makes U+00A0 and U+202F blanks): Arabic decimal and thousands marks, a minus
#: sign, a typographic apostrophe (Swiss grouping)
_MARKS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u2212": "-", "\u2019": "'"})

FRACTION = "a fraction"
SIGN = "a sign"
GROUPING = "digit groups that are not thousands"


class Decimal(NamedTuple):
    """A number written with a decimal part: its integer part (ASCII digits) and why it is no
    whole number (:data:`FRACTION`, :data:`SIGN`, :data:`GROUPING`), ``""`` when it is one."""

    whole: str
    fault: str


def _ascii(text: str) -> str:
    """``text`` with its digits of any script as ASCII and its marks as :data:`_MARKS` says."""
    text = unicodedata.normalize("NFKC", text).translate(_MARKS)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _thousands(runs: list[str]) -> bool:
    return 0 < len(runs[0]) <= 3 and all(len(run) == 3 for run in runs[1:])


def decimal_written(value: Any) -> Decimal | None:
    """``value`` as a number written with a decimal part (module docstring), else None
    (``"1,073,835,163.00"`` -> ``Decimal("1073835163", "")``, ``"-1.0"`` -> ``Decimal("1", SIGN)``,
    ``"123-456-7890"`` -> None)."""
    text = code_text(value)
    if not text:
        return None
    if not text.isascii():
        text = _ascii(text)
    elif "." not in text and "," not in text:  # most values: no decimal mark, nothing to read
        return None
    found = _SHAPE.fullmatch(text)
    if found is None:
        return None
    sign, number = found.groups()
    runs, separators = _SEPARATOR.split(number), _SEPARATOR.findall(number)
    mark, kinds = separators[-1], set(separators)
    if mark not in ".,":
        return None
    if not sign and len(kinds) == 1 and _thousands(runs):
        return None  # "1,234", "123.456.789": grouped in thousands, no decimal part
    grouping, fraction = separators[:-1], runs[-1]
    if mark in grouping:
        return None  # "123.456.7890": a decimal mark is written once; a dotted identifier
    zeros = not fraction.strip("0")
    if not grouping and not zeros and len(fraction) >= 3:
        return None  # "1234.567890": a digit group (module docstring)
    whole = "".join(runs[:-1])
    if sign:
        return Decimal(whole, SIGN)
    if grouping and (len(set(grouping)) > 1 or not _thousands(runs[:-1])):
        return Decimal(whole, GROUPING)
    return Decimal(whole, "" if zeros else FRACTION)
