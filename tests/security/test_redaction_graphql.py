"""Victim redaction in GraphQL responses: fields read null (or [] / the id where non-null), and
``extensions.redacted`` says which; holders of ``victim-data`` see everything."""

import pytest

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
SCHEMA = LintasSchema(
    query=Query,
    types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
    extensions=[PublicErrors, RedactVictims],
)
VICTIM = victim_ids().opaque("per-nguyen-van-an")
PHONE = victim_ids().opaque("phone:+84912345678")
DOCUMENT = "document:9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"
QUERY = """query ($ids: [String!]!) {
  entities(ids: $ids) {
    lintasId caption
    ... on Person { name alias birthDate passportNumber nationality
      relationships(types: [CROSSED]) { edges { relationship { properties ... on CrossedRelationship { document } } } }
    }
    ... on Phone { number country }
  }
}"""


async def _run(store, principal):
    # without victim-data a victim is reached only by its token (its id answers as missing)
    ids = ["per-nguyen-van-an", "per-somchai", "phone:+84912345678"]
    if "victim-data" not in principal.roles:
        ids = [VICTIM, "per-somchai", PHONE]
    result = await SCHEMA.execute(QUERY, variable_values={"ids": ids}, context_value=Context(store, principal, "r"))
    assert result.errors is None, result.errors
    return {e["lintasId"]: e for e in result.data["entities"]}, result.extensions or {}


async def test_redaction_graphql_blanks_victims_for_analysts(fixture_graph):
    data, extensions = await _run(fixture_graph, TH)
    victim = data[VICTIM]
    assert victim["name"] is None and victim["alias"] == [] and victim["birthDate"] == []
    assert victim["passportNumber"] == [] and victim["caption"] == VICTIM
    assert victim["nationality"] == ["VN"]
    crossing = victim["relationships"]["edges"][0]["relationship"]
    assert crossing["document"] is None and crossing["properties"]["document"] is None
    assert data[PHONE]["number"] is None and data[PHONE]["country"] == "VN"
    assert data["per-somchai"]["name"] == "Somchai Prasert"
    assert data["per-somchai"]["relationships"]["edges"][0]["relationship"]["document"] == "AA1234567"
    redacted = extensions["redacted"]
    assert redacted[VICTIM] == ["alias", "birthDate", "caption", "name", "passportNumber"]
    assert redacted[PHONE] == ["caption", "number"]
    (crossing_id,) = set(redacted) - {VICTIM, PHONE}
    assert redacted[crossing_id] == ["document"]


async def test_redaction_graphql_shows_everything_to_victim_data_holders(fixture_graph):
    before = fixture_graph.stats.round_trips
    data, extensions = await _run(fixture_graph, TH_VICTIMS)
    assert data["per-nguyen-van-an"]["name"] == "Nguyen Van An"
    assert data["phone:+84912345678"]["number"] == "+84912345678"
    assert "redacted" not in extensions
    assert fixture_graph.stats.round_trips - before == 2  # entities + relationships: no redaction lookups


async def test_redaction_graphql_drops_search_hits_on_victims(fixture_graph):
    query = '{ search(text: "Nguyen Van An") { edges { node { lintasId } } } }'
    analyst = await SCHEMA.execute(query, context_value=Context(fixture_graph, TH, "r"))
    officer = await SCHEMA.execute(query, context_value=Context(fixture_graph, TH_VICTIMS, "r"))
    assert analyst.errors is None
    # The rescue interview's title names the victim too: the name finds it only for victim-data holders.
    assert analyst.data["search"]["edges"] == []
    assert {e["node"]["lintasId"] for e in officer.data["search"]["edges"]} == {"per-nguyen-van-an", DOCUMENT}
    phone = await SCHEMA.execute('{ search(text: "+84 91 234 5678") { edges { node { lintasId } } } }',
                                 context_value=Context(fixture_graph, TH, "r"))
    assert phone.data["search"]["edges"] == []
    other = await SCHEMA.execute('{ search(text: "Somchai") { edges { node { lintasId } } } }',
                                 context_value=Context(fixture_graph, TH, "r"))
    assert [e["node"]["lintasId"] for e in other.data["search"]["edges"]] == ["per-somchai"]
