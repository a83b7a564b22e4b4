"""A relationship a record says again, stored as created from that very record, is found by the
digest it keeps (``ingest/relationship_digests``, ``edge_digests.edge_digest``): a reload sends one id
and one hash per relationship, not its properties to ``ingest/add_relationships`` (issue 14: that
compare was the largest part of a reload's store time). Every other write of a relationship clears
its digest, so what such a write changed is compared whole, as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphapi.bench.load import TimedStore
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "seed" / "samples" / "transfers.synthetic.csv"
PROV = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-03-01T00:00:00")
LATER = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-04-01T00:00:00")


def _transfers() -> MappedCsvReader:
    return MappedCsvReader(load_mapping("transfers"), [SAMPLE])


async def test_the_same_file_again_sends_no_relationship_to_add_relationships(backend_empty_store) -> None:
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    counted = TimedStore(backend_empty_store)

    again = await run_load(counted, _transfers(), source="bank", provenance=PROV)

    assert (again.relationships_unchanged, again.relationships_written) == (438, 0)
    assert counted.calls["ingest/add_relationships"] == 0
    assert counted.calls["ingest/relationship_digests"] >= 1


async def test_the_same_file_seen_later_is_compared_whole_and_counted_seen(backend_empty_store) -> None:
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    counted = TimedStore(backend_empty_store)

    later = await run_load(counted, _transfers(), source="bank", provenance=LATER)

    assert (later.relationships_unchanged, later.relationships_seen, later.relationships_written) == (438, 438, 0)
    assert counted.calls["ingest/add_relationships"] >= 1


async def test_a_relationship_written_since_it_was_created_is_compared_whole(backend_empty_store) -> None:
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=PROV)
    await run_load(backend_empty_store, _transfers(), source="bank", provenance=LATER)  # merged: digests cleared
    counted = TimedStore(backend_empty_store)

    again = await run_load(counted, _transfers(), source="bank", provenance=LATER)

    assert (again.relationships_unchanged, again.relationships_seen, again.relationships_written) == (438, 0, 0)
    assert counted.calls["ingest/add_relationships"] >= 1


def _writes_relationships(text: str) -> bool:
    return "placeholder type: relationship" in text and "mode: write" in text and re.search(r"\bSET r\b", text)


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "cypher").rglob("*.cypher")
    if _writes_relationships(p.read_text()) and p.stem not in {"add_relationships", "bare_create_relationships"}))
def test_every_other_write_of_a_relationship_clears_its_digest(path: str) -> None:
    assert "REMOVE r.digest" in (ROOT / path).read_text()
