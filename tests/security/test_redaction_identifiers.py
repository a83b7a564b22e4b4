"""More of a victim's identifying data (issue 10, item 10): tax numbers, bank accounts, and phone
numbers written in a document of their case. Fixture: Nguyen Van An is TH-DSI's victim in case
DSI-2025-0142 and uses phone +84912345678; account VN:BFTVVNVX:0011004455667 is TH-DSI's, GREEN."""

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
from graphapi.security.redaction import protected_ids
from graphapi.security.victim_ids import victim_ids
from graphapi.security.victim_names import victim_names

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
SCHEMA = LintasSchema(
    query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors, RedactVictims],
)
VICTIM = "per-nguyen-van-an"
CASE = "case:TH-DSI|DSI-2025-0142"
ACCOUNT = "account:VN:BFTVVNVX:0011004455667"
ORIGIN = Origin("more@TH-DSI", "x.csv", 1)


async def _th_loads(store, records) -> None:
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-01-01T00:00:00Z"),
                        source="more@TH-DSI")


async def _data(store, principal, query: str) -> dict:
    result = await SCHEMA.execute(query, context_value=Context(store, principal, "r"))
    assert result.errors is None, result.errors
    return result.data


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_tax_number_is_redacted_in_their_case_documents(fixture_graph):
    await _th_loads(fixture_graph, [NodeRecord("Person", VICTIM, {"name": "Nguyen Van An", "taxNumber": ["8012345678"]},
                                               ORIGIN)])
    doc = "document:9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"
    scrubber = (await victim_names(fixture_graph, TH, [doc]))[doc]
    assert scrubber.scrub("tax id 8012345678") == "tax id [redacted]"


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_bank_account_is_protected_like_their_phone(fixture_graph):
    rel = load_model().relationship_id("HOLDS_ACCOUNT", VICTIM, ACCOUNT)
    await _th_loads(fixture_graph, [EdgeRecord("HOLDS_ACCOUNT", rel, VICTIM, ACCOUNT, {}, ORIGIN)])
    assert await protected_ids(fixture_graph, VN, [ACCOUNT]) == {ACCOUNT}
    token = victim_ids().opaque(ACCOUNT)
    query = f'{{ entity(id: "{token}") {{ lintasId ... on BankAccount {{ accountNumber }} }} }}'
    data = await _data(fixture_graph, VN, query)
    assert data["entity"] == {"lintasId": token, "accountNumber": None}
    assert (await search(fixture_graph, VN, "0011004455667", first=5)).hits == []


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_phone_number_in_a_case_document_title_is_redacted(fixture_graph):
    model = load_model()
    doc = {"sha256": "cd" * 32, "title": "CDR extract for +84912345678 (0912345678)"}
    doc_id = model.node_id("Document", doc)
    await _th_loads(fixture_graph, [
        NodeRecord("Document", doc_id, doc, ORIGIN),
        EdgeRecord("EVIDENCE_FOR", model.relationship_id("EVIDENCE_FOR", doc_id, CASE), doc_id, CASE, {}, ORIGIN),
    ])
    data = await _data(fixture_graph, TH, f'{{ entity(id: "{doc_id}") {{ ... on Document {{ title }} }} }}')
    assert data["entity"]["title"] == "CDR extract for [redacted] ([redacted])"


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize(("label", "props", "rel_type", "node_id"), [
    ("Device", {"imei": "353783750608824"}, "USES_DEVICE", "device:353783750608824"),
    ("CryptoWallet", {"address": "TVictimWalletAddr0000000000000001", "chain": "TRX"}, "CONTROLS_WALLET",
     "wallet:TVictimWalletAddr0000000000000001"),
    ("Address", {"full": "12 Ngo Quyen, Ha Noi", "addressKey": "12 ngo quyen ha noi vn"}, "LOCATED_AT",
     "address:12 ngo quyen ha noi vn"),
])
async def test_a_victims_device_wallet_and_home_address_are_protected_like_their_phone(
        fixture_graph, label, props, rel_type, node_id):
    rel = load_model().relationship_id(rel_type, VICTIM, node_id)
    await _th_loads(fixture_graph, [NodeRecord(label, node_id, props, ORIGIN),
                                    EdgeRecord(rel_type, rel, VICTIM, node_id, {}, ORIGIN)])
    assert await protected_ids(fixture_graph, VN, [node_id]) == {node_id}
    assert node_id not in [h.node.id for h in (await search(fixture_graph, VN, next(iter(props.values())))).hits]
    token = victim_ids().opaque(node_id)
    data = await _data(fixture_graph, VN, f'{{ entity(id: "{token}") {{ lintasId caption }} }}')
    assert data["entity"] == {"lintasId": token, "caption": token}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_dataset_and_file_named_after_the_victim_are_redacted_on_the_victims_node(fixture_graph):
    source = "ftm@KH-NP:rescue-nguyen-van-an"
    await write_records(fixture_graph, [NodeRecord("Person", VICTIM, {"name": "Nguyen Van An", "nationality": ["VN"]},
                                                   Origin(source, "nguyen_van_an_interview.ftm", 1))],
                        provenance=Provenance(owner="KH-NP", tlp="GREEN"), source=source)
    query = (f'{{ entity(id: "{victim_ids().opaque(VICTIM)}") {{ sources '
             'values(property: "nationality") { sources { source recordId } } } }')
    shown = str(await _data(fixture_graph, VN, query))
    assert "nguyen" not in shown.lower()
