"""An operation whose string literals or variables hold a NUL or a lone UTF-16 surrogate (which no
UTF-8 text can hold) is refused before execution, with one GraphQL error (:class:`RejectNul`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLError,
    StringValueNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from graphapi.schema.document_cache import DocumentCache

#: NUL, and UTF-16 surrogates: JSON can carry "\ud800" alone, but no UTF-8 text can hold it.
_UNSENDABLE = re.compile("[\x00\ud800-\udfff]")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return _UNSENDABLE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def string_literals(document: Any) -> tuple[str, ...]:
    """Every string literal of ``document``, in document order."""
    literals: list[str] = []
    visit(document, _StringCollector(literals))
    return tuple(literals)


class RejectNul(SchemaExtension):
    """Refuse an operation with a NUL character in a string literal or variable, before execution.

    ``cache``: the document cache, whose entry keeps a document's literals, so a repeated
    document is not walked again (a walk was a fifth of a point lookup's CPU; issue 14)."""

    def __init__(self, cache: DocumentCache | None = None) -> None:
        self.cache = cache

    def _literals(self, document: Any) -> tuple[str, ...]:
        ctx = self.execution_context
        entry = self.cache.peek(ctx.schema._schema, ctx.query) if self.cache and ctx.query else None
        if entry is None or entry.document is not document:  # not kept (too long), or parsed anew
            return string_literals(document)
        if entry.literals is None:
            entry.literals = string_literals(document)
        return entry.literals

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and not ctx.result:
            if _has_nul(ctx.variables or {}) or _has_nul(self._literals(document)):
                ctx.result = ExecutionResult(
                    data=None, errors=[GraphQLError(
                        "string arguments must not contain NUL (\\u0000) or lone surrogate (\\ud800-\\udfff) "
                        "characters")]
                )
        yield


class _StringCollector(Visitor):
    def __init__(self, out: list[str]) -> None:
        super().__init__()
        self.out = out

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        self.out.append(node.value)
