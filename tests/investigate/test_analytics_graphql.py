"""The analytics as GraphQL fields: shapes, errors, audit, and victim redaction through the same
extension as every other field."""

from functools import partial

import pytest

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_audit import AuditOperations
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.audit import AuditLog

pytestmark = pytest.mark.asyncio(loop_scope="session")

LA = Principal("analyst-la", agency="LA-MPS", roles=frozenset({"analyst"}))


def _schema(log: AuditLog) -> LintasSchema:
    return LintasSchema(
        query=Query,
        types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        extensions=[partial(AuditOperations, sink=log), PublicErrors, RedactVictims],
    )


async def _run(store, tmp_path, query, variables=None, principal=LA):
    log = AuditLog(tmp_path / "audit.jsonl")
    result = await _schema(log).execute(query, variable_values=variables, context_value=Context(store, principal, "r"))
    return result, list(log.entries())


MONEY = """query Trail($id: String!) {
  moneyTrail(id: $id, maxHops: 6, maxGap: "PT48H") {
    truncated
    trails { reason end { lintasId }
             hops { at amount currency approxAmount approxCurrency approxAsOf transfer { id sourceId targetId } } }
    endPoints { entity { lintasId __typename } reason trails }
    subgraph { nodes { lintasId } edges { id type } truncated }
  }
}"""


async def test_money_trail_field_answers_the_planted_chain_and_is_audited(planted_store, tmp_path):
    store, p = planted_store
    result, entries = await _run(store, tmp_path, MONEY, {"id": p.accounts["V1"]})
    assert result.errors is None, result.errors
    data = result.data["moneyTrail"]
    (trail,) = data["trails"]
    assert [h["transfer"]["id"] for h in trail["hops"]] == [p.transfers[k] for k in ("v1-m1", "m1-m2", "m2-m3", "m3-w")]
    assert [(h["amount"], h["currency"]) for h in trail["hops"]][-1] == (7400.0, "USDT")
    # beside each original amount, an approximate USD one of the shipped table's date
    assert [(h["approxCurrency"], h["approxAsOf"]) for h in trail["hops"]] == [("USD", "2024-12-31")] * 4
    assert trail["hops"][-1]["approxAmount"] == 7400.0
    assert trail["end"]["lintasId"] == p.accounts["W"] and trail["reason"] == "NO_ONWARD_TRANSFER"
    assert data["endPoints"] == [
        {"entity": {"lintasId": p.accounts["W"], "__typename": "CryptoWallet"}, "reason": "NO_ONWARD_TRANSFER",
         "trails": 1}]
    assert len(data["subgraph"]["nodes"]) == 5 and {e["type"] for e in data["subgraph"]["edges"]} == {"TRANSFERRED_TO"}
    (entry,) = entries
    assert entry["arguments"]["fields"] == ["moneyTrail"] and entry["outcome"] == "ok"


async def test_money_trail_field_bad_gap_is_a_graphql_error(planted_store, tmp_path):
    store, p = planted_store
    query = 'query T($id: String!) { moneyTrail(id: $id, maxGap: "soon") { truncated } }'
    result, entries = await _run(store, tmp_path, query, {"id": p.accounts["V1"]})
    assert list(result.data.values()) == [None] and result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert entries[0]["outcome"] == "error:BAD_USER_INPUT"


