"""GraphQL hardening: depth, alias, token, fragment and cost limits; introspection and field suggestions off
outside development. :func:`limit_extensions` builds the strawberry extensions from the settings.

Limits and their defaults (``graphapi.settings``; environment variables in brackets):

- depth (``LINTAS_MAX_DEPTH``, 12): deepest nesting of selections in an operation. A link chart
  needs ~6 (``neighborhood { nodes { relationships { edges { node { id } } } } }``).
- aliases (``LINTAS_MAX_ALIASES``, 30): aliased fields per document; stops "1000 copies of one
  expensive field in one request".
- tokens (``LINTAS_MAX_TOKENS``, 2000): lexical tokens per document, checked by the parser
  before anything else is built (graphql-core ``max_tokens``).
- cost (``LINTAS_MAX_COST``, 100000): every field costs 1; a field with a page-size argument
  (``first``, ``last``, ``limit``) or an id list (``ids``) multiplies the cost of its selection by that
  size (the schema default when not given, a connection's default page of 20 when it is given
  neither ``first`` nor ``last``): the values execution will use, variables coerced as graphql-core
  coerces them (the document's defaults, ``1000.0`` as ``1000``; ``graphapi.schema.cost_inputs``).
  ``search(first: 100) { edges { node { id caption } } }`` costs 1 + 100 x 4 = 401; a two-level
  link chart (20 entities x 50 relationships x 50 relationships) about 50000. A huge ``first`` is
  rejected here before any resolver runs. A traversal field (each of :data:`TRAVERSAL_WORK`:
  ``neighborhood``, ``expand``, ``edgesAmong``, ``shortestPaths``, ``moneyTrail``, ...) also adds
  the work the store does for it (:data:`TRAVERSAL_WORK`, depth and maxHops clamped to their
  ranges, which the resolver tells): ``neighborhood`` and ``expand`` ``limit`` x 8^(depth-1) (depth 3,
  limit 1000: 64000; ``expand`` depth 4, limit 200: 102400, over the default limit),
  ``shortestPaths`` and ``moneyTrail`` ``limit`` x 2^maxHops, ``paths`` the larger of ``limit``
  and ``k`` x 2^maxHops, ``timeline`` ids x ``first`` (or ``last``), ``sharedIdentifiers`` 100 per id,
  ``coTravellers`` 20 per ``limit``, ``coTravelGroups`` 100 per ``limit``, ``nearby`` and ``within``
  10 per ``limit``, ``edgesAmong`` 20 per id, ``quarantinedIdentifiers`` 5,000, ``syndicates`` and
  ``brokers`` 1 per ``limit`` (``brokers``' ``scopeLimit``)
  (each entity of their scope is read once, whatever the depth; their selection is paid for at
  most 1,000 times, the members they list at most). Each item of a list argument that does not multiply (``types``,
  ``countries``, ``groupA``, ``agencies``, ``records``, ...) costs 1 more.
- list arguments (``graphapi.schema.list_bounds``): each at most its own bound (``entities(ids:)``
  1000, ``share(agencies:)`` 50, ``search(countries:)`` 250, any other 100), counted from the
  literal or variable before any value is coerced or any resolver runs; over it the operation is
  refused with ``BAD_USER_INPUT`` naming the field, argument, bound and count (never the values).
- number literals past the double range (``1e400`` reads as ``inf``), anywhere in the document
  (``graphapi.schema.finite_numbers``): refused with ``BAD_USER_INPUT`` naming the field and
  argument, before any resolver runs (variables cannot carry one: graphql-core's ``Float`` refuses it).
- traversals (``LINTAS_MAX_TRAVERSALS``, 3): traversal fields per operation (each alias and
  each spread counts): one request of many traversals held the store for everyone (six
  depth-3 neighborhoods: 37 s).
- fragments (``LINTAS_MAX_FRAGMENTS``, 100 definitions; ``LINTAS_MAX_FRAGMENT_SPREADS``, 250
  ``...Name`` spreads) and number literals (at most 100 characters) per document, checked right
  after parsing, before validation. Depth, aliases and cost measure each fragment once wherever it
  is spread (``graphapi.schema.document_limits``): a fragment bomb (each fragment spreading the
  next twice) costs linear time, then fails on its cost.
- parsed documents and their validation errors are reused for the same text
  (``graphapi.schema.document_cache``); the rules are built once, here.
- NUL characters (``\u0000``) in any string argument or variable are refused: the embedded
  store's client sends parameters inside the query text, where a NUL ends the text (measured:
  a parse error, i.e. an INTERNAL error instead of a clear one), and so are lone UTF-16 surrogates
  (``\ud800``: valid JSON escapes, but no UTF-8 text can hold them; they failed deep in a resolver).
- introspection (``__schema``, ``__type``) and "Did you mean ...?" suggestions are off unless
  ``LINTAS_ENV=development``: field names are not handed to a prober. An introspection query gets
  one error saying where the schema is (``graphapi.schema.introspection``).

Batching is off (strawberry's default: no ``batching_config``; the HTTP gate in
``graphapi.security.http`` also refuses a JSON array). Errors are masked with a request id by
``graphapi.schema.extensions.PublicErrors``; these limits' errors keep their message there with
code ``GRAPHQL_VALIDATION_FAILED``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any, NamedTuple

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension

from graphapi.errors import InvalidArgument
from graphapi.investigate import expand as expansion
from graphapi.investigate import money, shared_ids
from graphapi.investigate import paths as path_search
from graphapi.investigate.syndicates import MAX_SHOWN
from graphapi.schema.cost_inputs import ArgumentValues, CoercedVariables, VariablesInvalid
from graphapi.schema.document_cache import CachedDocuments, DocumentCache, DocumentEntry
from graphapi.schema.document_limits import alias_rule, depth_rule, limit_error
from graphapi.schema.finite_numbers import check_finite_numbers
from graphapi.schema.introspection import IntrospectionOff
from graphapi.schema.list_bounds import check_list_lengths
from graphapi.schema.nul_strings import RejectNul
from graphapi.security.request_json import MAX_NUMBER_CHARS
from graphapi.settings import Settings

#: Arguments whose value multiplies the cost of a field's selection.
SIZE_ARGUMENTS = ("first", "limit", "last", "scopeLimit")
LIST_ARGUMENTS = ("ids",)

_SUGGESTION = re.compile(r"\s*Did you mean .*$", re.DOTALL)


def _int(values: Mapping[str, Any], name: str, low: int = 1, high: int = 1_000_000) -> int:
    value = values.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        return low
    return min(max(value, low), high)


def _count(values: Mapping[str, Any], name: str) -> int:
    value = values.get(name)
    return max(len(value), 1) if isinstance(value, list) else 1


#: Nodes reached per node at each further hop of a ``neighborhood`` (its cost's per-depth factor).
TRAVERSAL_BRANCHING = 8
def _hops_of_nodes(values: Mapping[str, Any], max_depth: int) -> int:
    """A neighbourhood's work: its node ``limit`` x the branching per hop beyond the first."""
    return _int(values, "limit") * TRAVERSAL_BRANCHING ** (_int(values, "depth", high=max_depth) - 1)


