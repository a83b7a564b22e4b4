"""``conflicts`` of an entity in a victim's neighbourhood (a case the victim is in, the document
that is evidence for it) hold the disagreeing values of free text like its ``title``: for a
reader without ``victim-data`` they are redacted like ``values(property: "title")``, and the field
answers (it is no error). Fixture: Nguyen Van An is TH-DSI's victim in case DSI-2025-0142, for
which the rescue-interview document is evidence."""

import pytest

from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()
CASE = "case:TH-DSI|DSI-2025-0142"
SHA = "9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"
KH = Origin("ftm@KH-NP", "kh.json", 1)


async def _kh_loads(store, record) -> None:
    """Another agency's GREEN record that disagrees with the stored title: a recorded conflict."""
    await write_records(store, [record], provenance=Provenance(owner="KH-NP", tlp="GREEN"), source="ftm@KH-NP")


async def _conflicts(store, entity_id):
    query = f'{{ entity(id: "{entity_id}") {{ conflicts {{ property value }} }} }}'
    result = await SCHEMA.execute(query, context_value=Context(store, TH, "r"))
    return result


async def test_a_conflicting_case_title_naming_the_victim_is_redacted_in_conflicts(backend_store):
    await _kh_loads(backend_store, NodeRecord("Case", CASE, {
        "agency": "TH-DSI", "caseNumber": "DSI-2025-0142", "title": "Rescue of Nguyen Van An"}, KH))
    result = await _conflicts(backend_store, CASE)
    assert result.errors is None
    titles = [c["value"] for c in result.data["entity"]["conflicts"] if c["property"] == "title"]
    assert titles == ["Rescue of [redacted]"]


async def test_the_conflicts_of_a_document_about_a_victim_answer_redacted(backend_store):
    await _kh_loads(backend_store, NodeRecord("Document", f"document:{SHA}", {
        "sha256": SHA, "title": "Second interview of Nguyen Van An"}, KH))
    result = await _conflicts(backend_store, f"document:{SHA}")
    assert result.errors is None
    titles = [c["value"] for c in result.data["entity"]["conflicts"] if c["property"] == "title"]
    assert titles == ["Second interview of [redacted]"]
