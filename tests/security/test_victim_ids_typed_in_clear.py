"""A victim's real id, typed in clear by a reader without ``victim-data``, answers exactly like an
id nobody has (graphapi/security/victim_lookup.py); only its ``vid:`` token reaches it. Each
case runs the same operation with the victim's id and with a missing id of the same shape and
compares the whole answers (data, errors, extensions), the ids swapped."""

import json

import pytest

from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget
from graphapi.security.victim_ids import victim_ids

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
VICTIM, NOBODY = "per-nguyen-van-an", "per-nguyen-van-ab"
PHONE, NO_PHONE = "phone:+84912345678", "phone:+84912345679"
SCHEMA = build_schema()


async def _answer(store, principal, query, **variables):
    result = await SCHEMA.execute(query, variable_values=variables,
                                  context_value=Context(store, principal, "r", lookup_budget=hourly_budget(0)))
    errors = [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []]
    return json.dumps({"data": result.data, "errors": errors, "extensions": result.extensions or {}}, sort_keys=True)


async def _same_as_missing(store, query, real, missing, **variables):
    """The answer for ``real`` equals the one for ``missing`` once the ids are swapped back."""
    def fill(value):
        return {k: [x.replace("ID", value) for x in v] if isinstance(v, list) else v.replace("ID", value)
                for k, v in variables.items()}
    with_real = await _answer(store, TH, query, **fill(real))
    with_missing = await _answer(store, TH, query, **fill(missing))
    assert with_real == with_missing.replace(missing, real)
    return with_real


@pytest.mark.parametrize(("real", "missing"), [(VICTIM, NOBODY), (PHONE, NO_PHONE)])
async def test_entity_by_a_victims_real_id_is_not_found_like_a_missing_id(backend_store, real, missing):
    answer = await _same_as_missing(backend_store, "query ($id: String!) { entity(id: $id) { lintasId } }",
                                    real, missing, id="ID")
    assert f"no entity with id '{real}'" in answer and "NOT_FOUND" in answer and "vid:" not in answer


async def test_entities_and_node_answer_null_for_victims_ids_typed_in_clear(backend_store):
    answer = await _same_as_missing(
        backend_store, "query ($ids: [String!]!) { entities(ids: $ids) { lintasId } }", VICTIM, NOBODY,
        ids=["ID", "per-somchai", "ID"],
    )
    assert json.loads(answer)["data"]["entities"] == [None, {"lintasId": "per-somchai"}, None]
    gid = "UGVyc29uOnBlci1uZ3V5ZW4tdmFuLWFu"  # base64("Person:per-nguyen-van-an")
    node = await _answer(backend_store, TH, "query ($id: ID!) { node(id: $id) { id } }", id=gid)
    assert json.loads(node)["data"] == {"node": None}


async def test_the_victims_token_still_finds_the_victim(backend_store):
    token = victim_ids().opaque(VICTIM)
    answer = json.loads(await _answer(backend_store, TH, "query ($ids: [String!]!) { entities(ids: $ids) "
                                      "{ lintasId } }", ids=[token, victim_ids().opaque(PHONE)]))
    assert answer["data"]["entities"] == [{"lintasId": token}, {"lintasId": victim_ids().opaque(PHONE)}]


async def test_victim_data_holders_still_find_victims_by_their_real_ids(backend_store):
    answer = json.loads(await _answer(backend_store, TH_VICTIMS, "query ($ids: [String!]!) { entities(ids: $ids) "
                                      "{ lintasId } }", ids=[VICTIM, PHONE]))
    assert answer["data"]["entities"] == [{"lintasId": VICTIM}, {"lintasId": PHONE}]


@pytest.mark.parametrize("query", [
    "query ($id: String!) { neighborhood(id: $id) { nodes { lintasId } } }",
    'query ($id: String!) { shortestPaths(fromId: $id, toId: "per-zhao-wei") { length } }',
    'query ($id: String!) { shortestPaths(fromId: "per-zhao-wei", toId: $id) { length } }',
    "query ($id: String!) { coTravellers(personId: $id) { travellers { person { lintasId } } } }",
    "query ($id: String!) { moneyTrail(id: $id) { trails { reason } } }",
])
async def test_traversals_from_a_victims_real_id_answer_like_a_missing_id(backend_store, query):
    answer = await _same_as_missing(backend_store, query, VICTIM, NOBODY, id="ID")
    assert "vid:" not in answer


async def test_the_timeline_of_a_victims_phone_typed_in_clear_is_not_found_like_a_missing_ones(backend_store):
    query = "query ($ids: [String!]!) { timeline(ids: $ids) { edges { time } pageInfo { hasNextPage } } }"
    answer = await _same_as_missing(backend_store, query, PHONE, NO_PHONE, ids=["ID"])
    assert json.loads(answer)["errors"] == [[f"no entity with id '{PHONE}'", "NOT_FOUND"]]
    by_token = await _answer(backend_store, TH, query, ids=[victim_ids().opaque(PHONE)])
    assert json.loads(by_token)["data"]["timeline"]["edges"] == [{"time": "2024-09-12T08:15:00"}]


async def test_shared_identifiers_of_a_victim_typed_in_clear_are_not_found_like_a_missing_ones(backend_store):
    query = "query ($ids: [String!]!) { sharedIdentifiers(ids: $ids) { ties { a { lintasId } } } }"
    answer = await _same_as_missing(backend_store, query, VICTIM, NOBODY, ids=["ID"])
    assert json.loads(answer)["errors"] == [[f"no entity with id '{VICTIM}'", "NOT_FOUND"]]


async def test_restricted_lookup_of_a_victims_real_id_answers_and_costs_like_a_missing_id(backend_store):
    query = "query ($ids: [String!]!) { restrictedLookup(ids: $ids) { agency lintasId } }"
    budget = hourly_budget(1, name="victim-lookup-test")

    async def ask(ids):
        result = await SCHEMA.execute(query, variable_values={"ids": ids},
                                      context_value=Context(backend_store, TH, "r", lookup_budget=budget))
        return result.data, [e.message for e in result.errors or []]

    assert await ask([VICTIM]) == ({"restrictedLookup": []}, [])
    data, errors = await ask([NOBODY])  # the victim's id took the one unit, as a missing id does
    assert data == {"restrictedLookup": None} and errors and "restrictedLookup budget used up" in errors[0]


@pytest.mark.parametrize("query", [
    'query ($id: String!) { shortestPaths(fromId: "TOKEN", toId: $id) { length } }',
    'query ($id: String!) { paths(fromId: "TOKEN", toId: $id) { paths { length } } }',
    'query ($id: String!) { expand(ids: ["TOKEN", $id]) { nodes { lintasId } } }',
    'query ($id: String!) { expand(ids: ["TOKEN"], since: $id) { nodes { lintasId } } }',
])
@pytest.mark.parametrize(("real", "missing"), [(VICTIM, NOBODY), (PHONE, NO_PHONE)])
async def test_a_guess_beside_the_victims_token_answers_like_any_other_guess(backend_store, query, real, missing):
    """The token is public (any link chart shows it); an error naming a guess typed beside it
    must not turn the guess into the token when it is the victim's real id (attack 3, F2)."""
    answer = await _same_as_missing(backend_store, query.replace("TOKEN", victim_ids().opaque(real)),
                                    real, missing, id="ID")
    assert "vid:" not in answer and '"errors": []' not in answer
