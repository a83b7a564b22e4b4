"""A load spells a batch's new Thai name parts in one run of the RTGS model (issue 12/14)."""

from __future__ import annotations

import pytest
from ingest_helpers import node_props

from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology.types import script, thai_model

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

SEEN = "2026-01-01T00:00:00Z"
NAMES = {"th-1": "สมชาย ศรีสุข", "th-2": "ประเสริฐ เจริญ", "th-3": "ยิ่งลักษณ์ ชินวัตร", "th-4": "สมชาย ชินวัตร"}


async def test_a_batch_of_thai_names_is_spelled_by_one_model_run(backend_empty_store, monkeypatch) -> None:
    monkeypatch.setattr(script, "_THAI_FORMS", {})
    runs: list[list[str]] = []

    def counted(words):
        runs.append(sorted(set(words)))
        return thai_model.model_spellings(runs[-1])

    monkeypatch.setattr(script, "model_spellings", counted)
    records = [NodeRecord("Person", nid, {"name": name}, Origin("s1")) for nid, name in NAMES.items()]
    counts = await write_records(backend_empty_store, records, batch_size=10, provenance=Provenance(seen=SEEN))
    assert counts.nodes_created == 4
    assert runs == [sorted(["สมชาย", "ศรีสุข", "ประเสริฐ", "เจริญ", "ยิ่งลักษณ์", "ชินวัตร"])]
    assert "|somchai sisuk|" in (await node_props(backend_empty_store, "th-1"))["searchLatin"]
    assert "|prasoet charoen|" in (await node_props(backend_empty_store, "th-2"))["searchLatin"]
