"""Conditions (``when``) on a row: which entities and relationships a row makes.

A condition tests one column's text (stripped; compared as value maps compare, NFKC and
casefolded without blanks): ``{column: C}`` (not empty), ``{column: C, equals: V}``,
``{column: C, in: [V, ...]}``, ``{column: C, not_in: [V, ...]}``, ``{column: C, empty: true}``
(or ``false``), ``{column: C, matches: REGEX}`` (RE2, searched in the text as it stands); or combines
others: ``{and: [...]}``, ``{or: [...]}``, ``{not: {...}}``. Empty means blank or a null token
(``N/A``, ``-``: no value anywhere in a mapping) that is no value of the column's type, when the
mapping reads the column as values of one type alone
(:func:`~graphapi.ingest.mapping.column_types.column_types`): ``NA`` in a country column is
Namibia, so ``{column: country, empty: true}`` does not hold for it (round a-56, F5).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from graphapi.ingest.mapping.errors import MappingError
from graphapi.ingest.mapping.patterns import Pattern
from graphapi.ingest.mapping.steps import match_key
from graphapi.ingest.mapping.values import _is_null, _null_of

Test = Callable[[dict[str, Any]], bool]
#: a row's text as conditions compare it; remembered, as a feed repeats its few codes every row
_key = lru_cache(maxsize=1 << 16)(match_key)
_TESTS = ("equals", "in", "not_in", "empty", "matches")


def _values(cond: dict[str, Any], key: str, where: str) -> frozenset[str]:
    values = cond[key]
    if not isinstance(values, list) or not values:
        raise MappingError(f"{where}: {key} needs a list of values, not {values!r}")
    return frozenset(match_key(str(v)) for v in values)


def compile_condition(cond: Any, where: str, is_null: Callable[[str], bool],
                      types: dict[str, Any] | None = None) -> Test:
    """``cond`` as a test of a row (see the module docstring); ``types``: the value type of a
    column (:func:`~graphapi.ingest.mapping.column_types.column_types`), whose null tokens are
    then tested by that type, else by ``is_null``. Raises MappingError naming ``where`` for a key
    the language does not have, a test without its column, a bad regex."""
    if not isinstance(cond, dict) or not cond:
        raise MappingError(f"{where}: a condition is a mapping, not {cond!r}")
    if len(cond) == 1 and next(iter(cond)) in ("and", "or"):
        op, subs = next(iter(cond.items()))
        if not isinstance(subs, list) or not subs:
            raise MappingError(f"{where}: {op} needs a list of conditions")
        tests = [compile_condition(s, f"{where}.{op}[{i}]", is_null, types) for i, s in enumerate(subs)]
        if op == "and":
            return lambda row: all(t(row) for t in tests)
        return lambda row: any(t(row) for t in tests)
    if len(cond) == 1 and "not" in cond:
        test = compile_condition(cond["not"], f"{where}.not", is_null, types)
        return lambda row: not test(row)
    if "column" not in cond or not isinstance(cond["column"], str):
        raise MappingError(f"{where}: a condition names a column (or is and / or / not): {cond!r}")
    extra = set(cond) - {"column", *_TESTS}
    given = [k for k in _TESTS if k in cond]
    if extra or len(given) > 1:
        raise MappingError(f"{where}: unknown condition {sorted(extra) or given}; a condition on a column "
                           f"takes one of {', '.join(_TESTS)}")
    column = cond["column"]
    null = _null_of(types[column][0], dict(types[column][1])) if types and column in types else is_null

    def text(row: dict[str, Any]) -> str:
        return (row.get(column) or "").strip()

    def is_empty(row: dict[str, Any]) -> bool:
        t = text(row)
        return not t or null(t)

    if "in" in cond or "not_in" in cond or "equals" in cond:
        key = "in" if "in" in cond else "not_in" if "not_in" in cond else "equals"
        allowed = _values(cond, key, where) if key != "equals" else frozenset({match_key(str(cond["equals"]))})
        # text(row) inline: a relationship's condition is tested on every row
        if key == "not_in":  # an empty column is in no list: not_in holds for it
            return lambda row: _key((row.get(column) or "").strip()) not in allowed
        return lambda row: _key((row.get(column) or "").strip()) in allowed
    if "matches" in cond:
        pattern = Pattern(str(cond["matches"]), where, "matches")  # RE2: linear in the text
        return lambda row: pattern.found(text(row))
    if "empty" in cond:
        if not isinstance(cond["empty"], bool):
            raise MappingError(f"{where}: empty is true or false, not {cond['empty']!r}")
        if cond["empty"]:
            return is_empty
    return lambda row: not is_empty(row)


def _compile_when(cond: dict[str, Any] | None, where: str = "when",
                  types: dict[str, Any] | None = None) -> Test | None:
    """A ``when`` condition as a test of a row (None: always made); ``types`` as for
    :func:`compile_condition`."""
    if not cond:
        return None
    return compile_condition(cond, where, _is_null, types)
