"""An operation's cost is worked out once per document and the values of the variables it reads
(issue 14): a repeated lookup is not walked again, and a variable the cost reads (a page size, a
list of ids) still gets its own verdict."""

import pytest
from graphql import parse

from graphapi.schema import limits
from graphapi.schema.context import Context
from graphapi.schema.cost_inputs import CoercedVariables, CostMemo, same
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import limit_extensions, measure_operation
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.settings import Settings

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
LOOKUP = "query Lookup($id: String!) { entity(id: $id) { lintasId caption } }"
PAGE = "query Page($n: Int!) { search(text: \"zhao\", first: $n) { edges { node { lintasId } } } }"
IDS = "query Ids($ids: [String!]!) { entities(ids: $ids) { lintasId } }"


def hardened() -> LintasSchema:
    return LintasSchema(query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
                        extensions=[PublicErrors, *limit_extensions(Settings())])


async def _run(store, schema: LintasSchema, query: str, variables: dict):
    return await schema.execute(query, variable_values=variables, context_value=Context(store, TH, "req-memo"))


def _costed(monkeypatch) -> list[str]:
    calls: list[str] = []

    def counted(schema, operation, fragments, variables=None):
        calls.append(operation.name.value)  # reading the variables here would count as the cost's
        return measure_operation(schema, operation, fragments, variables)

    monkeypatch.setattr(limits, "measure_operation", counted)
    return calls


@pytest.mark.backends
async def test_cost_memo_a_repeated_lookup_is_costed_once_whatever_its_id(fixture_graph, monkeypatch):
    calls, schema = _costed(monkeypatch), hardened()
    for node_id in ("per-somchai", "cmp-lucky-dragon", "per-somchai"):
        result = await _run(fixture_graph, schema, LOOKUP, {"id": node_id})
        assert result.errors is None and result.data["entity"]["lintasId"] == node_id
    assert calls == ["Lookup"]


@pytest.mark.backends
async def test_cost_memo_the_same_document_with_a_huge_page_variable_is_still_refused(fixture_graph):
    schema = hardened()
    assert (await _run(fixture_graph, schema, PAGE, {"n": 10})).errors is None
    result = await _run(fixture_graph, schema, PAGE, {"n": 1_000_000})
    assert result.errors[0].extensions["limit"] == "cost" and result.data is None


@pytest.mark.backends
async def test_cost_memo_the_same_document_with_too_many_ids_is_still_refused(fixture_graph):
    schema = hardened()
    assert (await _run(fixture_graph, schema, IDS, {"ids": ["per-somchai"]})).errors is None
    result = await _run(fixture_graph, schema, IDS, {"ids": [f"x{i}" for i in range(1001)]})
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "entities(ids:) may hold at most 1000 items, got 1001" in result.errors[0].message


def test_cost_memo_a_lookups_cost_reads_none_of_its_variables():
    schema = hardened()._schema
    operation = parse(LOOKUP).definitions[0]
    consulted = CoercedVariables(schema, operation, {"id": "per-somchai"})
    assert measure_operation(schema, operation, {}, consulted) == (3, 0)
    assert consulted.names == set()


def test_cost_memo_a_page_variables_cost_reads_it():
    schema = hardened()._schema
    operation = parse(PAGE).definitions[0]
    consulted = CoercedVariables(schema, operation, {"n": 7})
    assert measure_operation(schema, operation, {}, consulted) == (1 + 7 * 3, 0)
    assert consulted.names == {"n"}


@pytest.mark.parametrize(("a", "b"), [(1, True), (1, 1.0), ([1], [True]), ({"n": 0}, {"n": False})])
def test_cost_memo_values_of_other_json_types_are_not_the_same(a, b):
    assert not same(a, b)


def _counted_memo(schema, document: str):
    operation, memo, calls = parse(document).definitions[0], CostMemo(), []

    def measure(variables):
        calls.append(1)
        return measure_operation(schema, operation, {}, variables)

    return lambda sent: memo.cost(None, CoercedVariables(schema, operation, sent), measure), calls


def test_cost_memo_a_list_read_only_for_its_number_of_items_is_kept_by_that_number():
    schema = hardened()._schema
    cost, calls = _counted_memo(schema, 'query ($l: [Label!]) { search(text: "x", labels: $l) { totalCount } }')
    # 1 + 1 per label + a default page of 20 totalCounts
    assert cost({"l": ["Person"]}) == cost({"l": ["Company"]}) == (1 + 1 + 20, 0) and len(calls) == 1
    assert cost({"l": ["Person", "Company"]}) == (1 + 2 + 20, 0) and len(calls) == 2


def test_cost_memo_a_variable_left_to_its_default_and_the_same_value_sent_share_a_cost():
    schema = hardened()._schema
    cost, calls = _counted_memo(schema, 'query ($n: Int = 5) { search(text: "x", first: $n) { totalCount } }')
    assert cost({}) == cost({"n": 5}) == cost({"n": 5.0}) == (1 + 5, 0) and len(calls) == 1
    assert cost({"n": 50}) == (1 + 50, 0) and len(calls) == 2
