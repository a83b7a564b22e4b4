"""GraphQL hardening: abuse queries are refused with a clear error (deep nesting, 1000 aliases,
huge ``first``, too many tokens, batched operations); introspection and suggestions are off
outside development; ordinary queries still pass."""

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from graphql import parse
from strawberry.fastapi import GraphQLRouter

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import QUARANTINE_WORK, limit_extensions, operation_cost, strip_suggestions
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def hardened(**kw) -> LintasSchema:
    settings = Settings(**kw)
    return LintasSchema(
        query=Query,
        types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        extensions=[PublicErrors, *limit_extensions(settings)],
    )


PRODUCTION = hardened()


async def _run(store, query: str, schema: LintasSchema = PRODUCTION, variables: dict | None = None):
    return await schema.execute(query, variable_values=variables, context_value=Context(store, TH, "req-limits"))


async def _error(store, query: str, **kw) -> dict:
    result = await _run(store, query, **kw)
    assert result.errors, query
    error = result.errors[0].formatted
    assert error["extensions"]["requestId"] == "req-limits"
    return error


def _nest(levels: int, first: int = 20) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"relationships(first: {first}) {{ edges {{ node {{ {inner} }} }} }}"
    return f'{{ entity(id: "per-somchai") {{ {inner} }} }}'


async def test_limits_ordinary_queries_pass(fixture_graph):
    result = await _run(fixture_graph, '{ search(text: "zhao", first: 100) { edges { node { lintasId caption } } } }')
    assert result.errors is None and result.data["search"]["edges"][0]["node"]["lintasId"] == "per-zhao-wei"
    result = await _run(fixture_graph, _nest(3, first=5))
    assert result.errors is None
    error = await _error(fixture_graph, _nest(3, first=50))  # 50 x 50 x 50 relationships: too costly
    assert "operation cost 382652 exceeds" in error["message"]


async def test_limits_deep_nesting_is_refused(fixture_graph):
    error = await _error(fixture_graph, _nest(5))
    assert "exceeds maximum operation depth of 12" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_limits_1000_aliases_are_refused(fixture_graph):
    query = "{ " + " ".join(f'a{i}: entity(id: "per-somchai") {{ caption }}' for i in range(1000)) + " }"
    error = await _error(fixture_graph, query, schema=hardened(max_tokens=100_000))
    assert error["message"] == "1000 aliases found. Allowed: 30"
    # With the default token limit the parser refuses the document even earlier.
    error = await _error(fixture_graph, query)
    assert "more than 2000 tokens" in error["message"]


async def test_limits_too_many_tokens_are_refused(fixture_graph):
    query = "{ search(text: \"zhao\") { edges { " + "cursor " * 2500 + "} } }"
    error = await _error(fixture_graph, query)
    assert "more than 2000 tokens" in error["message"] and error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_limits_huge_first_is_refused_by_cost_before_any_resolver(fixture_graph):
    before = fixture_graph.stats.round_trips
    error = await _error(fixture_graph, '{ search(text: "zhao", first: 1000000) { edges { node { id } } } }')
    assert "operation cost 3000001 exceeds the limit of 100000" in error["message"]
    query = "query ($n: Int!) { entity(id: \"per-somchai\") { relationships(first: $n) { edges { cursor } } } }"
    error = await _error(fixture_graph, query, variables={"n": 10**9})
    assert "exceeds the limit" in error["message"]
    assert fixture_graph.stats.round_trips == before


async def test_limits_nested_pages_multiply(fixture_graph):
    query = (
        '{ neighborhood(id: "cmp-lucky-dragon", limit: 1000) { nodes { caption '
        "relationships(first: 100) { edges { node { caption } } } } } }"
    )
    error = await _error(fixture_graph, query)
    assert "operation cost" in error["message"]


def test_each_quarantined_identifiers_field_is_charged_the_quarantine_it_reads():
    # its page and count read every quarantined identifier, whatever first: thirty aliases ran
    # sixty such reads at a cost of ~100 (attack round a-60, 2)
    doc = parse("{ " + " ".join(f"a{i}: quarantinedIdentifiers(first: 1) {{ totalCount }}" for i in range(30)) + " }")
    cost = operation_cost(PRODUCTION._schema, doc.definitions[0], {})
    assert cost >= 30 * QUARANTINE_WORK > Settings().max_cost


