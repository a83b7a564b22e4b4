"""``account:`` in a per-column rule: an account number column written as the bank of another
column writes its numbers (``docs/mappings.md``), after every column's other rules.

    columns:
      from_bank: {resolve: bank}
      from_account: {account: {bank: from_bank}}                  # or invalid: reject

A bank whose gazetteer entry declares an account format (:mod:`graphapi.ingest.identity.account_formats`)
has its numbers rewritten to that format, so ``A/C 123-4-56789-0`` and ``1234567890`` are one
account key; a number that cannot be one of the bank's is left as written (the ``accountNumber``
type cleans it, as for a bank without a format) and is a load warning with its line, once per
bank and number (``invalid: warn``, the default), or rejects its row (``invalid: reject``).
"""

from __future__ import annotations

from typing import Any

from graphapi.ingest.identity.accounts import account_number, bank_format
from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.readers.nulls import is_null_token

#: what an ``account:`` rule does with a number that cannot be its bank's
INVALID = ("warn", "reject")


def check_account_rule(spec: Any, where: str, read: set[str]) -> None:
    """Raise MappingError naming ``where`` for an ``account:`` rule that is not ``{bank: COLUMN}``
    (with an optional ``invalid``) or whose bank column the mapping does not read."""
    if not isinstance(spec, dict) or set(spec) - {"bank", "invalid"} or not isinstance(spec.get("bank"), str):
        raise MappingError(f"{where}: account takes {{bank: COLUMN, invalid: warn | reject}}, not {spec!r}")
    if spec.get("invalid", "warn") not in INVALID:
        raise MappingError(f"{where}: account: invalid is warn or reject, not {spec['invalid']!r}")
    if spec["bank"] not in read:
        raise MappingError(f"{where}: account: no entity, relationship or hint reads the bank column {spec['bank']!r}")


#: remembered (bank, text) answers per reader; past it they start over (repeats only cost time)
_REMEMBER = 65_536


class AccountRules:
    """The ``account:`` rules of a mapping's ``columns:``, applied to rows (see the module docstring)."""

    def __init__(self, rules: dict[str, Any]) -> None:
        #: (number column, bank column, whether a number not the bank's rejects its row)
        self.rules = [(column, rule["account"]["bank"], rule["account"].get("invalid") == "reject")
                      for column, rule in rules.items() if isinstance(rule, dict) and "account" in rule]
        #: (bank, text) -> (the number to write in its place or None, why it cannot be the bank's or "")
        self._answers: dict[tuple[str, str], tuple[str | None, str]] = {}
        self._warned: set[tuple[str, str]] = set()  # (bank, text) told of

    def __bool__(self) -> bool:
        return bool(self.rules)

    def apply(self, row: dict[str, Any]) -> tuple[str, list[str]]:
        """Rewrite ``row``'s account numbers in place; ``("", warnings)``, or ``(why, [])`` when a
        number rejects the row."""
        warnings: list[str] = []
        for column, bank_column, reject in self.rules:
            key = ((row.get(bank_column) or "").strip(), (row.get(column) or "").strip())
            found = self._answers.get(key)
            if found is None:
                if len(self._answers) >= _REMEMBER:
                    self._answers.clear()
                found = self._answers[key] = _answer(*key)
            number, why = found
            if number is not None:
                row[column] = number
            elif why:
                if reject:
                    return f"column {column!r}: {why}", []
                if key not in self._warned:
                    if len(self._warned) >= _REMEMBER:  # told once per number, in memory bounded
                        self._warned.clear()
                    self._warned.add(key)
                    warnings.append(f"column {column!r}: {why}; loaded as {account_number(*key)[0]}")
        return "", warnings


def _answer(bank: str, text: str) -> tuple[str | None, str]:
    """``(the number the bank's format writes for text, "")``, ``(None, why it cannot be the
    bank's)``, or ``(None, "")`` to leave the text as it is: no number, no bank, or no format
    (the ``accountNumber`` type cleans it, as without the rule)."""
    if not text or not bank or is_null_token(text) or bank_format(bank) is None:
        return None, ""
    number, why = account_number(bank, text)
    if number is None:  # no number at all: the value specs say so, as without the rule
        return None, ""
    return (None, why) if why else (number, "")
