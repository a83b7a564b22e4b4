"""An operation's cost is worked out once per document and the values of the variables it reads
(issue 14): a repeated lookup is not walked again, and a variable the cost reads (a page size, a
list of ids) still gets its own verdict."""

import pytest
from graphql import parse

from graphapi.schema import limits
from graphapi.schema.context import Context
from graphapi.schema.cost_inputs import ConsultedVariables, same
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
    consulted = ConsultedVariables({"id": "per-somchai"})
    assert measure_operation(schema, parse(LOOKUP).definitions[0], {}, consulted) == (3, 0)
    assert consulted.names == set() and not consulted.everything


def test_cost_memo_a_page_variables_cost_reads_it():
    schema = hardened()._schema
    consulted = ConsultedVariables({"n": 7})
    assert measure_operation(schema, parse(PAGE).definitions[0], {}, consulted) == (1 + 7 * 3, 0)
    assert consulted.names == {"n"}


@pytest.mark.parametrize(("a", "b"), [(1, True), (1, 1.0), ([1], [True]), ({"n": 0}, {"n": False})])
def test_cost_memo_values_of_other_json_types_are_not_the_same(a, b):
    assert not same(a, b)
