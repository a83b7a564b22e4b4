"""A second partner's layout of the border-crossing log (graphapi/ingest/synthetic_layouts.py,
seed/mappings/partners/crossings-tm.yaml): other column names, day-first dates, Thai words;
the same facts, so the same nodes, through its mapping alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import graph_counts

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.synthetic_layouts import generate_layout
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "seed" / "samples"
TM = REPO / "seed" / "mappings" / "partners" / "crossings-tm.yaml"
PROV = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-03-01T00:00:00")


def _records(mapping: str | Path, path: Path) -> tuple[list, MappedCsvReader]:
    reader = MappedCsvReader(load_mapping(mapping), [path])
    return list(reader.records()), reader


def test_tm_layout_sample_matches_its_generator(tmp_path: Path) -> None:
    fresh = generate_layout("crossings-tm", 400, tmp_path / "tm.csv")
    assert fresh.read_bytes() == (SAMPLES / "crossings-tm.synthetic.csv").read_bytes()


def test_tm_layout_writes_the_partners_style() -> None:
    header, first = (SAMPLES / "crossings-tm.synthetic.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("ลำดับ,Traveller No,Name (as in passport)")
    assert first == ("TM6-000000000-0,P-0000015,Nari Santos,KHM,01.04.1983,G7576565,kh-th-pailin,"
                     "Pailin - Ban Pakkard,KH/TH,ทางบก,ออก,25/05/2026 06:47:54")


def test_tm_layout_makes_the_same_nodes_and_crossings_as_the_first_layout() -> None:
    a, reader_a = _records("crossings", SAMPLES / "crossings.synthetic.csv")
    b, reader_b = _records(TM, SAMPLES / "crossings-tm.synthetic.csv")
    assert (reader_b.stats.rows, reader_b.stats.rejected) == (reader_a.stats.rows, reader_a.stats.rejected) == (400, 0)
    assert [(n.label, n.id, n.properties) for n in b if isinstance(n, NodeRecord)] == [
        (n.label, n.id, n.properties) for n in a if isinstance(n, NodeRecord)]
    assert [(e.start, e.end, e.properties) for e in b if isinstance(e, EdgeRecord)] == [
        (e.start, e.end, e.properties) for e in a if isinstance(e, EdgeRecord)]


async def test_tm_layout_loads_to_the_same_node_and_relationship_counts(empty_store) -> None:
    reader = MappedCsvReader(load_mapping("crossings"), [SAMPLES / "crossings.synthetic.csv"])
    first = await run_load(empty_store, reader, source="crossings", provenance=PROV)
    counts_a = await graph_counts(empty_store)
    await empty_store.clear()
    reader = MappedCsvReader(load_mapping(TM), [SAMPLES / "crossings-tm.synthetic.csv"])
    second = await run_load(empty_store, reader, source="crossings-tm", provenance=PROV)
    assert await graph_counts(empty_store) == counts_a
    assert (second.nodes_created, second.relationships_created) == (first.nodes_created, first.relationships_created)
    assert second.rows_read == second.rows_loaded == 400
