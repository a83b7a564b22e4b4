"""A statement's parameters sent to Neo4j as one map, so that Cypher plans it once.

Neo4j caches a plan by the statement's text AND the types of its parameters: a ``null`` where a
list or a string came before (no type filter, no agency, no cursor) is another cache key, and the
statement is planned again. Our read statements take many optional parameters, and planning one
of them (the visibility and victim rules inlined) costs seconds of server CPU: the relationship
pages statement was planned ten times in one test module, 9-21 s each on a loaded 2-core machine.
Sent as one map, ``$lintasArgs``, every call of a statement has the same parameter types, so one
plan serves them all (in production too: the first call of each variant no longer waits for a
plan). A property of a parameter is still a parameter to the planner: index seeks on
``$lintasArgs.id`` are planned as on ``$id`` (tests/store/test_anchored_statement_plans.py).

A statement naming a parameter its caller did not give fails as Neo4j would fail it, instead of
reading ``null`` from the map.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from graphapi.store.errors import StoreError
from graphapi.store.statements import PARAMETER

#: The one parameter every statement is sent (a name no statement under cypher/ uses).
ARGS = "lintasArgs"


@lru_cache(maxsize=2048)
def _rewritten(text: str) -> tuple[str, frozenset[str]]:
    names = frozenset(PARAMETER.findall(text))
    return PARAMETER.sub(lambda m: f"${ARGS}.{m.group(1)}", text), names


def in_one_map(text: str, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """``text`` with each ``$name`` read from ``$lintasArgs``, and the parameters to send."""
    given = dict(params or {})
    if not given and "$" not in text:
        return text, given
    sent, names = _rewritten(text)
    if missing := sorted(names - given.keys()):
        raise StoreError(f"Neo.ClientError.Statement.ParameterMissing: Expected parameter(s): {', '.join(missing)}")
    return sent, {ARGS: given}
