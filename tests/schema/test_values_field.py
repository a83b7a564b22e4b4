"""``values(property:)`` and ``conflicts`` on every entity (issue 12): each value with the sources
that asserted it, conflicts in their typed shape, victims' values redacted like their fields."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query, build_schema
from graphapi.schema.schema import schema as graphql_schema
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids
from graphapi.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")

ANALYST = Principal("analyst-ph", agency="PH-NBI", roles=frozenset({"analyst"}))
BIRTH_DATES = """{ entity(id: "per-x") {
  ... on Person { birthDate }
  values(property: "birthDate") { value sources { source recordId firstSeen lastSeen owner tlp } }
} }"""


def _said(source: str, line: int, birth_date: str) -> NodeRecord:
    return NodeRecord("Person", "per-x", {"name": "Somsak X", "birthDate": [birth_date]},
                      Origin(source, f"{source}.csv", line))


async def test_values_lists_each_birth_date_with_the_source_that_gave_it(any_store) -> None:
    await any_store.clear()
    seen = Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-01-01T00:00:00")
    await write_records(any_store, [_said("a", 2, "1964"), _said("b", 5, "1964-02-01"), _said("c", 9, "1964-02")],
                        provenance=seen)
    result = await graphql_schema.execute(BIRTH_DATES, context_value=Context(any_store, ANALYST, "t"))
    assert result.errors is None, result.errors
    entity = result.data["entity"]
    assert entity["birthDate"] == ["1964", "1964-02-01", "1964-02"]
    assert entity["values"] == [
        {"value": v, "sources": [{"source": s, "recordId": f"{s}.csv:{line}", "firstSeen": "2026-01-01T00:00:00",
                                  "lastSeen": "2026-01-01T00:00:00", "owner": "TH-DSI", "tlp": "GREEN"}]}
        for v, s, line in (("1964", "a", 2), ("1964-02", "c", 9), ("1964-02-01", "b", 5))
    ]


async def test_conflicts_come_back_typed_not_as_json_text(empty_store) -> None:
    seen = Provenance(owner="TH-DSI", tlp="GREEN")
    await write_records(empty_store, [
        NodeRecord("Person", "per-x", {"name": "Somsak X", "gender": "male"}, Origin("a")),
        NodeRecord("Person", "per-x", {"name": "Somsak X", "gender": "female"}, Origin("b")),
    ], provenance=seen)
    query = '{ entity(id: "per-x") { conflicts { property value sources } ... on Person { gender } } }'
    result = await graphql_schema.execute(query, context_value=Context(empty_store, ANALYST, "t"))
    assert result.errors is None, result.errors
    assert result.data["entity"] == {"conflicts": [{"property": "gender", "value": "female", "sources": ["b"]}],
                                     "gender": "male"}


async def test_values_of_an_unknown_property_is_a_graphql_error(empty_store) -> None:
    await write_records(empty_store, [_said("a", 2, "1964")], provenance=Provenance(tlp="GREEN"))
    query = '{ entity(id: "per-x") { values(property: "shoeSize") { value } } }'
    result = await graphql_schema.execute(query, context_value=Context(empty_store, ANALYST, "t"))
    assert result.data is None or result.data["entity"] is None
    assert [e.extensions["code"] for e in result.errors] == ["BAD_USER_INPUT"]
    assert "shoeSize" in result.errors[0].message


async def test_values_of_a_misspelt_property_names_the_closest_one_in_production_too(empty_store) -> None:
    await write_records(empty_store, [_said("a", 2, "1964")], provenance=Provenance(tlp="GREEN"))
    production = build_schema(Settings(env="production"))  # strips graphql-core's schema-name hints
    query = '{ entity(id: "per-x") { values(property: "birthdate") { value } } }'
    result = await production.execute(query, context_value=Context(empty_store, ANALYST, "t"))
    assert [(e.message, e.extensions["code"]) for e in result.errors] == [(
        "property must be an ontology property sources assert, got 'birthdate'; did you mean 'birthDate'?",
        "BAD_USER_INPUT")]


async def test_values_of_a_victims_identifying_property_are_redacted_like_the_field(fixture_graph) -> None:
    schema = LintasSchema(query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
                          extensions=[PublicErrors, RedactVictims])
    query = """{ entity(id: "ID") {
      name: values(property: "name") { value } nationality: values(property: "nationality") { value } } }"""
    analyst = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
    officer = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
    token = victim_ids().opaque("per-nguyen-van-an")  # without victim-data the victim is reached by token
    hidden = await schema.execute(query.replace("ID", token), context_value=Context(fixture_graph, analyst, "t"))
    query = query.replace("ID", "per-nguyen-van-an")
    shown = await schema.execute(query, context_value=Context(fixture_graph, officer, "t"))
    assert hidden.errors is None and shown.errors is None, (hidden.errors, shown.errors)
    assert hidden.data["entity"] == {"name": [], "nationality": [{"value": "VN"}]}
    assert shown.data["entity"] == {"name": [{"value": "Nguyen Van An"}], "nationality": [{"value": "VN"}]}
