"""A sign written on a whole number: an account or a phone number never has one.

A number column holds signs when it went through a spreadsheet or pandas: pandas writes ``-1``
for "unknown" in an integer column, Excel's accounting format writes a negative number in
parentheses (``(1624938057)``), SAP writes its minus after the digits (``1624938057-``). Read as
an identifier, the sign was a separator: ``-1`` was account ``...:1``, ``(1624938057)`` and
``-1624938057`` the account ``1624938057`` (attack round 42b, 1, left open by the float fix).

A value is signed when what is written before its first or after its last digit or letter is
blanks and signs only (every dash or minus character reads as ``-``, as in
:mod:`graphapi.ontology.types.decimals`), and they are a minus or a plus before or after the
number, or parentheses around all of it: ``-1``, ``- 1624938057``, ``–1624938057`` (an en dash),
``+1624938057``, ``1624938057-``, ``(1624938057)``, ``-(1624938057)``. Inside the number, a dash
or parentheses are digit groups (``162-493-8057``, ``(02) 123 4567``: parentheses around part of
a number are an area code) and no sign. A value without a digit (``-``, ``--``) is no signed
number: null tokens are the readers' policy. For a phone (``phone=True``) a ``+`` before the
digits is the international prefix (``+66 (0)81 234 5678``), not a sign; a minus before it
(``-+66...``) or after it (``+-66...``), one after the number and parentheses around all of it
(``(+66 81 234 5678)``) still are.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ontology.types.base import code_text
from graphapi.ontology.types.decimals import ascii_number

#: what may be written around a signed number: blanks and signs (after :func:`ascii_number`)
_AROUND = " \t-+()"
_DIGIT = re.compile(r"[0-9]")


def signed(value: Any, *, phone: bool = False) -> bool:
    """Whether ``value`` is a number written with a sign (module docstring):
    ``signed("-1")``, ``signed("(1624938057)")``, ``signed("+66812345678", phone=True)`` is False."""
    if isinstance(value, str) and value[:1].isalnum() and value[-1:].isalnum():
        return False  # most values: a digit or a letter at both ends, nothing around them
    text = code_text(value)
    if not text:
        return False
    if not text.isascii():
        text = ascii_number(text)
    body = text.strip(_AROUND)
    if not _DIGIT.search(body):
        return False
    start = len(text) - len(text.lstrip(_AROUND))
    lead, trail = text[:start], text[start + len(body):]
    if phone:
        lead = lead.replace("+", "")  # the international prefix
    if "-" in lead or "-" in trail or "+" in lead or "+" in trail:
        return True
    return "(" in lead and ")" in trail and "(" not in body and ")" not in body
