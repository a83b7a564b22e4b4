"""Account numbers a float export wrote: pandas or a spreadsheet writes a numeric column with a
blank cell back as floats (``1073835163.0``). Read as digits, the ``0`` after the point made
another account (``...:10738351630``, attack round 38b, 1).

Every column a mapping reads as an account number (an ``account:`` rule's, a ``{X:accountNumber}``
template field's, a value spec of type ``accountNumber``, explicit or the property's) is looked at
as the file has it, before any other rule (``strip_separators`` would drop the point): a whole
number written as a decimal is read as its integer part, with a load warning naming the column
and the value (once per column and value); one with a fraction (``1073835163.5``) rejects its row
naming both. The ``accountNumber`` type reads them alike (:mod:`graphapi.ontology.types.document`).
"""

from __future__ import annotations

from typing import Any

from graphapi.ingest.mapping.model import _templates_in_doc
from graphapi.ingest.mapping.templates import _template_fields
from graphapi.ontology.model import Model
from graphapi.ontology.types.document import decimal_written

ACCOUNT_NUMBER = "accountNumber"
#: (column, value) pairs told of per reader; past it they start over (a repeat is told again)
_REMEMBER = 65_536


def account_columns(doc: dict[str, Any], model: Model) -> tuple[str, ...]:
    """The columns ``doc`` (a mapping document) reads as account numbers, in mapping order."""
    found: list[str] = []
    for column, rule in (doc.get("columns") or {}).items():
        if isinstance(rule, dict) and "account" in rule:
            found.append(column)
    for template in _templates_in_doc(doc):
        found += [column for _, column, type_name in _template_fields(template) if type_name == ACCOUNT_NUMBER]
    for spec in (doc.get("entities") or {}).values():
        properties = model.labels[spec["label"]].properties if spec.get("label") in model.labels else {}
        for name, pspec in (spec.get("properties") or {}).items():
            prop = properties.get(name)
            for sub in pspec if isinstance(pspec, list) else [pspec]:
                if not isinstance(sub, dict) or not isinstance(sub.get("column"), str):
                    continue
                if sub.get("type", prop.type if prop is not None else None) == ACCOUNT_NUMBER:
                    found.append(sub["column"])
    return tuple(dict.fromkeys(found))


class FloatExports:
    """A mapping's account number columns, read as a float export wrote them (module docstring)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._told: set[tuple[str, str]] = set()

    def __bool__(self) -> bool:
        return bool(self.columns)

    def apply(self, row: dict[str, Any]) -> tuple[str, list[str]]:
        """Rewrite ``row``'s whole numbers written as decimals in place; ``("", warnings)``, or
        ``(why, [])`` for a number with a fraction, which rejects the row."""
        warnings: list[str] = []
        for column in self.columns:
            text = row.get(column)
            written = decimal_written(text) if text else None
            if written is None:
                continue
            whole, zeros = written
            shown = text.strip()
            if not zeros:
                return (f"column {column!r}: account number {shown!r} has a fraction: no account number "
                        "(a number column exported as floats?)"), []
            row[column] = whole
            if (column, shown) not in self._told:
                if len(self._told) >= _REMEMBER:
                    self._told.clear()
                self._told.add((column, shown))
                warnings.append(f"column {column!r}: account number {shown!r} read as {whole} "
                                "(a whole number written as a decimal, as a float export writes it)")
        return "", warnings
