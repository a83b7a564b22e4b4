"""Parse and validate each distinct GraphQL document once: :class:`CachedDocuments`.

A client repeats the same few documents with different variables, so the parsed document, the
pre-validation verdict (:func:`graphapi.schema.document_limits.document_problem`) and the
validation errors are kept per document text (and its string literals, once the NUL check asked
for them), in a bounded LRU shared by all requests of one
schema. An entry is keyed on the schema and the exact text, and its validation result is reused
only under the same validation rules: a different document is always parsed, checked and
validated. Everything that depends on variables (cost, NUL checks) still runs per request.

Used instead of strawberry's ``ParserCache`` / ``ValidationCache``: those raise a syntax error out of
the parse hook, past the extensions that give errors their public code and audit them, and
cache any text however long (bodies may be 2 MiB).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension

from graphapi.schema.cost_inputs import CostMemo
from graphapi.schema.document_limits import document_problem

#: Documents kept; texts longer than ``MAX_TEXT`` characters are not kept (memory stays bounded).
SIZE = 256
MAX_TEXT = 64 * 1024


@dataclass
class DocumentEntry:
    document: DocumentNode
    problem: GraphQLError | None
    rules: tuple[Any, ...] | None = None
    errors: list[GraphQLError] | None = field(default=None)
    #: the document's string literals (``graphapi.schema.limits.RejectNul``), once asked
    literals: tuple[str, ...] | None = None
    #: its number literals were found finite (``graphapi.schema.limits.CostLimiter``)
    numbers_finite: bool = False
    #: its last operation cost, with the variables it read (``graphapi.schema.cost_inputs``)
    costs: CostMemo = field(default_factory=CostMemo)


class DocumentCache:
    """An LRU of parsed, checked and validated documents, with the pre-validation limits."""

    def __init__(self, max_fragments: int, max_spreads: int, max_number_chars: int, size: int = SIZE) -> None:
        self.max_fragments = max_fragments
        self.max_spreads = max_spreads
        self.max_number_chars = max_number_chars
        self.size = size
        self._entries: OrderedDict[tuple[Any, str], DocumentEntry] = OrderedDict()
        #: how often a document was found / had to be prepared (tests, metrics)
        self.hits = 0
        self.misses = 0

    def get(self, schema: Any, text: str) -> DocumentEntry | None:
        entry = self._entries.get((schema, text))
        if entry is not None:
            self._entries.move_to_end((schema, text))
            self.hits += 1
        return entry

    def peek(self, schema: Any, text: str) -> DocumentEntry | None:
        """The entry of ``text``, if kept, without counting a hit or refreshing it."""
        return self._entries.get((schema, text))

    def add(self, schema: Any, text: str, document: DocumentNode) -> DocumentEntry:
        """Check ``document`` (parsed from ``text``) and keep it if ``text`` is short enough."""
        self.misses += 1
        problem = document_problem(document, self.max_fragments, self.max_spreads, self.max_number_chars)
        entry = DocumentEntry(document, problem)
        if len(text) <= MAX_TEXT:
            self._entries[(schema, text)] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry


class CachedDocuments(SchemaExtension):
    """Serve the parsed document and validation errors from a :class:`DocumentCache`, and refuse a
    document over the pre-validation limits before any validation rule runs.

    A document that does not parse is left to strawberry (its syntax error is not cached)."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self.entry: DocumentEntry | None = None

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        schema = ctx.schema._schema
        if ctx.query and ctx.graphql_document is None:
            self.entry = self.cache.get(schema, ctx.query)
            if self.entry is not None:
                ctx.graphql_document = self.entry.document
        yield
        if self.entry is None and ctx.query and ctx.graphql_document is not None:
            self.entry = self.cache.add(schema, ctx.query, ctx.graphql_document)
        if self.entry is not None and self.entry.problem is not None and ctx.pre_execution_errors is None:
            # strawberry skips validation when errors are already set, and answers with these
            ctx.pre_execution_errors = [self.entry.problem]

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        entry = self.entry
        reuse = (entry is not None and entry.errors is not None and ctx.pre_execution_errors is None
                 and entry.rules == ctx.validation_rules)
        if reuse:
            ctx.pre_execution_errors = list(entry.errors)  # type: ignore[union-attr, arg-type]
        yield
        if entry is not None and not reuse and entry.problem is None and ctx.pre_execution_errors is not None:
            entry.rules, entry.errors = ctx.validation_rules, list(ctx.pre_execution_errors)