#: The work of a traversal field beyond its selection, from its arguments: what the store walks
#: (measured: neighborhood depth 3 limit 1000 took 5-9 s on a 7k-node/51k-relationship graph, 37 s
#: for six of them while other users waited). Out-of-range values are clamped to the resolver's
#: bounds here, so the resolver refuses them with their range ("depth must be between 1 and 4"),
#: not the cost limit (new-user trial 7).
TRAVERSAL_WORK: dict[str, Callable[[Mapping[str, Any]], int]] = {
    # each hop beyond the first multiplies the nodes visited per node kept by ~the branching
    "neighborhood": lambda v: _hops_of_nodes(v, expansion.MAX_DEPTH),
    # bidirectional search: the frontier grows with each hop
    "shortestPaths": lambda v: _int(v, "limit") * 2 ** _int(v, "maxHops", high=path_search.MAX_HOPS),
    "moneyTrail": lambda v: _int(v, "limit") * 2 ** _int(v, "maxHops", high=money.MAX_HOPS),
    "paths": lambda v: max(_int(v, "limit"), _int(v, "k")) * 2 ** _int(v, "maxHops", high=path_search.MAX_HOPS),
    "timeline": lambda v: _count(v, "ids") * max(_int(v, "first"), _int(v, "last")),
    # a case is up to MAX_IDS members, each like an id given
    "sharedIdentifiers": lambda v: (_count(v, "ids") if v.get("caseId") is None else shared_ids.MAX_IDS) * 100,
    "coTravellers": lambda v: _int(v, "limit") * 20,
    # every visible crossing of the range is read (ROW_CAP at most), then grouped in process
    "coTravelGroups": lambda v: _int(v, "limit") * 100,
    # one statement per positioned label over a latitude/longitude box
    "nearby": lambda v: _int(v, "limit") * 10,
    "within": lambda v: _int(v, "limit") * 10,
    # like neighborhood, the node limit times the branching per further hop (depth 4: 512 per node)
    "expand": lambda v: _hops_of_nodes(v, expansion.MAX_EXPAND_DEPTH),
    # one statement over the chart's nodes, ~20 relationships each
    "edgesAmong": lambda v: _count(v, "ids") * 20,
    # the scope's entities are each expanded once (graphapi.investigate.scope), whatever the depth,
    # then scored in process: one unit per entity, so one 50,000-entity scope fits an operation, two do not
    "syndicates": lambda v: _int(v, "limit"),
    "brokers": lambda v: _int(v, "scopeLimit") if v.get("scopeLimit") is not None else _int(v, "limit"),
    # its page and its totalCount each read every quarantined identifier the reader may see (sought
    # by the index on Entity.inQuarantine) and order them, whatever ``first``: a large quarantine's
    # worth each time, so twenty fit an operation (attack round a-60, 2: thirty aliases ran sixty scans)
    "quarantinedIdentifiers": lambda v: QUARANTINE_WORK,
}
#: The work one quarantinedIdentifiers field is charged (TRAVERSAL_WORK): quarantined identifiers read
QUARANTINE_WORK = 5_000
#: Root fields whose answer lists at most this many items whatever their ``limit`` (the scope's
#: node budget): their selection is paid for that many times at most.
LISTED_AT_MOST: dict[str, int] = {"syndicates": MAX_SHOWN, "brokers": MAX_SHOWN}
def _multiplier(values: Mapping[str, Any]) -> int:
    """How many times a field's selection is paid for: its page size or id count."""
    size = 1
    for name in SIZE_ARGUMENTS:
        value = values.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            size = max(size, value)
    for name in LIST_ARGUMENTS:
        value = values.get(name)
        if isinstance(value, list):
            size = max(size, len(value))
    return size


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The estimated cost of ``operation`` (see the module docstring); fragments are expanded."""
    return measure_operation(schema, operation, fragments, variables)[0]


def measure_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None = None,
) -> tuple[int, int]:
    """(estimated cost, number of traversal fields) of ``operation``; fragments are expanded.

    ``variables``: the request's, or :class:`CoercedVariables` of them; the cost reads the values
    execution will use (raises :class:`VariablesInvalid` for a variable that does not coerce).

    Each fragment is measured once per type it is read as and reused wherever it is spread, so the
    time is linear in the document however often fragments spread each other (a spread of a
    fragment being measured, a cycle that validation refuses, counts 0)."""
    if not isinstance(variables, CoercedVariables):
        variables = CoercedVariables(schema, operation, variables or {})
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0, 0
    memo: dict[tuple[str, str], tuple[int, int]] = {}
    active: set[tuple[str, str]] = set()

    def spread(frag: FragmentDefinitionNode, parent: Any) -> tuple[int, int]:
        target = schema.get_type(frag.type_condition.name.value) or parent
        key = (frag.name.value, getattr(target, "name", ""))
        if key in memo:
            return memo[key]
        if key in active:
            return 0, 0
        active.add(key)
        memo[key] = measure(frag.selection_set, target)
        active.discard(key)
        return memo[key]

    def measure(selection_set: SelectionSetNode | None, parent: Any) -> tuple[int, int]:
        if selection_set is None:
            return 0, 0
        total = traversals = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                name = sel.name.value
                fields = getattr(parent, "fields", None) or {}
                field_def = fields.get(name)
                if field_def is None:  # __typename, introspection, or invalid (validation reports it)
                    total += 1
                    continue
                counts = check_list_lengths(name, field_def, sel, variables)  # before coercing any list
                items = sum(n for a, n in counts.items() if a not in LIST_ARGUMENTS)  # ids multiply instead
                values = ArgumentValues(field_def, sel, variables)  # each read when a cost asks
                inner, inner_traversals = measure(sel.selection_set, get_named_type(field_def.type))
                work = TRAVERSAL_WORK.get(name) if parent is root else None
                size = _multiplier(values)
                if parent is root and name in LISTED_AT_MOST:
                    size = min(size, LISTED_AT_MOST[name])
                total += 1 + items + size * inner + (work(values) if work else 0)
                traversals += inner_traversals + (1 if work else 0)
                continue
            if isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                part = measure(sel.selection_set, target or parent)
            elif isinstance(sel, FragmentSpreadNode):
                frag = fragments.get(sel.name.value)
                part = spread(frag, parent) if frag is not None else (0, 0)
            else:
                continue
            total += part[0]
            traversals += part[1]
        return total, traversals

    return measure(operation.selection_set, root)


class CostLimiter(SchemaExtension):
    """Refuse an operation whose :func:`operation_cost` exceeds ``max_cost``, before execution.

    ``cache``: the document cache, whose entry notes that a document's numbers were found finite,
    so a repeated document is not walked for them again (as
    :class:`graphapi.schema.nul_strings.RejectNul` keeps literals)."""

    def __init__(self, max_cost: int, max_traversals: int = 3, cache: DocumentCache | None = None) -> None:
        self.max_cost = max_cost
        self.max_traversals = max_traversals
        self.cache = cache

    def _kept(self, document: Any) -> DocumentEntry | None:
        """The cache's entry of this very document, if it keeps one."""
        ctx = self.execution_context
        entry = self.cache.peek(ctx.schema._schema, ctx.query) if self.cache and ctx.query else None
        return entry if entry is not None and entry.document is document else None

    @staticmethod
    def _check_finite_numbers(document: Any, entry: DocumentEntry | None) -> None:
        if entry is not None and entry.numbers_finite:
            return
        check_finite_numbers(document)  # graphapi.schema.finite_numbers: no 1e400 reaches a resolver
        if entry is not None:
            entry.numbers_finite = True

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and not ctx.result:
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if ctx.operation_name:
                operations = [o for o in operations if o.name and o.name.value == ctx.operation_name]
            entry = self._kept(document)
            try:
                self._check_finite_numbers(document, entry)
                if len(operations) == 1:
                    measure = partial(measure_operation, ctx.schema._schema, operations[0], fragments)
                    variables = CoercedVariables(ctx.schema._schema, operations[0], ctx.variables or {})
                    # the same document with the same values where its cost reads them: the same cost
                    total, traversals = (entry.costs.cost(ctx.operation_name, variables, measure)
                                         if entry is not None else measure(variables))
            except VariablesInvalid:  # execution refuses the operation with graphql-core's errors: nothing runs
                yield
                return
            except InvalidArgument as exc:  # a number past the double range, a list over its bound (list_bounds)
                ctx.result = ExecutionResult(data=None, errors=[GraphQLError(str(exc), original_error=exc)])
                yield
                return
            if len(operations) == 1:
                error = None
                if traversals > self.max_traversals:
                    error = limit_error(
                        f"operation holds {traversals} traversal fields ({', '.join(TRAVERSAL_WORK)}), more than "
                        f"the limit of {self.max_traversals} per request: send them in separate requests",
                        "traversals", self.max_traversals)
                elif total > self.max_cost:
                    error = limit_error(
                        f"operation cost {total} exceeds the limit of {self.max_cost} (each field costs 1; "
                        "first/limit/ids multiply their selection; traversals add their work, e.g. neighborhood "
                        f"limit x {TRAVERSAL_BRANCHING}^(depth-1)): ask for smaller pages or shallower traversals",
                        "cost", self.max_cost)
                if error is not None:
                    ctx.result = ExecutionResult(data=None, errors=[error])
        yield


