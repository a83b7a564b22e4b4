"""A GraphQL query of the investigation tests, answered in process: its data, or its one error as
``[code, message]`` (a test asserts the refusal an analyst would read)."""

from __future__ import annotations

from typing import Any

from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema


async def answer(store: Any, principal: Any, query: str, **variables: Any) -> Any:
    """The data of ``query`` asked by ``principal``, or ``[code, message]`` of its one error."""
    context = Context(store, principal, "r")
    result = await graphql_schema.execute(query, variable_values=variables, context_value=context)
    if result.errors:
        (error,) = result.errors
        return [(error.extensions or {}).get("code"), error.message]
    return result.data
