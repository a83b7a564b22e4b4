"""Every number literal of a GraphQL document is finite, checked for a whole operation before any
resolver runs (by :class:`graphapi.schema.limits.CostLimiter`, beside the list bounds).

graphql-core reads a ``Float`` literal with Python's ``float()``, so ``1e400`` becomes ``inf``
(and ``-1e400`` ``-inf``), which no argument means: ``moneyTrail(minAmount: 1e400)`` reached the
embedded store's client, which writes parameters into the query text, and failed there as an
``INTERNAL`` error. Variables cannot carry one (graphql-core's ``Float`` refuses non-finite
values, and JSON has no ``NaN`` / ``Infinity``), nor can a literal spell ``NaN``; so the literals
are the one way in, wherever they stand: field arguments, list items (``within(bbox:)``), input
objects, ``JSON`` values, variable defaults. The refusal is ``BAD_USER_INPUT`` naming the field
and argument (or the variable) and the literal.
"""

from __future__ import annotations

import math
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FloatValueNode,
    VariableDefinitionNode,
    Visitor,
    visit,
)

from graphapi.errors import InvalidArgument


def _place(ancestors: list[Any]) -> str:
    """Where a literal stands, from its ancestors: ``field(argument:)`` or ``variable $name``."""
    argument = next((a for a in reversed(ancestors) if isinstance(a, ArgumentNode)), None)
    field = next((a for a in reversed(ancestors) if isinstance(a, FieldNode)), None)
    variable = next((a for a in reversed(ancestors) if isinstance(a, VariableDefinitionNode)), None)
    if variable is not None:
        return f"the default of variable ${variable.variable.name.value}"
    if argument is not None and field is not None:
        return f"{field.name.value}({argument.name.value}:)"
    return "a number literal"


class _NonFinite(Visitor):
    def enter_float_value(self, node: FloatValueNode, _key: Any, parent: Any, _path: Any,
                          ancestors: list[Any]) -> None:
        if not math.isfinite(float(node.value)):
            raise InvalidArgument(f"{_place([*ancestors, parent])} must be a finite number, got {node.value}")


def check_finite_numbers(document: DocumentNode) -> None:
    """InvalidArgument for the first number literal of ``document`` past the double range."""
    visit(document, _NonFinite())
