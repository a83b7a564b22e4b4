"""A victim's identity document is protected like their phone and bank account (issue 13: identity
documents are shared identifier nodes). Fixture: Nguyen Van An is TH-DSI's victim."""

import pytest

from graphapi.ingest.identity.documents import document_records
from graphapi.ingest.records import Origin
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
from graphapi.security.redaction import protected_ids

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
SCHEMA = LintasSchema(
    query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors, RedactVictims],
)
VICTIM = "per-nguyen-van-an"
PASSPORT = "identity:VN|C1234567"


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_passport_is_protected_like_their_phone(fixture_graph):
    origin = Origin("p@TH-DSI", "x.csv", 1)
    records = document_records(load_model(), VICTIM, "C123-4567", "Viet Nam", "passport", origin)
    await write_records(fixture_graph, records, source="p@TH-DSI",
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-01-01T00:00:00Z"))
    assert await protected_ids(fixture_graph, VN, [PASSPORT]) == {PASSPORT}
    query = f'{{ entity(id: "{PASSPORT}") {{ lintasId ... on IdentityDocument {{ number country }} }} }}'
    result = await SCHEMA.execute(query, context_value=Context(fixture_graph, VN, "r"))
    assert result.errors is None, result.errors
    assert result.data["entity"]["number"] is None and result.data["entity"]["country"] == "VN"
    assert result.data["entity"]["lintasId"].startswith("vid:")
    assert (await search(fixture_graph, VN, "C1234567", first=5)).hits == []
