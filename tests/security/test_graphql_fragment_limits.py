"""Fragments cannot make validation or cost estimation exponential: a "fragment bomb" (each
fragment spreading the next twice) is refused quickly with a GraphQL error; ordinary fragments
still work, and depth, alias and cost values are those strawberry's limiters computed. Parsed
and validated documents are reused across requests, but never for a different document."""

import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from strawberry.extensions.max_aliases import count_fields_with_alias
from strawberry.extensions.query_depth_limiter import determine_depth
from work_budget import at_most_calls

from graphapi.schema.context import Context
from graphapi.schema.document_limits import alias_count, operation_depths
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import limit_extensions, operation_cost
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

# Python calls a refused bomb may cost: a few per document node, far below 2^20 expansions.
WORK_BUDGET = 200_000

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def hardened(**kw) -> LintasSchema:
    return LintasSchema(
        query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        extensions=[PublicErrors, *limit_extensions(Settings(**kw))],
    )


def bomb(n: int, leaf: str = "__typename") -> str:
    """``query{...F0} fragment F0 on Query{...F1 ...F1} ... fragment Fn on Query{<leaf>}``: 2^n leaves."""
    spreads = " ".join(f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}" for i in range(n))
    return f"query{{...F0}} {spreads} fragment F{n} on Query{{{leaf}}}"


async def _errors(schema: LintasSchema, query: str, store=None) -> list[dict]:
    result = await schema.execute(query, context_value=Context(store, TH, "req-frag"))
    return [e.formatted for e in result.errors or ()]


NORMAL = [
    '{ search(text: "zhao", first: 10) { edges { node { lintasId caption } } } }',
    """query Chart { entity(id: "per-somchai") { ...Card relationships(first: 20) { edges { node { ...Card } } } } }
       fragment Card on Entity { lintasId caption labels }""",
    """query A { a: entity(id: "x") { ...R } b: entity(id: "y") { ...R } }
       fragment R on Entity { c: caption relationships(first: 5) { edges { node { ...Inner } } } }
       fragment Inner on Entity { lintasId d: caption }""",
    """query B { search(text: "a") { edges { node { ... on Person { lintasId } ...S } } } }
       fragment S on Entity { caption relationships(first: 3) { edges { node { caption } } } }""",
]


@pytest.mark.parametrize(("n", "settings", "extensions", "message"), [
    # few enough fragments to reach validation: refused on its (linear) cost estimate
    (30, {}, {"code": "GRAPHQL_VALIDATION_FAILED", "limit": "cost", "max": 100_000},
     f"operation cost {2**30} exceeds the limit of 100000"),
    # over the token limit: refused by the parser
    (200, {}, {"code": "GRAPHQL_PARSE_FAILED"}, "Syntax Error: Document contains more than 2000 tokens"),
    # under a raised token limit: refused after parsing, before validation
    (200, {"max_tokens": 100_000}, {"code": "GRAPHQL_VALIDATION_FAILED", "limit": "fragments", "max": 100},
     "201 fragment definitions found. Allowed: 100"),
], ids=["n30", "n200", "n200-many-tokens"])
async def test_fragment_bomb_is_refused_quickly_with_a_graphql_error(n, settings, extensions, message):
    schema = hardened(**settings)
    with at_most_calls(WORK_BUDGET):  # 2^20 expansions took 5.4 s before, 2^30 hours
        errors = await _errors(schema, bomb(n))
    [error] = errors
    assert error["extensions"] == {**extensions, "requestId": "req-frag"}
    assert error["message"].startswith(message)


async def test_fragment_bomb_of_aliases_is_counted_without_expanding_it():
    schema = hardened(max_fragments=1000, max_fragment_spreads=1000)
    with at_most_calls(WORK_BUDGET):
        [error] = await _errors(schema, bomb(40, leaf="a: __typename"))
    assert error["message"] == f"{2**40} aliases found. Allowed: 30"


async def test_too_many_fragment_spreads_are_refused_before_validation(monkeypatch):
    validated = []
    monkeypatch.setattr(strawberry_schema, "validate_document", lambda *a: validated.append(a) or [])
    query = "{ " + " ".join("...F" for _ in range(251)) + " } fragment F on Query { __typename }"
    [error] = await _errors(hardened(), query)
    assert error["message"] == "251 fragment spreads found. Allowed: 250" and validated == []


async def test_a_number_literal_past_pythons_digit_limit_is_a_validation_error_not_internal():
    query = '{ search(text: "x", first: %s) { edges { cursor } } }' % ("1" * 5000)
    [error] = await _errors(hardened(), query)
    assert error["message"] == "a number literal of 5000 characters found. Allowed: 100"
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_ordinary_fragments_still_work(fixture_graph):
    result = await hardened().execute(NORMAL[1], context_value=Context(fixture_graph, TH, "req-frag"))
    assert result.errors is None
    assert result.data["entity"]["caption"] == "Somchai Prasert"
    assert result.data["entity"]["relationships"]["edges"][0]["node"]["lintasId"]


@pytest.mark.parametrize("query", NORMAL)
def test_depth_and_aliases_equal_strawberrys_unmemoised_values(query):
    document = parse(query)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    strawberry_depths = {
        (op.name.value if op.name else "anonymous"): determine_depth(op, fragments, 0, 99, None, "q", None)
        for op in operations
    }
    assert operation_depths(document) == strawberry_depths
    assert alias_count(document) == sum(count_fields_with_alias(op, fragments) for op in operations)
    assert strawberry_depths[next(iter(strawberry_depths))] >= 1


def test_cost_of_normal_queries_is_unchanged():
    schema = hardened()._schema
    costs = []
    for query in NORMAL:
        document = parse(query)
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        costs.append(operation_cost(schema, operation, fragments))
    # search: 1 + 10 x (edges 1 + node 1 + 2 fields);  Chart: 1 + 3 + (1 + 20 x (1 + 1 + 3));
    # A: 2 x (entity 1 + R (1 + (1 + 5 x (1 + 1 + Inner 2))));  B: 1 + 20 (default) x (1 + 1 + 1 + S (1 + 1 + 3 x 3))
    assert costs == [41, 105, 46, 281]


async def test_a_repeated_document_is_parsed_and_validated_once(monkeypatch):
    schema = hardened()
    calls = {"parse": 0, "validate": 0}
    real_parse, real_validate = strawberry_schema.parse, strawberry_schema.validate_document

    def counting_parse(*a, **kw):
        calls["parse"] += 1
        return real_parse(*a, **kw)

    def counting_validate(*a, **kw):
        calls["validate"] += 1
        return real_validate(*a, **kw)

    monkeypatch.setattr(strawberry_schema, "parse", counting_parse)
    monkeypatch.setattr(strawberry_schema, "validate_document", counting_validate)
    for _ in range(3):
        assert await _errors(schema, "{ __typename }") == []
    assert calls == {"parse": 1, "validate": 1}


async def test_the_cache_never_skips_the_limits_of_a_different_document():
    schema = hardened(max_depth=2)
    ok = "{ __typename }"
    deep = '{ entity(id: "x") { relationships { edges { node { caption } } } } }'
    assert await _errors(schema, ok) == []
    [error] = await _errors(schema, deep)
    assert error["message"] == "'anonymous' exceeds maximum operation depth of 2"
    [again] = await _errors(schema, deep)  # from the cache: still refused
    assert again["message"] == error["message"]
    assert await _errors(schema, ok) == []