def strip_suggestions(message: str) -> str:
    """``message`` without graphql-core's trailing "Did you mean ...?" hint."""
    return _SUGGESTION.sub("", message)


class HideSuggestions(SchemaExtension):
    """Remove "Did you mean ...?" hints from every error (they disclose field, type and enum names)."""

    def _strip(self, errors: list[GraphQLError] | None) -> None:
        for error in errors or ():
            if "Did you mean" in error.message:
                error.message = strip_suggestions(error.message)

    def on_validate(self) -> Iterator[None]:
        yield
        self._strip(self.execution_context.pre_execution_errors)

    def on_operation(self) -> Iterator[None]:
        yield
        self._strip(self.execution_context.pre_execution_errors)
        self._strip(getattr(self.execution_context.result, "errors", None))


class Limits(NamedTuple):
    """What :func:`limit_extensions` reads of the settings, all of it: one schema serves every app
    whose settings agree on these (``build_schema`` keeps one per value)."""

    max_depth: int
    max_aliases: int
    env: str
    max_fragments: int
    max_fragment_spreads: int
    max_tokens: int
    max_cost: int
    max_traversals: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(*(getattr(settings, name) for name in cls._fields))


def limit_extensions(settings: Settings | Limits) -> list[Callable[[], SchemaExtension]]:
    """The hardening extensions for ``settings``, as per-request factories for ``Schema(extensions=...)``.

    The validation rules and the document cache are built here, once: every request validates
    with the same rule classes, so a document's validation result can be reused. Put them after
    ``PublicErrors`` in the list (their post-yield hooks then run before it).
    """
    limits = settings if isinstance(settings, Limits) else Limits.of(settings)
    rules = [depth_rule(limits.max_depth), alias_rule(limits.max_aliases)]
    if limits.env != "development":
        rules.append(IntrospectionOff)  # one error saying where the schema is
    cache = DocumentCache(limits.max_fragments, limits.max_fragment_spreads, MAX_NUMBER_CHARS)
    out: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        partial(AddValidationRules, rules),
        partial(CachedDocuments, cache),
        partial(CostLimiter, max_cost=limits.max_cost, max_traversals=limits.max_traversals, cache=cache),
        partial(RejectNul, cache),
    ]
    if limits.env != "development":
        out.append(HideSuggestions)
    return out
