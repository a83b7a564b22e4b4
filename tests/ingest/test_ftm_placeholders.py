"""FtM placeholders: a reference to an id no entity of the files has makes a node flagged
``unresolved`` that asserts no value (no ``full`` address, no name): its caption is its id, it
still takes its links, and the real entity fills it when it arrives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.entities import get_node
from graphapi.security import DEMO_PRINCIPAL

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
LIVES_AT_MISSING = {"id": "p1", "schema": "Person",
                    "properties": {"name": ["Somchai Jaidee"], "addressEntity": ["addr-missing"]}}
OWNED_BY_MISSING = {"id": "own1", "schema": "Ownership", "properties": {"owner": ["per-missing"], "asset": ["co1"]}}
COMPANY = {"id": "co1", "schema": "Company", "properties": {"name": ["Lucky Star Co"]}}


def _file(tmp_path: Path, name: str, *docs: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


async def test_a_stored_address_placeholder_has_no_full_and_is_captioned_by_its_id(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    s = await run_load(store, FtmReader([_file(tmp_path, "a.ftm.json", LIVES_AT_MISSING)]), source="ftm",
                       provenance=PROV)
    assert (s.unresolved, s.placeholders_excluded, s.relationships_written) == (1, 0, 1)  # LOCATED_AT kept
    stored = await node_props(store, "addr-missing")
    assert "full" not in stored and "addressKey" not in stored and stored["unresolved"] is True
    node = await get_node(store, DEMO_PRINCIPAL, "addr-missing")
    assert (node.label, node.properties["caption"], node.properties.get("full")) == ("Address", "addr-missing", None)


async def test_an_owner_placeholder_has_no_name_and_is_captioned_by_its_id(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    await run_load(store, FtmReader([_file(tmp_path, "o.ftm.json", OWNED_BY_MISSING, COMPANY)]), source="ftm",
                   provenance=PROV)
    stored = await node_props(store, "per-missing")
    assert "name" not in stored and stored["caption"] == "per-missing" and stored["unresolved"] is True


async def test_the_real_entity_fills_a_placeholder_with_its_own_values(backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    await run_load(store, FtmReader([_file(tmp_path, "o.ftm.json", OWNED_BY_MISSING, COMPANY)]), source="ftm",
                   provenance=PROV)
    real = {"id": "per-missing", "schema": "Person", "properties": {"name": ["Chen Wei"]}}
    await run_load(store, FtmReader([_file(tmp_path, "p.ftm.json", real)]), source="ftm", provenance=PROV)
    stored = await node_props(store, "per-missing")
    assert (stored["name"], stored["caption"], "unresolved" in stored, "conflicts" in stored) == (
        "Chen Wei", "Chen Wei", False, False)
