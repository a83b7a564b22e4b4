"""``values(property:)`` and ``conflicts`` on every relationship (issue 12), in the shape entities
answer them: each value with the sources that asserted it, visibility per statement, victims'
values redacted like the relationship's fields; a relationship loaded before relationships had
statements still reads."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.schema import schema as graphql_schema
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids

pytestmark = pytest.mark.asyncio(loop_scope="session")

GREEN = Provenance(owner="public", tlp="GREEN", seen="2026-01-01T00:00:00")
TH_AMBER = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-02-01T00:00:00")
PH = Principal("analyst-ph", agency="PH-NBI", roles=frozenset({"analyst"}))
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
ENDS = [NodeRecord("Person", "per-a", {"name": "Alpha"}), NodeRecord("Company", "co-c", {"name": "Gamma Co"})]
SHARES = """{ entity(id: "per-a") { relationships(types: [OWNS]) { edges { relationship {
  ... on OwnsRelationship { share }
  values(property: "share") { value sources { source recordId firstSeen lastSeen owner tlp } }
  conflicts { property value sources }
} } } } }"""


def _owns(source: str, line: int, share: float) -> EdgeRecord:
    return EdgeRecord("OWNS", "owns-ac", "per-a", "co-c", {"share": share}, Origin(source, f"{source}.csv", line))


async def _relationship(store, principal: Principal, query: str = SHARES) -> dict:
    result = await graphql_schema.execute(query, context_value=Context(store, principal, "t"))
    assert result.errors is None, result.errors
    [edge] = result.data["entity"]["relationships"]["edges"]
    return edge["relationship"]


async def test_relationship_values_list_each_share_with_the_source_that_gave_it(any_store) -> None:
    await any_store.clear()
    await write_records(any_store, [*ENDS, _owns("registry", 3, 51.0)], provenance=GREEN, source="registry")
    await write_records(any_store, [_owns("leak", 9, 60.0)], provenance=GREEN, source="leak")
    rel = await _relationship(any_store, PH)
    assert rel["share"] == 51.0
    assert rel["values"] == [
        {"value": v, "sources": [{"source": s, "recordId": f"{s}.csv:{line}", "firstSeen": "2026-01-01T00:00:00",
                                  "lastSeen": "2026-01-01T00:00:00", "owner": "public", "tlp": "GREEN"}]}
        for v, s, line in (("51.0", "registry", 3), ("60.0", "leak", 9))]
    assert rel["conflicts"] == [{"property": "share", "value": "60.0", "sources": ["leak"]}]


async def test_another_agencys_amber_statement_on_a_green_relationship_is_shown_to_that_agency_only(
        any_store) -> None:
    await any_store.clear()
    await write_records(any_store, [*ENDS, _owns("registry", 3, 51.0)], provenance=GREEN, source="registry")
    await write_records(any_store, [_owns("th", 5, 51.0)], provenance=TH_AMBER, source="th")
    seen_by = {}
    for who in (PH, TH):
        rel = await _relationship(any_store, who)
        seen_by[who.agency] = {v["value"]: sorted(s["source"] for s in v["sources"]) for v in rel["values"]}
    assert seen_by == {"PH-NBI": {"51.0": ["registry"]}, "TH-DSI": {"51.0": ["registry", "th"]}}


async def test_a_relationship_loaded_before_relationship_statements_reads_its_fields_and_no_values(
        any_store) -> None:
    await any_store.clear()
    await write_records(any_store, [*ENDS, _owns("registry", 3, 51.0)], provenance=GREEN, source="registry")
    await any_store.write("provenance/delete_statements_about", {"ids": ["owns-ac"]})  # as an older store holds it
    rel = await _relationship(any_store, PH)
    assert (rel["share"], rel["values"], rel["conflicts"]) == (51.0, [], [])


async def test_relationship_values_of_a_property_its_types_lack_is_a_graphql_error(empty_store) -> None:
    await write_records(empty_store, [*ENDS, _owns("registry", 3, 51.0)], provenance=GREEN, source="registry")
    result = await graphql_schema.execute(SHARES.replace('"share"', '"birthDate"'),
                                          context_value=Context(empty_store, PH, "t"))
    assert [e.extensions["code"] for e in result.errors] == ["BAD_USER_INPUT"]
    assert "birthDate" in result.errors[0].message


async def test_relationship_values_of_a_victims_travel_document_are_redacted_like_the_field(fixture_graph) -> None:
    schema = LintasSchema(query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
                          extensions=[PublicErrors, RedactVictims])
    query = """{ entity(id: "ID") { relationships(types: [CROSSED]) { edges { relationship {
      document: values(property: "document") { value } direction: values(property: "direction") { value }
    } } } } }"""
    officer = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
    token = victim_ids().opaque("per-nguyen-van-an")
    hidden = await schema.execute(query.replace("ID", token), context_value=Context(fixture_graph, TH, "t"))
    shown = await schema.execute(query.replace("ID", "per-nguyen-van-an"),
                                 context_value=Context(fixture_graph, officer, "t"))
    assert hidden.errors is None and shown.errors is None, (hidden.errors, shown.errors)
    [hidden_edge], [shown_edge] = (r.data["entity"]["relationships"]["edges"] for r in (hidden, shown))
    assert hidden_edge["relationship"] == {"document": [], "direction": [{"value": "exit"}]}
    assert shown_edge["relationship"] == {"document": [{"value": "C7654321"}], "direction": [{"value": "exit"}]}
