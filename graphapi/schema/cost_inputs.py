"""What an operation's cost is read from, so that it is worked out once per document and the
variables it reads (issue 14: the walk was a tenth of a point lookup's CPU, every request).

:class:`ArgumentValues` gives a field's argument values as the cost asks for them, each read from
the document (and the variables) only when asked: a lookup's ``id`` is never read, since no cost
depends on it. :class:`ConsultedVariables` notes which variables were read. :class:`CostMemo`
keeps the last cost of a document with the values of the variables it read: the same document
with the same values there has the same cost, whatever its other variables (``id``, ``text``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import FieldNode, value_from_ast

from graphapi.investigate.paging import AUDIT_DEFAULT_PAGE, DEFAULT_PAGE
from graphapi.investigate.syndicates import DEFAULT_SCOPE

#: Connections whose default page is the audit trail's, not DEFAULT_PAGE (attack round 25, F4).
AUDIT_FIELDS = frozenset({"auditEntries"})

_MISSING = object()


class ArgumentValues(Mapping[str, Any]):
    """A field's argument values: defaults, then literals and variables (invalid ones left out);
    a Relay connection given neither ``first`` nor ``last`` has its default page as ``first``, and
    ``scopeLimit`` given neither it nor ``limit`` has the default scope. Each is read when first asked."""

    def __init__(self, field_def: Any, node: FieldNode, variables: Mapping[str, Any]) -> None:
        self._args = field_def.args
        self._field = node.name.value
        self._nodes = {a.name.value: a for a in node.arguments or ()}
        self._variables = variables
        self._read: dict[str, Any] = {}

    def _given(self, name: str) -> Any:
        if name not in self._read:
            self._read[name] = self._value(name)
        return self._read[name]

    def _value(self, name: str) -> Any:
        arg = self._args.get(name)
        if arg is None:
            return _MISSING
        value = arg.default_value if arg.default_value is not None and not callable(arg.default_value) else _MISSING
        node = self._nodes.get(name)
        if node is not None:
            try:
                value = value_from_ast(node.value, arg.type, self._variables)
            except Exception:  # an invalid value fails validation/coercion anyway: count it as 1  # noqa: BLE001
                pass
        return value

    def _unset(self, name: str) -> bool:
        value = self._given(name)
        return value is None or value is _MISSING  # by identity: graphql-core's Undefined is neither

    def __getitem__(self, name: str) -> Any:
        value = self._given(name)
        if name == "first" and "first" in self._args and "last" in self._args and self._unset("first") \
                and self._unset("last"):
            return AUDIT_DEFAULT_PAGE if self._field in AUDIT_FIELDS else DEFAULT_PAGE
        if name == "scopeLimit" and "scopeLimit" in self._args and self._unset("scopeLimit") \
                and self._unset("limit"):
            return DEFAULT_SCOPE
        if value is _MISSING:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._args if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class ConsultedVariables(Mapping[str, Any]):
    """``variables``, noting the names read (``names``), or that all of them were (``everything``:
    iterated)."""

    def __init__(self, variables: Mapping[str, Any]) -> None:
        self._variables = variables
        self.names: set[str] = set()
        self.everything = False

    def __getitem__(self, name: str) -> Any:
        self.names.add(name)
        return self._variables[name]

    def __iter__(self) -> Iterator[str]:
        self.everything = True
        return iter(self._variables)

    def __len__(self) -> int:
        return len(self._variables)


def same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` are the same JSON value, types included (``1``, ``1.0`` and ``true`` differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class CostMemo:
    """The last cost worked out for one document: the operation, the variables it read and their
    values, and the result."""

    def __init__(self) -> None:
        self._kept: tuple[str | None, tuple[str, ...] | None, tuple[Any, ...], Any] | None = None

    @staticmethod
    def _values(variables: Mapping[str, Any], names: tuple[str, ...] | None) -> tuple[Any, ...]:
        if names is None:  # every variable was read
            return (dict(variables),)
        return tuple(variables.get(n, _MISSING) for n in names)

    def cost(self, operation: str | None, variables: Mapping[str, Any],
             measure: Callable[[Mapping[str, Any]], Any]) -> Any:
        """``measure(variables)``, or what it gave for the same operation and the same values of
        the variables it read; raises as ``measure`` does (a refusal is not kept)."""
        kept = self._kept
        if kept is not None and kept[0] == operation and same(self._values(variables, kept[1]), kept[2]):
            return kept[3]
        consulted = ConsultedVariables(variables)
        result = measure(consulted)
        names = None if consulted.everything else tuple(sorted(consulted.names))
        self._kept = (operation, names, self._values(variables, names), result)
        return result
