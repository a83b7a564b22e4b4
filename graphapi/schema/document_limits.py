"""Limits on the shape of a GraphQL document, each measured in time linear in the document.

A fragment may be spread many times, and fragments spread each other, so expanding them in place
costs 2^n for ``fragment F0 { ...F1 ...F1 } ... fragment F30 { __typename }`` (1.2 KB; n = 20 took
5.4 s in strawberry's depth limiter, and a request timeout cannot interrupt that CPU-bound work).
Here every fragment is measured once and its result reused wherever it is spread.

- :func:`document_problem`: checked right after parsing, before any validation rule runs: at most
  ``max_fragments`` fragment definitions and ``max_spreads`` fragment spreads (``...Name``) per
  document, and no number literal longer than ``max_number_chars`` (a 5000-digit ``first:``
  made graphql-core's ``int()`` fail past Python's 4300-digit limit: an internal error).
- :func:`operation_depths` and :func:`alias_count`: the values strawberry's ``QueryDepthLimiter``
  and ``MaxAliasesLimiter`` compute (fields with a selection add one level, introspection fields
  none; aliases counted with fragments expanded), memoised per fragment.
- :func:`depth_rule` / :func:`alias_rule`: graphql-core validation rules for them, built once per
  limit (not per request), so validation results can be cached (``graphapi.schema.document_cache``).
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    Visitor,
    visit,
)

Fragments = Mapping[str, FragmentDefinitionNode]


class _Shape(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.fragments = 0
        self.spreads = 0
        self.longest_number = 0

    def enter_fragment_definition(self, *_args: object) -> None:
        self.fragments += 1

    def enter_fragment_spread(self, *_args: object) -> None:
        self.spreads += 1

    def enter_int_value(self, node: IntValueNode, *_args: object) -> None:
        self.longest_number = max(self.longest_number, len(node.value))

    def enter_float_value(self, node: FloatValueNode, *_args: object) -> None:
        self.longest_number = max(self.longest_number, len(node.value))


def limit_error(message: str, limit: str, maximum: int, nodes: OperationDefinitionNode | None = None) -> GraphQLError:
    """The error of a request past one of the server's limits: ``extensions.limit`` names which
    (``depth``, ``aliases``, ``fragments``, ``fragmentSpreads``, ``numberLength``, ``cost``,
    ``traversals``) and ``extensions.max`` its value, so a client can say "ask for less" without
    reading the message (new-user trial 7); the code stays ``GRAPHQL_VALIDATION_FAILED``."""
    return GraphQLError(message, nodes, extensions={"limit": limit, "max": maximum})


def document_problem(document: DocumentNode, max_fragments: int, max_spreads: int,
                     max_number_chars: int) -> GraphQLError | None:
    """Why ``document`` is refused before validation (see the module docstring), or None."""
    shape = _Shape()
    visit(document, shape)
    if shape.fragments > max_fragments:
        return limit_error(f"{shape.fragments} fragment definitions found. Allowed: {max_fragments}",
                           "fragments", max_fragments)
    if shape.spreads > max_spreads:
        return limit_error(f"{shape.spreads} fragment spreads found. Allowed: {max_spreads}",
                           "fragmentSpreads", max_spreads)
    if shape.longest_number > max_number_chars:
        return limit_error(f"a number literal of {shape.longest_number} characters found. Allowed: {max_number_chars}",
                           "numberLength", max_number_chars)
    return None


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name (the first of a duplicated name; validation reports it)."""
    out: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            out.setdefault(definition.name.value, definition)
    return out


class _PerFragment:
    """Measure a selection set with each fragment measured once. A spread of an unknown fragment,
    or of one being measured (a cycle: validation reports both), counts 0."""

    def __init__(self, fragments: Fragments) -> None:
        self.fragments = fragments
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def spread(self, node: FragmentSpreadNode) -> int:
        name = node.name.value
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return 0
        self.active.add(name)
        value = self.measure(fragment.selection_set)
        self.active.discard(name)
        self.memo[name] = value
        return value

    def measure(self, selection_set: SelectionSetNode) -> int:  # pragma: no cover - overridden
        raise NotImplementedError


class _Depth(_PerFragment):
    def measure(self, selection_set: SelectionSetNode) -> int:
        deepest = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                ignored = sel.name.value.startswith("__") or sel.selection_set is None
                depth = 0 if ignored else 1 + self.measure(sel.selection_set)
            elif isinstance(sel, InlineFragmentNode):
                depth = self.measure(sel.selection_set)
            else:
                depth = self.spread(sel)
            deepest = max(deepest, depth)
        return deepest


class _Aliases(_PerFragment):
    def measure(self, selection_set: SelectionSetNode) -> int:
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total += (sel.alias is not None) + (self.measure(sel.selection_set) if sel.selection_set else 0)
            elif isinstance(sel, InlineFragmentNode):
                total += self.measure(sel.selection_set)
            else:
                total += self.spread(sel)
        return total


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def operation_depths(document: DocumentNode) -> dict[str, int]:
    """Depth of each operation, by name (``anonymous`` for an unnamed one), as strawberry counts it."""
    depth = _Depth(fragments_of(document))
    return {
        (op.name.value if op.name else "anonymous"): depth.measure(op.selection_set) for op in _operations(document)
    }


def alias_count(document: DocumentNode) -> int:
    """Aliased fields in the document's operations, fragments expanded where spread."""
    aliases = _Aliases(fragments_of(document))
    return sum(aliases.measure(op.selection_set) for op in _operations(document))


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing an operation deeper than ``max_depth`` (strawberry's message)."""

    class MaxDepth(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            depth = _Depth(fragments_of(context.document))
            for op in _operations(context.document):
                if depth.measure(op.selection_set) > max_depth:
                    name = op.name.value if op.name else "anonymous"
                    context.report_error(limit_error(f"'{name}' exceeds maximum operation depth of {max_depth}",
                                                     "depth", max_depth, op))

    return MaxDepth


def alias_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing a document with more than ``max_aliases`` aliases (strawberry's message)."""

    class MaxAliases(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            total = alias_count(context.document)
            if total > max_aliases:
                context.report_error(limit_error(f"{total} aliases found. Allowed: {max_aliases}", "aliases",
                                                 max_aliases))

    return MaxAliases