def test_limits_cost_model_counts_fields_times_page_sizes():
    schema = PRODUCTION._schema
    doc = parse('{ search(text: "a", first: 100) { edges { node { id caption } } } }')
    assert operation_cost(schema, doc.definitions[0], {}) == 401
    doc = parse('query { ...F } fragment F on Query { entities(ids: ["a", "b", "c"]) { caption } }')
    assert operation_cost(schema, doc.definitions[0], {"F": doc.definitions[1]}) == 1 + 3 * 1
    doc = parse('{ search(text: "a") { edges { cursor } } }')  # default first: 20
    assert operation_cost(schema, doc.definitions[0], {}) == 1 + 20 * 2


def test_limits_cost_model_counts_last_as_it_counts_first_and_a_bare_connection_as_its_default_page():
    schema = PRODUCTION._schema

    def cost(arguments: str) -> int:
        doc = parse('{ entity(id: "x") { relationships' + arguments + ' { edges { cursor } } } }')
        return operation_cost(schema, doc.definitions[0], {})

    assert cost("(last: 50)") == cost("(first: 50)") == 1 + 1 + 50 * 2
    assert cost("") == cost("(first: 20)") == 1 + 1 + 20 * 2


def _neighborhoods(count: int, depth: int = 3, limit: int = 1000) -> str:
    return "{ " + " ".join(
        f'n{i}: neighborhood(id: "phone:+66850747188", depth: {depth}, limit: {limit}) {{ truncated }}'
        for i in range(count)) + " }"


async def test_limits_six_deep_neighborhoods_in_one_request_are_refused_before_any_resolver(fixture_graph):
    before = fixture_graph.stats.round_trips
    error = await _error(fixture_graph, _neighborhoods(6))
    assert error["message"].startswith("operation holds 6 traversal fields")
    assert "more than the limit of 3 per request" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert fixture_graph.stats.round_trips == before


async def test_limits_traversal_count_includes_fragment_spreads(fixture_graph):
    query = ('{ ...N a: neighborhood(id: "x") { truncated } b: neighborhood(id: "y") { truncated } ...N } '
             'fragment N on Query { coTravellers(personId: "per-somchai") { truncated } }')
    error = await _error(fixture_graph, query)
    assert error["message"].startswith("operation holds 4 traversal fields")


async def test_limits_geo_and_co_travel_groups_count_as_traversals(fixture_graph):
    before = fixture_graph.stats.round_trips
    query = ('{ a: nearby(lat: 16.7, lon: 98.5) { truncated } b: within(bbox: [98, 16, 99, 17]) { truncated } '
             'c: coTravelGroups { truncated } d: nearby(lat: 0, lon: 0) { truncated } }')
    error = await _error(fixture_graph, query)
    assert error["message"].startswith("operation holds 4 traversal fields")
    assert fixture_graph.stats.round_trips == before


async def test_limits_two_deep_neighborhoods_cost_more_than_the_limit(fixture_graph):
    error = await _error(fixture_graph, _neighborhoods(2))
    assert "operation cost 130002 exceeds the limit of 100000" in error["message"]


def test_limits_cost_of_a_neighborhood_grows_with_its_depth():
    schema = PRODUCTION._schema
    costs = [operation_cost(schema, parse(_neighborhoods(1, depth=d)).definitions[0], {}) for d in (1, 2, 3)]
    # 1 + limit x selection (1) + limit x 8^(depth-1)
    assert costs == [1 + 1000 + 1000, 1 + 1000 + 8000, 1 + 1000 + 64000]


def test_limits_shared_identifiers_of_a_case_cost_as_its_most_members():
    schema = PRODUCTION._schema
    by_ids = parse('{ sharedIdentifiers(ids: ["a", "b"]) { truncated } }')
    by_case = parse('{ sharedIdentifiers(caseId: "case:KH-NP|K-1") { truncated } }')
    # 1 + selection (1 per id) + 100 per id; a case is up to 100 members
    assert operation_cost(schema, by_ids.definitions[0], {}) == 1 + 2 + 200
    assert operation_cost(schema, by_case.definitions[0], {}) == 1 + 1 + 100 * 100


async def test_limits_max_traversals_is_a_setting(fixture_graph):
    error = await _error(fixture_graph, _neighborhoods(2, depth=1, limit=10), schema=hardened(max_traversals=1))
    assert "more than the limit of 1 per request" in error["message"]