TIMELINE = """query T($ids: [String!]!, $after: String) {
  timeline(ids: $ids, relationshipTypes: [TRANSFERRED_TO], first: 2, after: $after) {
    edges { cursor time relationship { id type } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_timeline_field_pages_through_the_transfers_in_time_order(planted_store, tmp_path):
    store, p = planted_store
    first, _ = await _run(store, tmp_path, TIMELINE, {"ids": [p.accounts["M2"]]})
    page1 = first.data["timeline"]
    assert [e["time"] for e in page1["edges"]] == ["2025-01-10T04:00:00", "2025-01-10T05:00:00"]
    assert page1["pageInfo"]["hasNextPage"] is True
    after = page1["pageInfo"]["endCursor"]
    second, _ = await _run(store, tmp_path, TIMELINE, {"ids": [p.accounts["M2"]], "after": after})
    page2 = second.data["timeline"]
    assert [e["relationship"]["id"] for e in page2["edges"]] == [p.transfers["m2-m3"]]
    assert page2["pageInfo"]["hasNextPage"] is False


async def test_shared_identifiers_field_names_the_tying_phone(planted_store, tmp_path):
    store, p = planted_store
    query = """query S($ids: [String!]!) { sharedIdentifiers(ids: $ids) {
      ties { a { lintasId } b { lintasId } identifiers { lintasId __typename } } truncated } }"""
    result, _ = await _run(store, tmp_path, query, {"ids": [p.people["R4"]]})
    assert result.errors is None, result.errors
    (tie,) = result.data["sharedIdentifiers"]["ties"]
    assert {tie["a"]["lintasId"], tie["b"]["lintasId"]} == {p.people["R3"], p.people["R4"]}
    assert tie["identifiers"] == [{"lintasId": p.identifiers["ring-device"], "__typename": "Device"}]


COTRAVEL = """query C($id: String!) { coTravellers(personId: $id) {
  travellers { person { lintasId caption ... on Person { name } } count
    occasions { crossing { id } theirs { id ... on CrossedRelationship { document } } } }
  truncated } }"""


async def test_co_travellers_field_redacts_a_victim_traveller_for_analysts(planted_store, tmp_path):
    store, p = planted_store
    result, _ = await _run(store, tmp_path, COTRAVEL, {"id": p.people["T1"]})
    assert result.errors is None, result.errors
    travellers = result.data["coTravellers"]["travellers"]
    token = travellers[2]["person"]["lintasId"]  # the victim's id is an opaque vid: token to analysts
    assert token.startswith("vid:") and p.people["T2"] not in token
    # Ties by the ids shown: the victim's token sorts after per-pl-t3 and per-pl-t4.
    assert [(t["person"]["lintasId"], t["count"]) for t in travellers] == [
        (p.people["T3"], 2), (p.people["T4"], 2), (token, 2)]
    victim, other = travellers[2], travellers[0]
    assert victim["person"]["name"] is None and victim["person"]["caption"] == token
    assert victim["occasions"][0]["theirs"][0]["document"] is None
    assert other["person"]["name"] == "Planted Traveller T3"
    assert other["occasions"][0]["theirs"][0]["document"] == "PLT31"
    assert result.extensions["redacted"][token] == ["caption", "name"]


async def test_co_travellers_field_shows_the_victim_to_victim_data_holders(planted_store, tmp_path):
    store, p = planted_store
    officer = Principal("officer-la", agency="LA-MPS", roles=frozenset({"analyst", "victim-data"}))
    result, _ = await _run(store, tmp_path, COTRAVEL, {"id": p.people["T1"]}, principal=officer)
    assert result.data["coTravellers"]["travellers"][0]["person"]["name"] == "Planted Traveller T2"


async def test_co_travellers_field_unknown_person_is_not_found(planted_store, tmp_path):
    store, _ = planted_store
    result, _ = await _run(store, tmp_path, COTRAVEL, {"id": "per-nobody"})
    assert list(result.data.values()) == [None] and result.errors[0].extensions["code"] == "NOT_FOUND"


async def test_money_trail_field_unknown_currency_is_a_bad_user_input_error_naming_it(planted_store, tmp_path):
    store, p = planted_store
    query = 'query T($id: String!) { moneyTrail(id: $id, currencies: ["doubloons"]) { truncated } }'
    result, _ = await _run(store, tmp_path, query, {"id": p.accounts["V1"]})
    assert list(result.data.values()) == [None]
    (error,) = result.errors
    assert error.extensions["code"] == "BAD_USER_INPUT"
    assert error.message == "currencies must be ISO 4217 codes (or crypto tickers such as USDT), got ['doubloons']"


async def test_co_travellers_field_trims_the_person_id_like_entity_does(planted_store, tmp_path):
    store, p = planted_store
    result, _ = await _run(store, tmp_path, COTRAVEL, {"id": " " + p.people["T1"] + "\n"})
    assert result.errors is None, result.errors
    assert len(result.data["coTravellers"]["travellers"]) == 3


async def test_co_travellers_field_takes_the_victims_vid_token(planted_store, tmp_path):
    store, p = planted_store
    first, _ = await _run(store, tmp_path, COTRAVEL, {"id": p.people["T1"]})
    token = first.data["coTravellers"]["travellers"][0]["person"]["lintasId"]
    result, _ = await _run(store, tmp_path, COTRAVEL, {"id": token})
    assert result.errors is None, result.errors
    assert p.people["T1"] in [t["person"]["lintasId"] for t in result.data["coTravellers"]["travellers"]]


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (COTRAVEL, {"id": ""}, "personId is empty"),
        (COTRAVEL, {"id": "per-\x01x"}, "personId contains a control or format character U+0001"),
        (COTRAVEL, {"id": "x" * 4097}, "personId is over 4000 bytes"),
        (MONEY, {"id": "   "}, "id is blank"),
        (TIMELINE, {"ids": ["acc-1", ""]}, "ids[1] is empty"),
        ('query S($ids: [String!]!) { sharedIdentifiers(ids: $ids) { truncated } }', {"ids": ["a\x01"]},
         "ids[0] contains a control or format character"),
    ],
)
async def test_analytics_fields_refuse_a_bad_id_with_the_id_rule(planted_store, tmp_path, query, variables, message):
    store, _ = planted_store
    result, _ = await _run(store, tmp_path, query, variables)
    assert list(result.data.values()) == [None]
    assert result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert result.errors[0].message.startswith(message)


@pytest.mark.parametrize("query", [
    "query ($ids: [String!]!) { timeline(ids: $ids) { edges { time } } }",
    "query ($ids: [String!]!) { sharedIdentifiers(ids: $ids) { truncated } }",
])
async def test_timeline_and_shared_identifiers_answer_not_found_alike_for_a_missing_or_hidden_id(
        planted_store, tmp_path, query):
    store, p = planted_store
    hidden, missing = p.people["syn-hidden"], "per-pl-syn-hidde"
    answers = []
    for entity_id in (hidden, missing):
        result, _ = await _run(store, tmp_path, query, {"ids": [p.people["R1"], entity_id]})
        assert list(result.data.values()) == [None]
        (error,) = result.errors
        answers.append((error.message.replace(entity_id, "ID"), error.extensions["code"]))
    assert answers == [("no entity with id 'ID'", "NOT_FOUND")] * 2
