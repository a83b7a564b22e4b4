"""The cost limit costs the argument values execution will use: the request's variables coerced as
graphql-core coerces them (the document's defaults applied, ``1000.0`` read as ``1000``, a nullable
variable left out leaving the argument's own default), and the cost memo keys a document's cost on
those coerced values (attack round 39b, 1, 2, 4 and 5)."""

from functools import partial

import pytest
from graphql import parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphapi.errors import InvalidArgument
from graphapi.schema.context import Context
from graphapi.schema.cost_inputs import CoercedVariables, CostMemo, VariablesInvalid
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import limit_extensions, measure_operation
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.settings import Settings

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
# three depth-3, 1000-node neighbourhoods: over the default limit of 100,000 however given
HEAVY = ("query Heavy($id: String!, $d: Int!, $l: Int!) {"
         " a: neighborhood(id: $id, depth: $d, limit: $l) { nodes { lintasId caption } }"
         " b: neighborhood(id: $id, depth: $d, limit: $l) { nodes { lintasId caption } }"
         " c: neighborhood(id: $id, depth: $d, limit: $l) { nodes { lintasId caption } } }")
HEAVY_BY_DEFAULT = HEAVY.replace("$d: Int!, $l: Int!", "$d: Int = 3, $l: Int = 1000")


def hardened() -> LintasSchema:
    return LintasSchema(query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
                        extensions=[PublicErrors, *limit_extensions(Settings())])


SCHEMA = hardened()._schema


def _cost(document: str, variables: dict) -> int:
    return measure_operation(SCHEMA, parse(document).definitions[0], {}, variables)[0]


async def _run(schema: LintasSchema, store, document: str, variables: dict):
    return await schema.execute(document, variable_values=variables, context_value=Context(store, TH, "req-cost"))


@pytest.mark.backends
async def test_a_request_without_variables_does_not_unlock_the_document_for_heavy_ones(fixture_graph):
    schema = hardened()
    primer = await _run(schema, fixture_graph, HEAVY, {})
    assert "'String!' to be provided" in primer.errors[0].message
    result = await _run(schema, fixture_graph, HEAVY, {"id": "per-somchai", "d": 3, "l": 1000})
    assert result.data is None and result.errors[0].extensions["limit"] == "cost"


@pytest.mark.backends
async def test_a_variable_left_to_its_default_in_the_document_is_costed_at_that_default(fixture_graph):
    result = await _run(hardened(), fixture_graph, HEAVY_BY_DEFAULT, {"id": "per-somchai"})
    assert result.data is None and result.errors[0].extensions["limit"] == "cost"


@pytest.mark.backends
async def test_an_integral_float_variable_is_costed_as_the_int_it_executes_as(fixture_graph):
    result = await _run(hardened(), fixture_graph, HEAVY, {"id": "per-somchai", "d": 3.0, "l": 1e3})
    assert result.data is None and result.errors[0].extensions["limit"] == "cost"


@pytest.mark.backends
async def test_a_variable_that_does_not_coerce_gets_graphql_cores_own_error(fixture_graph):
    result = await _run(hardened(), fixture_graph, HEAVY, {"id": "per-somchai", "d": 2.5, "l": 10})
    assert result.data is None and "Int cannot represent non-integer value: 2.5" in result.errors[0].message


def test_a_page_variable_left_out_costs_as_the_argument_left_out():
    omitted = 'query { search(text: "zhao") { edges { node { lintasId caption } } } }'
    unprovided = 'query ($n: Int) { search(text: "zhao", first: $n) { edges { node { lintasId caption } } } }'
    assert _cost(unprovided, {}) == _cost(omitted, {}) == 1 + 20 * 4


def test_a_limit_variable_left_out_costs_as_the_argument_left_out():
    omitted = 'query { neighborhood(id: "x", depth: 3) { nodes { lintasId } } }'
    unprovided = 'query ($l: Int) { neighborhood(id: "x", depth: 3, limit: $l) { nodes { lintasId } } }'
    assert _cost(unprovided, {"unrelated": 1}) == _cost(omitted, {}) == 1 + 100 * 2 + 100 * 8 ** 2


def test_a_list_variables_default_in_the_document_is_held_to_the_lists_bound():
    labels = ", ".join(["Person"] * 101)
    document = f'query ($l: [Label!] = [{labels}]) {{ search(text: "x", labels: $l) {{ totalCount }} }}'
    with pytest.raises(InvalidArgument, match=r"search\(labels:\) may hold at most 100 items, got 101"):
        _cost(document, {})


# --- property: memoised cost = fresh cost = the cost of the same values written as literals ---------

