"""Mapped CSV feeds: mappings check against the ontology, samples load, rejects are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.synthetic import FEEDS, generate_feed, iter_feed
from graphapi.ingest.writer import Provenance

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "seed" / "samples"
PROV = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-03-01T00:00:00")


def test_synthetic_generator_is_deterministic(tmp_path: Path) -> None:
    a = generate_feed("cdr", 300, tmp_path / "a.csv", seed=5).read_bytes()
    b = generate_feed("cdr", 300, tmp_path / "b.csv", seed=5).read_bytes()
    assert a == b and a != generate_feed("cdr", 300, tmp_path / "c.csv", seed=6).read_bytes()
    assert sum(1 for _ in iter_feed("crossings", 1234)) == 1234


@pytest.mark.parametrize("feed", FEEDS)
def test_mapped_csv_sample_matches_generator(feed: str, tmp_path: Path) -> None:
    fresh = generate_feed(feed, 400, tmp_path / f"{feed}.csv")
    assert fresh.read_bytes() == (SAMPLES / f"{feed}.synthetic.csv").read_bytes()


@pytest.mark.parametrize("feed", FEEDS)
def test_mapped_csv_reader_accounts_for_every_row(feed: str) -> None:
    reader = MappedCsvReader(load_mapping(feed), [SAMPLES / f"{feed}.synthetic.csv"])
    items = list(reader.records())
    assert reader.stats.rows == 400
    assert reader.stats.loaded + reader.stats.rejected == 400
    assert any(isinstance(i, EdgeRecord) for i in items)


def test_mapped_csv_cdr_uses_region_hint_and_keeps_events_apart() -> None:
    reader = MappedCsvReader(load_mapping("cdr"), [SAMPLES / "cdr.synthetic.csv"])
    items = list(reader.records())
    phones = [i for i in items if isinstance(i, NodeRecord) and i.label == "Phone"]
    assert phones and all(p.properties["number"].startswith("+") for p in phones)
    calls = [i for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"]
    assert len({c.id for c in calls}) == len(calls)
    assert all("T" in c.properties["at"] for c in calls[:20])


def test_mapped_csv_mapping_errors_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  a: {label: Phone, properties: {colour: {column: x}}}\n")
    with pytest.raises(MappingError, match="colour"):
        load_mapping(bad)
    bad.write_text(
        "entities:\n  a: {label: Phone, properties: {number: {column: x}}}\n"
        "  b: {label: Case, properties: {agency: {column: y}}}\n"
        "relationships:\n  - {type: CALLED, from: a, to: b}\n"
    )
    with pytest.raises(MappingError, match="not allowed"):
        load_mapping(bad)


async def test_mapped_csv_feeds_load_idempotently_with_reject_report(empty_store, tmp_path: Path) -> None:
    for feed in FEEDS:
        report = tmp_path / f"{feed}.rejects.jsonl"
        reader = MappedCsvReader(load_mapping(feed), [SAMPLES / f"{feed}.synthetic.csv"])
        s = await run_load(empty_store, reader, source=feed, provenance=PROV, batch_size=250,
                           reject_report=report)
        assert s.rows_read == s.rows_loaded + s.rows_rejected == 400
        lines = report.read_text().splitlines()
        assert len([ln for ln in lines if json.loads(ln)["file"].endswith(".csv")]) == s.rows_rejected
        for ln in lines:
            assert set(json.loads(ln)) == {"file", "line", "reason", "raw"}
    before = await graph_counts(empty_store)
    for feed in FEEDS:
        reader = MappedCsvReader(load_mapping(feed), [SAMPLES / f"{feed}.synthetic.csv"])
        again = await run_load(empty_store, reader, source=feed, provenance=PROV, batch_size=250)
        assert again.nodes_created == 0 and again.relationships_created == 0
    assert await graph_counts(empty_store) == before
    wallet = await node_props(empty_store, "wallet:TRX|TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8")
    assert wallet.get("tlp") == "AMBER" and wallet.get("owner") == "TH-DSI"


def test_mapped_csv_unusable_identifier_is_kept_as_text_not_node() -> None:
    reader = MappedCsvReader(load_mapping("cases"), [SAMPLES / "cases.synthetic.csv"])
    items = list(reader.records())
    texts = [i for i in items if isinstance(i, NodeRecord) and i.label == "Person" and i.properties.get("identifiers")]
    assert texts and all(t.startswith("Phone:") for p in texts for t in p.properties["identifiers"])
    phones = {i.properties["number"] for i in items if isinstance(i, NodeRecord) and i.label == "Phone"}
    assert not phones & {"N/A", "unknown"}
