"""A list argument that the cost limit does not count is bounded by the field itself, before any
per-item work: otherwise one 2 MiB request of 150,000 strings kept the worker's event loop busy
for seconds (``coTravellers(checkpoints:)``: ~3 s each; two at once delayed another agency's
one-entity query by 5.5 s), and an error about them echoed every one (``search(countries:)``:
a 1.5 MB message)."""

from graphql import parse

from graphapi.schema.context import Context
from graphapi.schema.limits import operation_cost
from graphapi.schema.schema import build_schema
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()
MANY = [f"bcp-{i}" for i in range(5_000)]


async def _errors(store, query, **variables):
    result = await SCHEMA.execute(query, variable_values=variables, context_value=Context(store, TH, "r"))
    return [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []]


async def test_co_travellers_refuses_thousands_of_checkpoints(backend_store):
    errors = await _errors(backend_store, 'query ($c: [String!]) { coTravellers(personId: "per-somchai", '
                           'checkpoints: $c) { truncated } }', c=MANY)
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert "checkpoints" in errors[0][0]


async def test_an_error_about_unknown_countries_does_not_echo_thousands_of_them(backend_store):
    errors = await _errors(backend_store, 'query ($c: [String!]) { search(text: "zhao", countries: $c) '
                           "{ edges { score } } }", c=MANY)
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert len(errors[0][0]) < 1_000


class _CountingStore:
    """The store, counting the statements read and the ids each is sent."""

    def __init__(self, store):
        self._store, self.ids_sent, self.reads = store, 0, 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def read(self, statement, params, *args, **kwargs):
        self.reads += 1
        self.ids_sent += sum(len(v) for v in params.values() if isinstance(v, list))
        return await self._store.read(statement, params, *args, **kwargs)


async def test_brokers_refuses_thousands_of_ids_before_sending_them_to_the_store(backend_store):
    counting = _CountingStore(backend_store)
    errors = await _errors(counting, 'query ($a: [String!]!) { brokers(groupA: $a, groupB: ["per-zhao-wei"]) '
                           "{ brokers { score } } }", a=MANY)
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert counting.ids_sent <= 200


async def test_share_refuses_thousands_of_agencies(backend_store):
    supervisor = Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"}))
    result = await SCHEMA.execute(
        'mutation ($a: [String!]!) { share(ids: ["per-somchai"], agencies: $a) { nodes refused } }',
        variable_values={"a": [f"AG-{i}" for i in range(5_000)]},
        context_value=Context(backend_store, supervisor, "r"))
    assert result.data is None or result.data["share"] != {"nodes": ["per-somchai"], "refused": []}
    assert [(e.extensions or {}).get("code") for e in result.errors or []] == ["BAD_USER_INPUT"]


async def test_a_refused_list_is_named_with_its_bound_never_its_values(backend_store):
    errors = await _errors(backend_store, 'query ($c: [String!]) { moneyTrail(id: "per-somchai", currencies: $c) '
                           "{ truncated } }", c=[f"XQ{i}" for i in range(101)])
    assert errors == [("moneyTrail(currencies:) may hold at most 100 items, got 101", "BAD_USER_INPUT")]


async def test_paths_refuses_too_many_avoid_ids_before_reading_the_store(backend_store):
    counting = _CountingStore(backend_store)
    errors = await _errors(counting, 'query ($a: [String!]) { paths(fromId: "per-somchai", toId: "per-zhao-wei", '
                           "avoidIds: $a) { truncated } }", a=[f"per-{i}" for i in range(101)])
    assert errors == [("paths(avoidIds:) may hold at most 100 items, got 101", "BAD_USER_INPUT")]
    assert counting.reads == 0


async def test_a_nested_list_argument_is_bounded_too(backend_store):
    errors = await _errors(backend_store, 'query ($t: [RelationshipType!]) { entity(id: "per-somchai") '
                           "{ relationships(types: $t) { edges { cursor } } } }", t=["OWNS"] * 101)
    assert errors == [("relationships(types:) may hold at most 100 items, got 101", "BAD_USER_INPUT")]


def test_each_item_of_a_list_argument_adds_to_the_operation_cost():
    doc = parse('{ search(text: "a", countries: ["TH", "MM", "KH"]) { edges { cursor } } }')
    assert operation_cost(SCHEMA._schema, doc.definitions[0], {}) == 1 + 3 + 20 * 2


async def _share_errors(store, agencies):
    supervisor = Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"}))
    counting = _CountingStore(store)
    result = await SCHEMA.execute(
        'mutation ($a: [String!]!) { share(ids: ["per-somchai"], agencies: $a) { nodes } }',
        variable_values={"a": agencies}, context_value=Context(counting, supervisor, "r"))
    return [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []], counting.reads


async def test_share_refuses_a_string_that_is_no_agency_id_before_looking_up_its_ids(backend_store):
    errors, reads = await _share_errors(backend_store, ["KH-NP", "all agencies"])
    assert [code for _, code in errors] == ["BAD_USER_INPUT"]
    assert errors[0][0].startswith("agencies[1]: 'all agencies' is not an agency id")
    assert reads == 0


async def test_share_refuses_more_than_fifty_agencies(backend_store):
    errors, reads = await _share_errors(backend_store, [f"AG-{i}" for i in range(51)])
    assert errors == [("share(agencies:) may hold at most 50 items, got 51", "BAD_USER_INPUT")]
    assert reads == 0


async def test_ingest_refuses_a_shared_with_that_is_no_agency_id(backend_store):
    loader = Principal("loader-th", agency="TH-DSI", roles=frozenset({"loader"}))
    result = await SCHEMA.execute(
        'mutation { ingest(records: [{kind: "node", label: "Person", properties: {id: "per-bounds-1", name: "A B"}}], '
        'sharedWith: ["KH-NP", "KH NP;MM"], dryRun: true) { accepted } }',
        context_value=Context(backend_store, loader, "r"))
    assert [(e.extensions or {}).get("code") for e in result.errors or []] == ["BAD_USER_INPUT"]
    assert result.errors[0].message.startswith("sharedWith[1]: 'KH NP;MM' is not an agency id")


def test_a_bare_audit_connection_costs_its_default_page_of_a_hundred():
    # attack round 25, F4: a connection given neither first nor last was costed as 20 while it serves 100
    doc = parse('{ auditEntries(kind: "query") { edges { node { seq } } } }')
    bare = operation_cost(SCHEMA._schema, doc.definitions[0], {})
    doc = parse('{ auditEntries(kind: "query", first: 100) { edges { node { seq } } } }')
    assert bare == operation_cost(SCHEMA._schema, doc.definitions[0], {})
