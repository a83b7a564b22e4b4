"""Numbers a float export wrote: pandas or a spreadsheet writes a numeric column with a blank
cell back as floats (``1073835163.0``). Read as digits, the ``0`` after the point made another
account (``...:10738351630``, attack round 38b, 1), another phone (``85512345678.0`` in a
Cambodian row: ``+855123456780``) or IMEI.

Every column a mapping reads as an account number, phone number, IMEI or document number (an
``account:`` rule's, a typed template field's, a value spec of that type, explicit or the
property's) is looked at as the file has it, before any other rule (``strip_separators`` would
drop the point): a whole number written as a decimal, in any spelling a float export writes
(``1,073,835,163.00``, ``1.073.835.163,00``, ``١٠٧٣٨٣٥١٦٣.٠``, ``1073835163.000``,
``1_073_835_163.0``, ``1.073835163E9``), is read as its integer part, with a load warning naming
the column and the value (once per column and value for the first few values of a column in a
file, each with its row; later rows counted, in one closing warning per column and file:
:mod:`graphapi.ingest.readers.counted_warnings`); one with a fraction (``1073835163.5``), a
sign in any spelling (pandas' ``-1.0``, Excel's ``(1.0)``, SAP's ``1.0-``, an en dash), another
mark (``1073835163.0_``), digit groups that are not thousands, a blank beside its decimal mark
(``1073835163 .0``) or an integer no float keeps (past 2**53) rejects its row naming both (attack
rounds 40b, 4, 42b, 1 and 43a, 3). The types read them alike (:func:`graphapi.ontology.types.decimals.decimal_written`,
which says what reads so).

The same exports write a sign on a whole number: pandas' ``-1`` for "unknown" in an integer
column, Excel's accounting ``(1624938057)``, SAP's ``1624938057-``. An account or phone number
never has one (read as digits, the sign was a separator: account ``...:1``, ``...:1624938057``),
so one with a sign rejects its row naming the column and the value; a phone's leading ``+`` is
its international prefix, parentheses inside a number (``(02) 123 4567``) an area code
(:func:`graphapi.ontology.types.signs.signed`, which says what is a sign), as is the ``+`` of a
mobile number in an account column whose ``account:`` rule's bank is an e-wallet keyed by phone
(``+66812345678`` at TrueMoney: :mod:`graphapi.ingest.identity.account_formats`). IMEIs and document
numbers are left to their types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphapi.ingest.identity.accounts import account_number
from graphapi.ingest.mapping.model import _templates_in_doc
from graphapi.ingest.mapping.templates import _template_fields
from graphapi.ingest.readers.counted_warnings import LISTED, CountedWarnings
from graphapi.ingest.readers.nulls import is_null_token
from graphapi.ingest.records import LoadWarning
from graphapi.ontology.model import Model
from graphapi.ontology.types.decimals import SIGN, advice, decimal_written
from graphapi.ontology.types.signs import signed

ACCOUNT_NUMBER = "accountNumber"
PHONE = "phone"
#: the value types whose values are whole numbers a float export may write, and their words
NUMBER_TYPES = {ACCOUNT_NUMBER: "account number", PHONE: "phone number", "imei": "IMEI",
                "documentNumber": "document number"}
#: the first and the last characters of a cell that may start or end a sign (a dash or minus of
#: another script is not ASCII: the per-row test sends it on too); a phone's '+' is its prefix
#: ('+-' still starts a sign)
_SIGN_FIRST = {ACCOUNT_NUMBER: frozenset(" \t-+("), PHONE: frozenset(" \t-(")}
_SIGN_LAST = frozenset(" \t-+)")
_NO_SIGN: frozenset[str] = frozenset()  # IMEIs and document numbers: their types decide
#: a number read as its integer part: (column, its type's word, the value as written, the integer)
Reading = tuple[str, str, str, str]
#: no reject, no readings (most rows): one tuple, not a list a row
_CLEAN: tuple[str, tuple[Reading, ...]] = ("", ())


def _marked(text: str) -> bool:
    """Whether ``text`` may be a number written with a decimal part or an exponent: a point, a
    comma or an ``e`` in it, or another script (its digits and marks); the cheap test before
    :func:`decimal_written`."""
    return "." in text or "," in text or "e" in text or "E" in text or not text.isascii()


def number_columns(doc: dict[str, Any], model: Model) -> dict[str, str]:
    """The columns ``doc`` (a mapping document) reads as one of :data:`NUMBER_TYPES`, in mapping
    order, each with its type (the first that reads it)."""
    found: dict[str, str] = {}
    for column, rule in (doc.get("columns") or {}).items():
        if isinstance(rule, dict) and "account" in rule:
            found.setdefault(column, ACCOUNT_NUMBER)
    for template in _templates_in_doc(doc):
        for _, column, type_name in _template_fields(template):
            if type_name in NUMBER_TYPES:
                found.setdefault(column, type_name)
    for spec in (doc.get("entities") or {}).values():
        properties = model.labels[spec["label"]].properties if spec.get("label") in model.labels else {}
        for name, pspec in (spec.get("properties") or {}).items():
            prop = properties.get(name)
            for sub in pspec if isinstance(pspec, list) else [pspec]:
                if not isinstance(sub, dict) or not isinstance(sub.get("column"), str):
                    continue
                type_name = sub.get("type", prop.type if prop is not None else None)
                if type_name in NUMBER_TYPES:
                    found.setdefault(sub["column"], type_name)
    return found


class FloatExports:
    """A mapping's number columns (column -> type), read as a float export wrote them (module docstring)."""

    def __init__(self, columns: dict[str, str], banks: dict[str, str] | None = None) -> None:
        #: an account number column -> the column of its bank (its ``account:`` rule's)
        self.banks = banks or {}
        #: (column, its type's word, whether a sign on it rejects, whether it is a phone's)
        self.columns = [(column, NUMBER_TYPES[type_name], type_name in _SIGN_FIRST, type_name == PHONE)
                        for column, type_name in columns.items()]
        #: (column, the first characters that may start a sign, the last that may end one)
        self._firsts = tuple((column, _SIGN_FIRST.get(type_name, _NO_SIGN),
                              _SIGN_LAST if type_name in _SIGN_FIRST else _NO_SIGN)
                             for column, type_name in columns.items())
        self._warned = CountedWarnings()  # the first few values of a column in a file, the rest counted

    def __bool__(self) -> bool:
        return bool(self.columns)

    def apply(self, row: dict[str, Any]) -> tuple[str, Sequence[Reading]]:
        """Rewrite ``row``'s whole numbers written as decimals in place; ``("", readings)``, or
        ``(why, [])`` for one that is no whole number (a fraction, a sign, past 2**53) or an
        account or phone number with a sign, which rejects the row. :meth:`warnings` says the
        readings of a row that loads."""
        for column, first, last in self._firsts:  # per row (issue 13's 20 µs): most rows have nothing to see
            text = row.get(column)
            if text and ("." in text or "," in text or "e" in text or "E" in text or not text.isascii()
                         or text[0] in first or text[-1] in last or "+-" in text):  # inline
                break
        else:
            return _CLEAN
        readings: list[Reading] = []
        for column, what, signs, phone in self.columns:
            text = row.get(column)
            written = decimal_written(text) if text and _marked(text) else None
            if written is None:
                if (signs and text and signed(text, phone=phone) and not is_null_token(text)
                        and not self._wallet_phone(column, row, text)):
                    return f"column {column!r}: {what} {text.strip()!r} has {SIGN}: no {what}", []
                continue
            shown = text.strip()
            if written.fault:
                why = f"{what} {shown!r} has {written.fault}: no {what} ({advice(written.fault)})"
                return f"column {column!r}: {why}", []
            row[column] = written.whole
            readings.append((column, what, shown, written.whole))
        return "", readings

    def _wallet_phone(self, column: str, row: dict[str, Any], text: str) -> bool:
        """Whether ``text`` in the account number ``column`` is a mobile number at the row's
        e-wallet keyed by phone (its ``+`` is the international prefix, no sign)."""
        bank = (row.get(self.banks[column]) or "").strip() if column in self.banks else ""
        return bool(bank) and account_number(bank, text)[0] is not None

    def warnings(self, readings: Sequence[Reading], file: str, line: int) -> list[str]:
        """The warnings listed for ``readings`` of a row that loads (``file`` ``line``): a value's
        first, among a column's first in the file; the others are counted (:meth:`closing`)."""
        return [f"column {column!r}: {what} {shown!r} read as {whole} "
                "(a whole number written as a decimal, as a float export writes it)"
                for column, what, shown, whole in readings
                if self._warned.listed(file, line, column, shown, (
                    f"column {column!r}: {{n:,}} more {what}s written as decimals read as their integer part "
                    f"from this line on (a float export), not listed one by one: the first {LISTED} are"))]

    def closing(self) -> list[LoadWarning]:
        """A warning per column and file of the readings counted and not listed (the file's end)."""
        return self._warned.closing()