def _readme_try_it_queries() -> list[str]:
    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = text.split("```graphql", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in re.split(r"^#.*$", block, flags=re.MULTILINE) if q.strip()]
    assert len(queries) == 7 and queries[3].startswith("{ neighborhood(")
    return queries


async def test_limits_readme_try_it_queries_pass_the_cost_and_traversal_limits(fixture_graph):
    queries = _readme_try_it_queries()
    together = "{ " + " ".join(f"q{i}: {q.strip()[1:-1]}" for i, q in enumerate(queries[3:])) + " }"
    for query in [*queries, together]:
        result = await _run(fixture_graph, query)
        messages = [e.message for e in result.errors or ()]
        assert not any("traversal" in m or "operation cost" in m for m in messages), (query, messages)


async def test_limits_introspection_off_in_production_on_in_development(fixture_graph):
    query = "{ __schema { queryType { name } } }"
    error = await _error(fixture_graph, query)
    assert "introspection" in error["message"].lower()
    result = await _run(fixture_graph, query, schema=hardened(env="development"))
    assert result.errors is None and result.data["__schema"]["queryType"]["name"] == "Query"


async def test_limits_field_suggestions_off_in_production(fixture_graph):
    error = await _error(fixture_graph, '{ entiti(id: "x") { id } }')
    assert "Did you mean" not in error["message"] and "entiti" in error["message"]
    dev = await _error(fixture_graph, '{ entiti(id: "x") { id } }', schema=hardened(env="development"))
    assert "Did you mean" in dev["message"]
    error = await _error(fixture_graph, '{ neighborhood(id: "x", labels: [Persn]) { truncated } }')
    assert "Did you mean" not in error["message"]


def test_limits_strip_suggestions():
    assert strip_suggestions("Cannot query field 'entiti' on type 'Query'. Did you mean 'entity'?") == (
        "Cannot query field 'entiti' on type 'Query'."
    )


async def test_limits_batched_operations_are_refused_by_the_router(fixture_graph):
    app = FastAPI()
    app.include_router(
        GraphQLRouter(PRODUCTION, context_getter=lambda: Context(fixture_graph, TH, "r")), prefix="/graphql"
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert r.status_code == 400 and "batching" in r.text.lower()


async def test_limits_nul_characters_are_refused_with_a_clear_error(fixture_graph):
    error = await _error(fixture_graph, "query ($v: String!) { entity(id: $v) { caption } }", variables={"v": "a\x00b"})
    assert "NUL" in error["message"] and error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    error = await _error(fixture_graph, '{ entity(id: "a\\u0000b") { caption } }')
    assert "NUL" in error["message"]


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize(("query", "limit", "maximum"), [
    (_nest(8), "depth", 12),
    ("{ " + " ".join(f"a{i}: search(text: \"x\", first: 1) {{ edges {{ cursor }} }}" for i in range(31)) + " }",
     "aliases", 30),
    ('{ a: expand(ids: ["x"]) { truncated } b: expand(ids: ["x"]) { truncated } '
     'c: expand(ids: ["x"]) { truncated } d: expand(ids: ["x"]) { truncated } }', "traversals", 3),
    ('{ search(text: "zhao", first: 100) { edges { node { relationships(first: 100) { edges { node { '
     'relationships(first: 100) { totalCount } } } } } } } }', "cost", 100_000),
])
async def test_limits_a_request_past_a_limit_says_which_in_its_extensions(fixture_graph, query, limit, maximum):
    # a client tells "ask for less" from other validation errors without reading the message
    error = await _error(fixture_graph, query)
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "requestId": "req-limits",
                                   "limit": limit, "max": maximum}


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize(("query", "message"), [
    ('{ expand(ids: ["cmp-lucky-dragon"], depth: 9) { truncated } }', "depth must be between 1 and 4, got 9"),
    ('{ neighborhood(id: "cmp-lucky-dragon", depth: 7) { truncated } }', "depth must be between 1 and 3, got 7"),
    ('{ moneyTrail(id: "x", maxHops: 40) { truncated } }', "maxHops must be between 1 and 6, got 40"),
])
async def test_limits_a_traversal_past_its_range_is_told_its_range_not_the_cost_limit(fixture_graph, query, message):
    error = await _error(fixture_graph, query)
    assert (error["extensions"]["code"], error["message"]) == ("BAD_USER_INPUT", message)
