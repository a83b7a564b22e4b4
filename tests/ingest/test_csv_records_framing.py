"""How a mapped CSV's records are framed (``csv: {records: ...}``, docs/mappings.md, "Files and
rows"): one line each by default, so a quote left open loses only its own line (attack round 30c,
H3: under the old multi-line default, an open quote followed by a row with a quoted field parsed as
ONE record of the header's width: the good row vanished, nothing was rejected, one invented record
loaded)."""

from __future__ import annotations

from pathlib import Path

import yaml

from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
ROW = 'C{i},+66828301908,+85510904499,2026-05-15 09:54:5{i},420,,"TH-CELL-{i}",TH'
PLAIN = ROW.replace('"TH-CELL-{i}"', "TH-CELL-{i}")
BROKEN = 'C9,+66828301908,+85510904499,2026-05-15 09:54:59,420,,"TH-CELL-9,TH'
#: a call whose cell id a partner typed over two lines: ONE record of lines 2..3
NOTE = ROW.format(i=1).replace('"TH-CELL-1"', '"TH-CELL-1\nsector A"')


def _mapping(tmp_path: Path, records: str | None) -> Path:
    """The shipped call-record mapping with ``records`` as its framing (``None``: not said)."""
    doc = yaml.safe_load(load_mapping("cdr").path.read_text(encoding="utf-8"))
    doc.pop("csv", None)
    if records:
        doc["csv"] = {"records": records}
    path = tmp_path / f"cdr-{records or 'unsaid'}.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def _feed(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "cdr.csv"
    path.write_text("".join(f"{line}\n" for line in (HEADER, *lines)), encoding="utf-8")
    return path


def _read(tmp_path: Path, records: str | None, *lines: str) -> tuple[list, ReadStats]:
    reader = MappedCsvReader(load_mapping(_mapping(tmp_path, records)), [_feed(tmp_path, *lines)])
    return list(reader.records()), reader.stats


def _cells(items: list) -> list[str]:
    return [e.properties["cell"] for e in items if isinstance(e, EdgeRecord) and e.type == "CALLED"]


def _rejected(items: list) -> list[int]:
    return [r.line for r in items if isinstance(r, Rejection)]


def test_by_default_a_quoted_row_after_an_open_quote_is_read_not_swallowed(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, None, ROW.format(i=1), BROKEN, ROW.format(i=2), ROW.format(i=3), ROW.format(i=4))
    assert _cells(items) == ["TH-CELL-1", "TH-CELL-2", "TH-CELL-3", "TH-CELL-4"]
    assert _rejected(items) == [3]
    assert (stats.rows, stats.loaded, stats.rejected) == (5, 4, 1)


def test_by_default_two_open_quotes_make_no_invented_row_of_the_lines_between(tmp_path: Path) -> None:
    second = BROKEN.replace("C9", "C8").replace("59", "58")
    items, stats = _read(tmp_path, None, PLAIN.format(i=1), BROKEN, PLAIN.format(i=2), second, PLAIN.format(i=3))
    assert (_cells(items), _rejected(items)) == (["TH-CELL-1", "TH-CELL-2", "TH-CELL-3"], [3, 5])
    assert (stats.rows, stats.loaded, stats.rejected) == (5, 3, 2)


def test_by_default_an_unclosed_quote_rejects_its_line_naming_multi_line_records_and_the_rest_loads(
        tmp_path: Path) -> None:
    items, stats = _read(tmp_path, None, PLAIN.format(i=1), BROKEN, PLAIN.format(i=2))
    (rej,) = [r for r in items if isinstance(r, Rejection)]
    assert (rej.line, rej.raw) == (3, BROKEN)
    assert rej.reason == (
        "unreadable CSV row: unclosed quote: a quoted field is not closed on line 3 (a record is one line); an export "
        "with line breaks inside quoted fields (notes, addresses) says csv: {records: multi-line} in its mapping")
    assert _cells(items) == ["TH-CELL-1", "TH-CELL-2"]
    assert stats.warnings == []


def test_a_mapping_without_records_reads_each_line_on_its_own(tmp_path: Path) -> None:
    # the note's two lines are two broken lines, each rejected; the call after them loads
    items, stats = _read(tmp_path, None, NOTE, PLAIN.format(i=2))
    assert [(r.line, r.reason.split(":")[0]) for r in items if isinstance(r, Rejection)] == [
        (2, "unreadable CSV row"), (3, "2 fields, header has 8")]
    assert _cells(items) == ["TH-CELL-2"]
    assert (stats.rows, stats.loaded, stats.rejected) == (3, 1, 2)
