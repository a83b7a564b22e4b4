"""A float-exported feed's warnings are bounded: in each number column of each file the first ten
values read as their integer part are listed, each with its row; the later rows are counted in one
closing warning per column and file, and the load's ``warnings`` counts every row warned of. Found:
three warnings with their raw row kept per row until the load ended (200,000 rows: 600,000
warnings, +586 MB; attack round 43a, 6)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from ingest_helpers import ftm_file
from test_float_exported_numbers import KH_HEADER

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping


def _kh_rows(count: int, first: int = 0) -> list[str]:
    """``count`` Cambodian CDR rows, every number column written as a float, each value distinct."""
    return [f"KH/CDR{i},{85512000000 + i}.0,{85513000000 + i}.0,15/05/2026 09:54:51,07:00,"
            f"{35399466100000 + i}.0,th-cell-0080,KHM" for i in range(first, first + count)]


def _reader(tmp_path: Path, *files: list[str]) -> MappedCsvReader:
    paths = []
    for n, rows in enumerate(files, 1):
        path = tmp_path / f"kh{n}.csv"
        path.write_text("\n".join([KH_HEADER, *rows]) + "\n", encoding="utf-8")
        paths.append(path)
    return MappedCsvReader(load_mapping("partners/cdr-kh"), paths)


def _read(reader: MappedCsvReader) -> None:
    for _ in reader.records():
        pass
    assert reader.stats.rejected == 0


def test_a_columns_first_ten_float_values_are_listed_and_its_later_rows_counted_in_one_warning(
        tmp_path: Path) -> None:
    reader = _reader(tmp_path, _kh_rows(25))
    _read(reader)
    a_number = [(w.line, w.reason, w.count) for w in reader.stats.warnings if "'A Number'" in w.reason]
    assert a_number[:2] == [
        (2, "column 'A Number': phone number '85512000000.0' read as 85512000000 (a whole number written as a "
            "decimal, as a float export writes it)", 1),
        (3, "column 'A Number': phone number '85512000001.0' read as 85512000001 (a whole number written as a "
            "decimal, as a float export writes it)", 1)]
    assert [line for line, _, _ in a_number] == [*range(2, 12), 12]
    assert a_number[-1] == (12, "column 'A Number': 15 more phone numbers written as decimals read as their "
                                "integer part from this line on (a float export), not listed one by one: the "
                                "first 10 are", 15)


def test_a_float_exported_feed_keeps_warnings_bounded_whatever_its_rows(tmp_path: Path) -> None:
    reader = _reader(tmp_path, _kh_rows(2_000))
    _read(reader)
    # three columns: ten listed and one closing count each (found: 6,000 warnings with their rows)
    assert len(reader.stats.warnings) == 33
    assert sum(w.count for w in reader.stats.warnings) == 6_000
    assert [w.raw is None for w in reader.stats.warnings].count(True) == 3


def test_a_listed_value_on_later_rows_is_listed_once_and_not_counted_again(tmp_path: Path) -> None:
    row = _kh_rows(1)[0]
    reader = _reader(tmp_path, [row, row.replace("KH/CDR0", "KH/CDR9"), row.replace("KH/CDR0", "KH/CDR8")])
    _read(reader)
    assert [(w.line, w.count) for w in reader.stats.warnings] == [(2, 1), (2, 1), (2, 1)]


def test_each_file_lists_its_own_first_values(tmp_path: Path) -> None:
    reader = _reader(tmp_path, _kh_rows(12), _kh_rows(3, first=100))
    _read(reader)
    imei = [(w.file, w.line, w.count) for w in reader.stats.warnings if "'IMEI'" in w.reason]
    assert imei == [*[("kh1.csv", line, 1) for line in range(2, 12)], ("kh1.csv", 12, 2),
                    *[("kh2.csv", line, 1) for line in range(2, 5)]]


def test_the_load_summary_counts_every_row_warned_of_and_the_report_says_how_many_a_count_stands_for(
        tmp_path: Path) -> None:
    report = tmp_path / "rejects.jsonl"
    summary = asyncio.run(run_load(None, _reader(tmp_path, _kh_rows(25)), source="kh", dry_run=True,
                                   reject_report=report))
    assert (summary.rows_read, summary.rows_loaded, summary.warnings, len(summary.warned)) == (25, 25, 75, 33)
    counted = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()
               if '"count"' in line]
    assert [(c["file"], c["line"], c["count"], c["raw"], c["warning"]) for c in counted] == [
        ("kh1.csv", 12, 15, None, True)] * 3


def test_an_ftm_files_float_account_numbers_past_the_first_ten_are_counted(tmp_path: Path) -> None:
    reader = FtmReader([ftm_file(tmp_path, *[{"id": f"a{i}", "schema": "BankAccount", "properties": {
        "bankName": ["BDO Unibank"], "accountNumber": [f"{1073835100 + i}.0"], "country": ["ph"]}}
        for i in range(13)])])
    assert len([i for i in reader.records() if getattr(i, "label", None) == "BankAccount"]) == 13
    float_warnings = [(w.line, w.count) for w in reader.stats.warnings if "decimal" in w.reason]
    assert float_warnings == [*[(line, 1) for line in range(1, 11)], (11, 3)]
    assert reader.stats.warnings[-1].reason == (
        "3 more accountNumbers written as decimals read as their integer part from this line on (a float "
        "export), not listed one by one: the first 10 are")
