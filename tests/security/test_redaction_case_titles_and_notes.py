"""A case's title and other entities' notes naming a victim (issue 10): redacted when the entity
is in the victim's neighbourhood (linked to the victim, or to a case the victim is in, by links the
reader may see), and such a case never matches a search, whatever the words, so search is no
oracle for the victim's name.

Before: only documents were; the case "Trafficking of Nguyen Van An" was found by "nguyen van an"
and showed the name, and so did the notes of the suspect who recruited him.
Fixture: Nguyen Van An is TH-DSI's victim (case DSI-2025-0142), recruited by Somchai Prasert."""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
SCHEMA = LintasSchema(
    query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors, RedactVictims],
)
CASE = "case:TH-DSI|DSI-2025-0999"
VICTIM = "per-nguyen-van-an"
ORIGIN = Origin("more@TH-DSI", "x.csv", 1)


async def _th_loads(store, records) -> None:
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="more@TH-DSI")


async def _data(store, principal, query: str) -> dict:
    result = await SCHEMA.execute(query, context_value=Context(store, principal, "r"))
    assert result.errors is None, result.errors
    return result.data


async def test_a_case_title_naming_its_victim_is_redacted_and_never_matches(backend_store):
    await _th_loads(backend_store, [
        NodeRecord("Case", CASE, {"agency": "TH-DSI", "caseNumber": "DSI-2025-0999",
                                  "title": "Trafficking of Nguyen Van An"}, ORIGIN),
        EdgeRecord("INVOLVED_IN", load_model().relationship_id("INVOLVED_IN", VICTIM, CASE), VICTIM, CASE,
                   {"role": "victim"}, ORIGIN)])
    query = f'{{ entity(id: "{CASE}") {{ caption ... on Case {{ title }} }} }}'
    assert (await _data(backend_store, TH, query))["entity"] == {
        "caption": "Trafficking of [redacted]", "title": "Trafficking of [redacted]"}
    for text in ("nguyen van an", "nguyen", "trafficking", "DSI-2025-0999"):
        assert CASE not in [h.node.id for h in (await search(backend_store, TH, text, first=20)).hits], text
    assert CASE in [h.node.id for h in (await search(backend_store, TH_VICTIMS, "nguyen van an", first=20)).hits]


async def test_the_notes_of_the_suspect_who_recruited_a_victim_are_redacted(backend_store):
    await _th_loads(backend_store, [NodeRecord("Person", "per-somchai", {
        "name": "Somchai Prasert", "notes": "Recruited Nguyen Van An in Hanoi, 2024"}, ORIGIN)])
    query = '{ entity(id: "per-somchai") { caption ... on Person { name notes } } }'
    assert (await _data(backend_store, TH, query))["entity"] == {
        "caption": "Somchai Prasert", "name": "Somchai Prasert", "notes": "Recruited [redacted] in Hanoi, 2024"}
