"""What an operation's cost is read from: the argument values execution will use, worked out once
per document and the variables they read (issue 14: the walk was a tenth of a point lookup's CPU).

:class:`CoercedVariables` are the operation's variables as graphql-core's execution coerces them
(``get_variable_values``: the document's defaults applied, ``1000.0`` read as the Int ``1000``, a
nullable variable left out absent, so the argument's own default applies), each coerced when first
read, noting the names read. :class:`ArgumentValues` gives a field's argument values as execution
builds them (graphql-core's ``get_argument_values``, one argument at a time, only those a cost
asks for: a lookup's ``id`` is never read). :class:`CostMemo` keeps the last cost of a document with
the coerced values of the variables it read: the same document with the same values there has the
same cost, whatever its other variables (``id``, ``text``). Costing the raw JSON instead let a
default, a float or an omitted variable run at the cost of size 1 (attack round 39b).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from graphql import FieldNode, GraphQLError, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

from graphapi.investigate.paging import AUDIT_DEFAULT_PAGE, DEFAULT_PAGE
from graphapi.investigate.syndicates import DEFAULT_SCOPE

#: Connections whose default page is the audit trail's, not DEFAULT_PAGE (attack round 25, F4).
AUDIT_FIELDS = frozenset({"auditEntries"})

_MISSING = object()


class VariablesInvalid(Exception):
    """A variable's value does not coerce to its type: execution refuses the whole operation with
    graphql-core's own errors, so nothing of it runs and it has no cost to limit."""


class CoercedVariables(Mapping[str, Any]):
    """``sent`` (the request's variables) coerced for ``operation``'s variable definitions as
    execution coerces them, each when first read; ``names``: those whose value was read,
    ``counted``: those read for their number of items (a list's bound, its items' cost). Raises
    :class:`VariablesInvalid` for a variable that does not coerce."""

    def __init__(self, schema: GraphQLSchema, operation: OperationDefinitionNode, sent: Mapping[str, Any]) -> None:
        self._schema = schema
        self._definitions = {d.variable.name.value: d for d in operation.variable_definitions or ()}
        self.sent = dict(sent)
        self._coerced: dict[str, Any] = {}
        self.names: set[str] = set()
        self.counted: set[str] = set()  # read only for how many items they hold
        # what graphql-core's argument coercion reads (its ``coerced`` is this mapping, read lazily)
        self.for_execution = VariableValues({}, self)

    def coerced(self, name: str) -> Any:
        """The coerced value of ``name``, or _MISSING (not declared, or left out without a default
        and nullable); not noted as read."""
        if name not in self._coerced:
            definition = self._definitions.get(name)
            value: Any = _MISSING
            if definition is not None:
                result = get_variable_values(self._schema, [definition], self.sent)
                if isinstance(result, list):
                    raise VariablesInvalid(name)
                value = result.coerced.get(name, _MISSING)
            self._coerced[name] = value
        return self._coerced[name]

    def read(self) -> tuple[tuple[str, bool], ...]:
        """What the reads so far depend on: ``(name, True)`` for a value read, ``(name, False)``
        for a list read only for its number of items."""
        return tuple(sorted([(n, True) for n in self.names] + [(n, False) for n in self.counted - self.names]))

    def value(self, name: str, whole: bool) -> Any:
        """The coerced value of ``name`` (``whole``), or the number of items it holds."""
        return self.coerced(name) if whole else self._items(name)

    def holds(self, name: str, whole: bool, kept: Any) -> bool:
        """``name`` has :meth:`value` ``kept``. A list sent of another length differs before
        anything is coerced (a list over its bound is refused, never kept: this coerces at most
        that many items)."""
        if not whole:
            return self._items(name) == kept
        sent = self.sent.get(name, _MISSING)
        if isinstance(sent, list | tuple) and not (isinstance(kept, list) and len(kept) == len(sent)):
            return False
        return same(self.coerced(name), kept)

    def items_in(self, name: str) -> int:
        """How many items the list in ``name`` holds (a single value 1, none 0): counted from the
        list as sent when it is one, before any item is coerced (its coerced list is as long)."""
        self.counted.add(name)
        return self._items(name)

    def _items(self, name: str) -> int:
        sent = self.sent.get(name, _MISSING)
        if isinstance(sent, list | tuple):
            return len(sent)
        value = self.coerced(name)
        return len(value) if isinstance(value, list) else int(value is not None and value is not _MISSING)

    def __getitem__(self, name: str) -> Any:
        self.names.add(name)
        value = self.coerced(name)
        if value is _MISSING:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        self.names.update(self._definitions)  # every value read
        return (name for name in self._definitions if self.coerced(name) is not _MISSING)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class ArgumentValues(Mapping[str, Any]):
    """A field's argument values as execution gets them (an invalid one left out: execution fails
    that field, and nothing under it runs); a Relay connection given neither ``first`` nor ``last``
    has its default page as ``first``, and ``scopeLimit`` given neither it nor ``limit`` has the
    default scope. Each is read when first asked."""

    def __init__(self, field_def: Any, node: FieldNode, variables: CoercedVariables) -> None:
        self._args = field_def.args
        self._field = node.name.value
        self._node = node
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
        try:  # graphql-core's own coercion, of this one argument only
            values = get_argument_values(SimpleNamespace(args={name: arg}), self._node, self._variables.for_execution)
        except GraphQLError:
            return _MISSING
        return next(iter(values.values()), _MISSING)

    def _unset(self, name: str) -> bool:
        value = self._given(name)
        return value is None or value is _MISSING

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


def same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` are the same value, types included (``1``, ``1.0`` and ``true`` differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


class CostMemo:
    """The last cost worked out for one document: the operation, the variables it read and their
    coerced values, and the result."""

    def __init__(self) -> None:
        self._kept: tuple[str | None, tuple[tuple[str, bool], ...], tuple[Any, ...], Any] | None = None

    def cost(self, operation: str | None, variables: CoercedVariables,
             measure: Callable[[CoercedVariables], Any]) -> Any:
        """``measure(variables)``, or what it gave for the same operation and the same coerced
        values (or numbers of items) of the variables it read; raises as ``measure`` does (a
        refusal is not kept)."""
        kept = self._kept
        if kept is not None and kept[0] == operation and all(
                variables.holds(n, whole, v) for (n, whole), v in zip(kept[1], kept[2], strict=True)):
            return kept[3]
        result = measure(variables)
        read = variables.read()
        self._kept = (operation, read, tuple(variables.value(n, whole) for n, whole in read), result)
        return result
