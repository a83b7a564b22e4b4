"""Numbers written with a decimal part or an exponent, as a float export writes a number column
(pandas or a spreadsheet saving a column with a blank cell: ``1073835163.0``), in any of its spellings.

A value reads as such a number when, its digits of any script read as ASCII (``١٠٧٣٨٣٥١٦٣.٠``),
the Arabic decimal and thousands marks as ``.`` and ``,`` and every dash or minus character (Unicode
Pd, U+2212) as ``-``, it is an integer part, a decimal mark (``.`` or ``,``) and digits:
``1073835163.0``, ``1073835163.000``, Excel's Number format ``1,073,835,163.00``, a comma-decimal
locale's ``1.073.835.163,00`` or ``1 073 835 163,00`` (a blank, U+00A0 or U+202F), a Swiss
``1'073'835'163.00``, Python's ``1_073_835_163.0`` (``f"{x:_.1f}"``); or a mantissa and an
exponent (``1.073835163E9``, ``8.5512345678e+10``, ``1e+16``), with anything but a letter or a
digit before or after it (``(1073835163.0)``, ``1073835163.0-``, ``$1,073,835,163.00``, an
underscore: ``1073835163.0_``); blanks beside the decimal mark are part of it
(``1073835163 .0``). Its integer part is the number when the decimal part is zeros (of any
length) and nothing is written around it; else it is no whole number, with a fault naming why,
first found first: a sign (pandas writes -1 for "unknown": ``-1.0`` is no account ``1``; Excel's
accounting ``(1.0)``, SAP's trailing ``1.0-``, an en dash), another mark around it (a currency
sign, an underscore), digit groups other than in threes by one separator that is not the decimal
mark (``10,73,83,516.00``), a blank beside the decimal mark of zeros (no export writes
``1073835163 .0``: 1073835163 or 10738351630 is a guess), a fraction, an integer past 2**53 (no
float keeps its digits: ``12345678901234568.0`` may have been ``...567``), zeros the exponent adds
(``1.07384E+09`` is Excel's General format rounding 1073835163 to six digits). Read as digits,
each made another number (attack rounds 40b, 4, 42b, 1 and 43a, 3).

Identifiers read as before (None here): plain digits of any length (no float wrote them), a value
without a ``.`` or ``,`` or exponent (``123-456-7890``, ``1234 5678 9012``, a Thai
``123-4-56789-0``), one with a letter (``12E45``: an exponent without a point has a sign), one
grouped in threes and nothing else (``1,234``, ``123.456.789``: thousands, no decimal part), one
with the decimal mark twice (``123.456.7890``), and a single point or comma followed by three
digits or more, not all zeros (``1234.567890``, a phone ``089.1234567``), or a single point so
after digit groups of blanks (a phone ``+855 12 345.678``, ``0912 345.678``): a float export of a
whole number never writes a non-zero decimal part, a dotted identifier does, and refusing it would
refuse every row of a feed that writes its numbers so.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

from graphapi.ontology.types.base import code_text

#: a number as a float export writes it and what is written around it (no letter, no digit; an
#: underscore is a mark, though ``\w``): digit runs with one separator between two, or a mantissa and
#: an exponent. A separator is a grouping character (Python's ``_`` too: ``f"{x:_.1f}"``) or a decimal
#: mark with blanks beside it (``1073835163 .0``: no export writes it, read as digits it was
#: ``...:10738351630``)
_SEPARATOR = re.compile(r"[ \t]*[,.][ \t]*|[ _']")
_WRITTEN = re.compile(r"([\W_]*?)(?:([0-9]+(?:(?:[ \t]*[,.][ \t]*|[ _'])[0-9]+)+)"
                      r"|([0-9]+(?:[.,][0-9]+)?)[eE]([-+]?[0-9]{1,3}))([\W_]*)")
#: after NFKC (which makes U+00A0 and U+202F blanks, U+FE63 and U+FF0D '-'): Arabic decimal and
#: thousands marks, minus signs that are no dash (Pd, read by :func:`ascii_number`), a typographic
#: apostrophe (Swiss grouping)
_MARKS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u2212": "-", "\u2796": "-", "\u02d7": "-", "\u2019": "'"})
#: what a sign is written with: a minus, a plus, parentheses (Excel's accounting format)
_SIGNS = frozenset("-+()")
#: the integers a float keeps exactly: every one up to 2**53, not 2**53 + 1
_FLOAT_EXACT = 2**53

SIGN = "a sign"
MARK = "a mark that is no digit"
GROUPING = "digit groups that are not thousands"
SPACED = "a blank beside its decimal mark"
FRACTION = "a fraction"
PRECISION = "more digits than a float keeps"
ROUNDED = "zeros its exponent adds"
#: what a fault's refusal tells the user to do; any other fault's
_ADVICE = {PRECISION: "a float cannot keep more than 15-16 digits: export the column as text",
           ROUNDED: "scientific notation may round a number to its first digits: export the column as text"}
_FLOATS = "a number column exported as floats?"


class Decimal(NamedTuple):
    """A number written with a decimal part or an exponent: its integer part (ASCII digits) and why
    it is no whole number (:data:`SIGN`, :data:`MARK`, :data:`GROUPING`, :data:`FRACTION`,
    :data:`PRECISION`, :data:`ROUNDED`, :data:`SPACED`), ``""`` when it is one."""

    whole: str
    fault: str


def advice(fault: str) -> str:
    """What a refusal for ``fault`` tells the user (its parenthesis)."""
    return _ADVICE.get(fault, _FLOATS)


def ascii_number(text: str) -> str:
    """``text`` with its digits of any script as ASCII, every dash as ``-`` (a sign written with an
    en dash is a sign) and its marks as :data:`_MARKS` says."""
    text = unicodedata.normalize("NFKC", text).translate(_MARKS)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else "-" if unicodedata.category(c) == "Pd" else c
                   for c in text)


def _thousands(runs: list[str]) -> bool:
    return 0 < len(runs[0]) <= 3 and all(len(run) == 3 for run in runs[1:])


def _decimal(number: str, written_around: bool) -> Decimal | None:
    """``number`` (digit runs and separators) as a number with a decimal part, else None."""
    runs, written = _SEPARATOR.split(number), _SEPARATOR.findall(number)
    separators = [s.strip(" \t") or s for s in written]  # " . " is a point, " " a blank
    mark, kinds = separators[-1], set(separators)
    if mark not in ".,":
        return None
    if not written_around and len(kinds) == 1 and _thousands(runs):
        return None  # "1,234", "123.456.789": grouped in thousands, no decimal part
    grouping, fraction = separators[:-1], runs[-1]
    if mark in grouping:
        return None  # "123.456.7890": a decimal mark is written once; a dotted identifier
    zeros = not fraction.strip("0")
    if not zeros and len(fraction) >= 3 and (not grouping or mark == "." and set(grouping) == {" "}):
        return None  # "1234.567890", a phone "0912 345.678": digit groups (module docstring)
    whole = "".join(runs[:-1])
    if grouping and (len(set(grouping)) > 1 or not _thousands(runs[:-1])):
        return Decimal(whole, GROUPING)
    if zeros and written[-1] != mark:
        return Decimal(whole, SPACED)  # "1073835163 .0": 1073835163 or 10738351630, no export says
    return Decimal(whole, "" if zeros else FRACTION)


def _scientific(mantissa: str, exponent: str) -> Decimal | None:
    """``mantissa`` times ten to ``exponent`` as an integer, else None (``12E45``: no point and
    no sign, an identifier's letter)."""
    integer, _, fraction = mantissa.replace(",", ".").partition(".")
    if not fraction and exponent[0] not in "+-":
        return None
    digits, point = integer + fraction, len(integer) + int(exponent)  # point: where the point goes
    if point < len(digits) and digits[max(point, 0):].strip("0"):
        return Decimal(digits[:max(point, 0)] or "0", FRACTION)
    whole = digits[:max(point, 0)].ljust(point, "0").lstrip("0") or "0"
    return Decimal(whole, ROUNDED if point > len(digits) else "")


def decimal_written(value: Any) -> Decimal | None:
    """``value`` as a number written with a decimal part or an exponent (module docstring), else
    None (``"1,073,835,163.00"`` -> ``Decimal("1073835163", "")``, ``"(1.0)"`` ->
    ``Decimal("1", SIGN)``, ``"123-456-7890"`` -> None)."""
    text = code_text(value)
    if not text:
        return None
    if not text.isascii():
        text = ascii_number(text)
    elif "." not in text and "," not in text and "e" not in text and "E" not in text:
        return None  # most values: no decimal mark, no exponent, nothing to read
    found = _WRITTEN.fullmatch(text)
    if found is None:
        return None
    before, number, mantissa, exponent, after = found.groups()
    around = "".join((before + after).split())
    written = _decimal(number, bool(around)) if number else _scientific(mantissa, exponent)
    if written is None:
        return None  # an identifier: every value that is not one has a Decimal, none the digits-only rule
    if around:
        return Decimal(written.whole, SIGN if _SIGNS.issuperset(around) else MARK)
    if written.fault not in ("", ROUNDED):
        return written
    digits = written.whole.lstrip("0")
    if len(digits) > len(str(_FLOAT_EXACT)) or int(digits or "0") > _FLOAT_EXACT:  # no int() of 5,000 digits
        return Decimal(written.whole, PRECISION)
    return written