#: (field, its arguments that take an Int, the rest of the field as written)
FIELDS = (
    ("search", ("first",), 'text: "x"', "{ edges { node { lintasId } } }"),
    ("neighborhood", ("depth", "limit"), 'id: "x"', "{ nodes { lintasId } }"),
    ("auditEntries", ("first", "last"), "", "{ edges { node { kind } } }"),
    ("timeline", ("first", "last"), 'ids: ["a", "b"]', "{ edges { node { lintasId } } }"),
)
NUMBER = st.integers(min_value=0, max_value=1500)
# how an argument is given: left out, a literal, or a variable declared with or without a default
SLOT = st.one_of(st.just(("omitted",)), st.tuples(st.just("literal"), NUMBER),
                 st.tuples(st.just("variable"), st.none() | NUMBER))
# what a request sends for a variable: nothing, an int, the same int as a float, null, a non-integer
SENT = st.one_of(st.just("missing"), NUMBER, NUMBER.map(float), st.none(), st.just(2.5))


@st.composite
def documents(draw):
    chosen = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3))
    slots = [[draw(SLOT) for _ in arguments] for _, arguments, _, _ in chosen]
    return chosen, slots, draw(st.integers(min_value=1, max_value=4))


def _write(chosen, slots, sent: dict | None) -> tuple[str, list[str]]:
    """The document; with ``sent``, the same with each variable's value as execution gets it
    written in its place (an argument left out where execution leaves it out)."""
    declared, fields, n = [], [], 0
    for i, ((field, arguments, rest, selection), field_slots) in enumerate(zip(chosen, slots, strict=True)):
        given = [rest] if rest else []
        for argument, slot in zip(arguments, field_slots, strict=True):
            if slot[0] == "literal":
                given.append(f"{argument}: {slot[1]}")
            elif slot[0] == "variable":
                name, n = f"v{n}", n + 1
                declared.append(f"${name}: Int" + (f" = {slot[1]}" if slot[1] is not None else ""))
                if sent is None:
                    given.append(f"{argument}: ${name}")
                elif name in sent:
                    given.append(f"{argument}: {'null' if sent[name] is None else int(sent[name])}")
                elif slot[1] is not None:
                    given.append(f"{argument}: {slot[1]}")
        fields.append(f"f{i}: {field}" + (f"({', '.join(given)})" if given else "") + f" {selection}")
    head = f"query Q({', '.join(declared)})" if declared and sent is None else "query Q"
    return f"{head} {{ {' '.join(fields)} }}", [d.split(":")[0][1:] for d in declared]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.data())
def test_the_memoised_cost_is_the_fresh_cost_and_the_cost_with_the_values_inlined(document, data):
    chosen, slots, requests = document
    text, names = _write(chosen, slots, None)
    operation, memo = parse(text).definitions[0], CostMemo()
    measure = partial(measure_operation, SCHEMA, operation, {})
    for _ in range(requests):
        sent = {name: value for name in names if (value := data.draw(SENT)) != "missing"}
        sent["id"] = "ignored"  # a variable the document does not declare
        if any(isinstance(v, float) and not v.is_integer() for v in sent.values()):
            with pytest.raises(VariablesInvalid):
                measure(sent)
            continue
        fresh = measure(sent)
        assert memo.cost("Q", CoercedVariables(SCHEMA, operation, sent), measure) == fresh
        inlined, _ = _write(chosen, slots, sent)
        assert measure_operation(SCHEMA, parse(inlined).definitions[0], {}, {}) == fresh, (text, sent, inlined)


LABELS = st.lists(st.sampled_from(["Person", "Company", "Vessel"]), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.none() | LABELS, st.lists(st.sampled_from(["missing", None]) | LABELS | st.sampled_from(["Person", "Vessel"]),
                                    min_size=1, max_size=4))
def test_a_list_variables_cost_is_memoised_by_what_execution_gets(default, requests):
    declared = "[Label!]" + (f" = [{', '.join(default)}]" if default is not None else "")
    text = f'query Q($l: {declared}) {{ search(text: "x", labels: $l) {{ totalCount }} }}'
    operation, memo = parse(text).definitions[0], CostMemo()
    measure = partial(measure_operation, SCHEMA, operation, {})
    for value in requests:
        sent = {} if value == "missing" else {"l": value}
        fresh = measure(sent)
        assert memo.cost("Q", CoercedVariables(SCHEMA, operation, sent), measure) == fresh
        given_list = default if value == "missing" else value
        if isinstance(given_list, str):  # one value where a list is expected: a list of one
            given_list = [given_list]
        inlined = 'query Q { search(text: "x"' + (
            "" if given_list is None and value == "missing" else
            f", labels: {'null' if given_list is None else '[' + ', '.join(given_list) + ']'}") + ") { totalCount } }"
        assert measure_operation(SCHEMA, parse(inlined).definitions[0], {}, {}) == fresh, (text, sent, inlined)
