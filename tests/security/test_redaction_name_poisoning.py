"""Name-scrubber poisoning (issue 10, item 6, second round): a loader names its own "victim" like
another agency's person or place; free text is scrubbed only where it can be about the victim (a
document in their neighbourhood, a relationship touching them), never another entity's own fields,
and a victim's names are capped. Fixture: TH-DSI's per-zhao-wei and compound Lucky Dragon Park."""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.victim_names import victim_names

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = LintasSchema(
    query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors, RedactVictims],
)
SEEN = "2026-01-01T00:00:00Z"


async def _ph_victim(store, person: str, name: str, aliases: list[str], document: str | None = None) -> None:
    """PH-NBI loads, GREEN, its own person as the victim of its own case (and a document of the case)."""
    model = load_model()
    origin = Origin("poison@PH-NBI", "x.csv", 1)
    case = {"agency": "PH-NBI", "caseNumber": "PH-" + person, "title": "case"}
    case_id = model.node_id("Case", case)
    records = [
        NodeRecord("Person", person, {"name": name, "alias": aliases}, origin),
        NodeRecord("Case", case_id, case, origin),
        EdgeRecord("INVOLVED_IN", model.relationship_id("INVOLVED_IN", person, case_id), person, case_id,
                   {"role": "victim"}, origin),
    ]
    if document is not None:
        doc = {"sha256": document, "title": "statement"}
        doc_id = model.node_id("Document", doc)
        records += [NodeRecord("Document", doc_id, doc, origin),
                    EdgeRecord("EVIDENCE_FOR", model.relationship_id("EVIDENCE_FOR", doc_id, case_id), doc_id, case_id,
                               {}, origin)]
    await write_records(store, records, provenance=Provenance(owner="PH-NBI", tlp="GREEN", seen=SEEN),
                        source="poison@PH-NBI")


async def _data(store, query: str) -> dict:
    result = await SCHEMA.execute(query, context_value=Context(store, TH, "r"))
    assert result.errors is None, result.errors
    return result.data


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victim_named_like_another_agencys_person_blanks_nothing_of_theirs(fixture_graph):
    await _ph_victim(fixture_graph, "per-ph-zhao", "Zhao Wei", ["Lucky Dragon", "Mae Sot"])
    data = await _data(fixture_graph, '{ a: entity(id: "per-zhao-wei") { caption ... on Person { name } } '
                                      'b: entity(id: "cmp-lucky-dragon") { caption } '
                                      'c: search(text: "Zhao Wei") { edges { node { lintasId } } } }')
    assert data["a"] == {"caption": "Zhao Wei", "name": "Zhao Wei"}
    assert data["b"] == {"caption": "Lucky Dragon Park"}
    assert [e["node"]["lintasId"] for e in data["c"]["edges"]] == ["per-zhao-wei"]


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_thousands_of_aliases_are_capped_at_twenty(fixture_graph):
    sha = "ab" * 32
    aliases = [f"Alias Number {i:04d}" for i in range(2000)]
    await _ph_victim(fixture_graph, "per-ph-many", "Many Aliases Person", aliases, document=sha)
    doc_id = load_model().node_id("Document", {"sha256": sha, "title": "statement"})
    scrubber = (await victim_names(fixture_graph, TH, [doc_id]))[doc_id]
    assert scrubber.scrub("Many Aliases Person / Alias Number 0018 / Alias Number 0500") == \
        "[redacted] / [redacted] / Alias Number 0500"
