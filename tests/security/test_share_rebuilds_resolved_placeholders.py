"""Sharing a node further drops another agency's narrower values from its fields also when the node
began as a placeholder (attack round 4, H5, a way around round 3's G5 fix): TH-DSI's FtM file names
per-beta as a relative without a row for it (a placeholder, source ``th-refs``: no statement),
TH-DSI's feed then describes per-beta, VN-MPS merges a passport number and a note shared with
TH-DSI alone, and TH-DSI shares per-beta with KH-NP. ``rebuild_values`` skips a node whose
``sources`` are not all covered by statements, so KH-NP read VN-MPS's passport and note."""

import json
from pathlib import Path

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security import Principal
from graphapi.security.share import share

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_SUP = Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"}))
KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
TH_AMBER = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS",))


async def _placeholder_resolved_then_merged(store, tmp_path: Path) -> None:
    refs = tmp_path / "refs.json"
    refs.write_text("\n".join(json.dumps(d) for d in [
        {"id": "per-a", "schema": "Person", "properties": {"name": ["Alpha One"]}},
        {"id": "fam-ab", "schema": "Family", "properties": {"person": ["per-a"], "relative": ["per-beta"]}},
    ]) + "\n", encoding="utf-8")
    summary = await run_load(store, FtmReader([refs], source="th-refs"), source="th-refs", provenance=TH_AMBER)
    assert summary.unresolved == 1  # per-beta: a placeholder
    await write_records(store, [NodeRecord("Person", "per-beta", {"name": "Beta Two"})], provenance=TH_AMBER,
                        source="th-feed")
    await write_records(store, [NodeRecord("Person", "per-beta", {
        "passportNumber": ["VN1234567"], "notes": "VN informant"})],
        provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("TH-DSI",)), source="vn-feed")


async def test_sharing_a_resolved_placeholder_with_a_third_agency_drops_values_shared_with_the_owner_alone(
        backend_empty_store, tmp_path):
    await _placeholder_resolved_then_merged(backend_empty_store, tmp_path)
    await share(backend_empty_store, TH_SUP, ["per-beta"], ["KH-NP"])
    (node,) = (await get_nodes(backend_empty_store, KH, ["per-beta"])).values()
    assert (node.properties["name"], node.properties.get("passportNumber"), node.properties.get("notes")) == (
        "Beta Two", None, None)


async def test_sharing_a_node_partly_written_before_statements_drops_the_values_no_statement_asserts(
        backend_empty_store):
    # written before the statement model: VN-MPS's note merged into the fields, no statement says it
    await backend_empty_store.write_batches("ingest/create_nodes", [{"id": "per-gamma", "props": {
        "name": "Gamma Three", "notes": "VN informant", "sources": ["th-old", "vn-old"], "owner": "TH-DSI",
        "tlp": "AMBER", "sharedWith": ["VN-MPS"]}}], labels="Person")
    await write_records(backend_empty_store, [NodeRecord("Person", "per-gamma", {"name": "Gamma Three"})],
                        provenance=TH_AMBER, source="th-feed")
    await share(backend_empty_store, TH_SUP, ["per-gamma"], ["KH-NP"])
    (node,) = (await get_nodes(backend_empty_store, KH, ["per-gamma"])).values()
    assert (node.properties["name"], node.properties.get("notes")) == ("Gamma Three", None)
