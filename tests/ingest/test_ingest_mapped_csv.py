"""Mapped CSV feeds: mappings check against the ontology, samples load, rejects are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.synthetic import FEEDS, generate_feed, iter_feed
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

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


async def test_mapped_csv_feeds_load_idempotently_with_reject_report(backend_empty_store, tmp_path: Path) -> None:
    for feed in FEEDS:
        report = tmp_path / f"{feed}.rejects.jsonl"
        reader = MappedCsvReader(load_mapping(feed), [SAMPLES / f"{feed}.synthetic.csv"])
        s = await run_load(backend_empty_store, reader, source=feed, provenance=PROV, batch_size=250,
                           reject_report=report)
        assert s.rows_read == s.rows_loaded + s.rows_rejected == 400
        lines = [json.loads(ln) for ln in report.read_text().splitlines()]
        conflicts = [r for r in lines if "conflict" in r]  # each named (a conflict is no reject)
        rejects = [r for r in lines if not r.get("warning") and "conflict" not in r]
        assert len([r for r in rejects if r["file"].endswith(".csv")]) == s.rows_rejected
        assert len(conflicts) == s.conflicts  # e.g. a cases row's other role for the same case
        assert len(lines) - len(rejects) - len(conflicts) == s.warnings  # e.g. the crossings' one unknown place
        for r in rejects:
            assert set(r) == {"file", "line", "reason", "raw"}
    before = await graph_counts(backend_empty_store)
    for feed in FEEDS:
        reader = MappedCsvReader(load_mapping(feed), [SAMPLES / f"{feed}.synthetic.csv"])
        again = await run_load(backend_empty_store, reader, source=feed, provenance=PROV, batch_size=250)
        assert again.nodes_created == 0 and again.relationships_created == 0
    assert await graph_counts(backend_empty_store) == before
    wallet = await node_props(backend_empty_store, "wallet:TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8")
    assert wallet.get("tlp") == "AMBER" and wallet.get("owner") == "TH-DSI"


def test_mapped_csv_unusable_identifier_is_kept_as_text_not_node() -> None:
    reader = MappedCsvReader(load_mapping("cases"), [SAMPLES / "cases.synthetic.csv"])
    items = list(reader.records())
    texts = [i for i in items if isinstance(i, NodeRecord) and i.label == "Person" and i.properties.get("identifiers")]
    assert texts and all(t.startswith("Phone:") for p in texts for t in p.properties["identifiers"])
    phones = {i.properties["number"] for i in items if isinstance(i, NodeRecord) and i.label == "Phone"}
    assert not phones & {"N/A", "unknown"}


def _cdr_rows(tmp_path: Path, header: str, *rows: str) -> tuple[list, object]:
    path = tmp_path / "cdr.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping("cdr"), [path])
    return list(reader.records()), reader.stats


CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"


def test_mapped_csv_value_that_does_not_clean_rejects_its_row_naming_column_and_value(tmp_path: Path) -> None:
    items, stats = _cdr_rows(tmp_path, CDR_HEADER,
                             "C1,0828301908,+85510904499,not-a-date,420,,TH-CELL-1,TH",
                             "C2,0828301908,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-1,TH")
    rejected = [r for r in items if isinstance(r, Rejection)]
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "CALLED.at: invalid datetime value 'not-a-date' in column 'start_time'")]
    assert (stats.rows, stats.loaded) == (2, 1)


def test_mapped_csv_null_tokens_are_no_value_not_invalid(tmp_path: Path) -> None:
    items, stats = _cdr_rows(tmp_path, CDR_HEADER, "C1,0828301908,+85510904499,2026-05-15 09:54:51,N/A,,TH-CELL-1,TH")
    (call,) = [r for r in items if isinstance(r, EdgeRecord) and r.type == "CALLED"]
    assert call.properties == {"at": "2026-05-15T02:54:51", "cell": "TH-CELL-1",  # no duration, no rejection
                               "assumedTimeZone": "Asia/Bangkok"}
    assert stats.rejected == 0


def test_mapped_csv_account_column_that_is_not_an_iban_still_fills_the_account_number(tmp_path: Path) -> None:
    path = SAMPLES / "transfers.synthetic.csv"
    reader = MappedCsvReader(load_mapping("transfers"), [path])
    items = list(reader.records())
    assert any(isinstance(r, NodeRecord) for r in items)
    # the only rejects: the two transfers the sample writes without an amount ("n/a")
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (191, "TRANSFERRED_TO from_account -> to_account lacks ['amount']"),
        (288, "TRANSFERRED_TO from_account -> to_account lacks ['amount']")]


def test_mapped_csv_header_is_matched_without_case_or_blanks(tmp_path: Path) -> None:
    items, stats = _cdr_rows(tmp_path, "RECORD_ID, Caller ,CALLEE,Start_Time,DURATION_S,IMEI,CELL_ID,COUNTRY",
                             "C1,0828301908,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-1,TH")
    assert stats.loaded == 1 and any(isinstance(r, EdgeRecord) for r in items)


def test_mapped_csv_file_lacking_a_mapped_column_is_refused_before_any_row(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"cdr.csv: the header lacks the mapped column\(s\) \['country'\]"):
        _cdr_rows(tmp_path, CDR_HEADER.replace("country", "operator_country"),
                  "C1,0828301908,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-1,TH")
