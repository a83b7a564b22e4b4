"""CSV framing of single-line records (``csv: {records: single-line}``, the default) and multi-line
ones: an unclosed quote is rejected with its line and never swallows the records after it
(graphapi/ingest/readers/csv_lines.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
ROWS = [f"C{i},+66828301908,+85510904499,2026-05-15 09:54:5{i},420,,TH-CELL-{i},TH" for i in range(1, 5)]
BROKEN = 'C9,+66828301908,+85510904499,2026-05-15 09:54:59,420,,"TH-CELL-9,TH'
#: the reason a single-line record whose quote is not closed on its line (here line 3) is rejected
UNCLOSED = ("unreadable CSV row: unclosed quote: a quoted field is not closed on line 3 (a record is one line); an "
            "export with line breaks inside quoted fields (notes, addresses) says csv: {records: multi-line} in its "
            "mapping")


def _read(tmp_path: Path, records: str | None, *lines: str) -> tuple[list, ReadStats]:
    doc = yaml.safe_load(load_mapping("cdr").path.read_text(encoding="utf-8"))
    doc.pop("csv", None)
    if records:
        doc["csv"] = {"records": records}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    path = tmp_path / "cdr.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [path])
    return list(reader.records()), reader.stats


def _calls(items: list) -> list[tuple[int, str]]:
    return [(e.origin.line, e.properties["cell"]) for e in items if isinstance(e, EdgeRecord) and e.type == "CALLED"]


def test_an_unclosed_quote_is_rejected_at_its_line_and_reading_resumes_at_the_next(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "single-line", HEADER, ROWS[0], BROKEN, *ROWS[1:])
    assert _calls(items) == [(2, "TH-CELL-1"), (4, "TH-CELL-2"), (5, "TH-CELL-3"), (6, "TH-CELL-4")]
    (rej,) = [r for r in items if isinstance(r, Rejection)]
    assert (rej.line, rej.reason, rej.raw) == (3, UNCLOSED, BROKEN)
    assert (stats.rows, stats.loaded, stats.rejected) == (5, 4, 1)


def test_the_shipped_call_record_mapping_rejects_only_the_line_with_an_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text("".join(f"{line}\n" for line in (HEADER, ROWS[0], BROKEN, *ROWS[1:])), encoding="utf-8")
    reader = MappedCsvReader(load_mapping("cdr"), [path])
    items = list(reader.records())
    assert _calls(items) == [(2, "TH-CELL-1"), (4, "TH-CELL-2"), (5, "TH-CELL-3"), (6, "TH-CELL-4")]
    assert [(r.line, r.raw) for r in items if isinstance(r, Rejection)] == [(3, BROKEN)]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (5, 4, 1)


def test_with_multi_line_records_an_open_quote_loses_only_its_own_line(tmp_path: Path) -> None:
    # the quote opened on line 3 is never closed: line 3 alone is rejected, parsing resumes at line 4
    items, stats = _read(tmp_path, "multi-line", HEADER, ROWS[0], BROKEN, *ROWS[1:])
    assert _calls(items) == [(2, "TH-CELL-1"), (4, "TH-CELL-2"), (5, "TH-CELL-3"), (6, "TH-CELL-4")]
    (rej,) = [r for r in items if isinstance(r, Rejection)]
    assert (rej.line, rej.raw) == (3, BROKEN)
    assert rej.reason == ("unreadable CSV row: unclosed quote: the quoted field opened on line 3 is never "
                          "closed (the file ends inside it); line 3 rejected, reading resumes at line 4")
    assert (stats.rows, stats.loaded, stats.rejected) == (5, 4, 1)


def test_by_default_an_unclosed_quote_in_the_last_field_does_not_swallow_the_rest_of_the_file(
        tmp_path: Path) -> None:
    broken = ROWS[0].replace("C1,", "C8,").replace(",TH-CELL-1,TH", ',TH-CELL-8,"TH')
    items, stats = _read(tmp_path, None, HEADER, ROWS[0], broken, *ROWS[1:])
    assert _calls(items) == [(2, "TH-CELL-1"), (4, "TH-CELL-2"), (5, "TH-CELL-3"), (6, "TH-CELL-4")]
    assert [(r.line, r.raw) for r in items if isinstance(r, Rejection)] == [(3, broken)]
    assert (stats.rows, stats.loaded, stats.rejected) == (5, 4, 1)


def test_with_multi_line_records_a_quoted_field_may_hold_line_breaks(tmp_path: Path) -> None:
    # a cell id written over two lines: its second line is no record of its own
    items, stats = _read(tmp_path, "multi-line", HEADER, ROWS[0].replace("TH-CELL-1", '"TH-CELL-1\nsector A"'), ROWS[1])
    # a record is numbered by the line it ends on, as csv.DictReader numbers it
    assert _calls(items) == [(3, "TH-CELL-1 sector A"), (4, "TH-CELL-2")]
    assert (stats.rows, stats.rejected) == (2, 0)


def test_single_line_records_keep_quoted_delimiters_and_blank_lines(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "single-line", HEADER, ROWS[0].replace("TH-CELL-1", '"TH,CELL,1"'), "", ROWS[1])
    assert _calls(items) == [(2, "TH,CELL,1"), (4, "TH-CELL-2")]
    assert (stats.rows, stats.rejected) == (2, 0)


def test_a_broken_last_line_is_rejected_too(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "single-line", HEADER, ROWS[0], BROKEN)
    assert [(r.line, r.raw) for r in items if isinstance(r, Rejection)] == [(3, BROKEN)]
    assert (stats.rows, stats.loaded, stats.rejected) == (2, 1, 1)


def test_records_framing_other_than_single_or_multi_line_is_a_mapping_error(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="csv.records: single-line or multi-line, not 'one-line'"):
        _read(tmp_path, "one-line", HEADER, ROWS[0])


SAMPLES = Path(__file__).resolve().parents[2] / "seed" / "samples"
PARTNERS = Path(__file__).resolve().parents[2] / "seed" / "mappings" / "partners"
#: every shipped mapping with its sample: each feed's records are one line each
SHIPPED = [(feed, feed) for feed in ("cdr", "transfers", "crossings", "cases")] + [
    (PARTNERS / f"{layout}.yaml", layout) for layout in ("cdr-kh", "transfers-fiu", "crossings-tm", "cases-tp")]


@pytest.mark.parametrize(("mapping", "sample"), SHIPPED, ids=[s for _, s in SHIPPED])
def test_every_shipped_mapping_rejects_only_the_sample_line_with_an_unclosed_quote(
        tmp_path: Path, mapping: str | Path, sample: str) -> None:
    lines = (SAMPLES / f"{sample}.synthetic.csv").read_text(encoding="utf-8").splitlines()[:6]
    head, _, last = lines[2].rpartition(",")
    lines[2] = f'{head},"{last}'  # file line 3: its last field's quote is never closed
    path = tmp_path / f"{sample}.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(mapping), [path])
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [(3, UNCLOSED)]
    assert sorted({i.origin.line for i in items if not isinstance(i, Rejection)}) == [2, 4, 5, 6]
    assert (reader.stats.rows, reader.stats.rejected) == (5, 1)


def test_a_repeated_header_and_a_final_ctrl_z_are_skipped_and_named_not_rejected(tmp_path: Path) -> None:
    # two exports joined end to end, the last ending with DOS's end-of-file byte (as OFAC's files do)
    path = tmp_path / "cdr.csv"
    path.write_text("".join(f"{line}\n" for line in (HEADER, ROWS[0], HEADER, ROWS[1])) + "\x1a", encoding="utf-8")
    reader = MappedCsvReader(load_mapping("cdr"), [path])
    items = list(reader.records())
    assert _calls(items) == [(2, "TH-CELL-1"), (4, "TH-CELL-2")]
    assert not [r for r in items if isinstance(r, Rejection)]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    assert reader.skipped == [("cdr.csv", 3, "header row repeated"), ("cdr.csv", 5, "end-of-file byte 0x1A")]


CASES_HEADER = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
                "compound_id,compound_name,compound_country,rescued,repatriated")


def test_a_genuine_multi_line_field_whose_last_line_has_the_header_width_is_never_cut(tmp_path: Path) -> None:
    # the title's second line holds 15 commas' worth of fields with the columns after it: 16 cells on
    # its own, the header's width. Parsed as csv parses it, it is one record (attack 30b, H3)
    note = '"Trafficking ring\nKings Romans, Golden Triangle, Bokeo"'
    doc = yaml.safe_load(load_mapping("cases").path.read_text(encoding="utf-8"))
    doc["csv"] = {"records": "multi-line"}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    path = tmp_path / "cases.csv"
    path.write_text(f"{CASES_HEADER}\n"
                    f"TH-DSI,C-1,{note},2026-01-02,p1,Somchai Jaidee,victim,TH,M,1990-01-01,+66812345678,"
                    "cmp1,Kings Romans,LA,2026-02-01,2026-03-01\n"
                    "TH-DSI,C-2,Plain,2026-01-02,p2,Lek Jaidee,victim,TH,F,1991-01-01,+66812345679,"
                    "cmp1,Kings Romans,LA,,\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [path])
    items = list(reader.records())
    assert [r for r in items if isinstance(r, Rejection)] == []
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (2, 2, 0)


def test_an_open_quote_just_before_a_multi_line_record_is_rejected_with_it_and_nothing_is_invented(
        tmp_path: Path) -> None:
    # line 3 opens a quote that line 4's quoted cell id closes: one record of lines 3..4 with 7
    # fields, rejected whole (attack 31b: resuming at line 4, inside a note, loaded its lines as rows);
    # line 5, the rest of line 4's cell, is read on its own and rejected for its width
    multi = ROWS[1].replace("TH-CELL-2", '"TH-CELL-2\nsector A"')
    items, stats = _read(tmp_path, "multi-line", HEADER, ROWS[0], BROKEN, multi, *ROWS[2:])
    assert _calls(items) == [(2, "TH-CELL-1"), (6, "TH-CELL-3"), (7, "TH-CELL-4")]
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (3, "unreadable CSV row: unclosed quote? the record from line 3 runs to line 4 and has 7 fields, not 8; "
            "lines 3..4 rejected, reading resumes at line 5"),
        (5, "2 fields, header has 8")]
    assert (stats.rows, stats.loaded, stats.rejected) == (5, 3, 2)


def test_a_multi_line_record_of_the_wrong_width_is_rejected_whole_as_one_row(tmp_path: Path) -> None:
    # a quote opened on line 3 closes on line 5: the record of lines 3..5 has the wrong width, so it
    # is one rejected row naming its lines, and reading resumes at line 6
    items, stats = _read(tmp_path, "multi-line", HEADER, ROWS[0], 'C7,"x', ROWS[1], 'C8,y",z', ROWS[2])
    assert _calls(items) == [(2, "TH-CELL-1"), (6, "TH-CELL-3")]
    assert [(r.line, r.reason, r.raw) for r in items if isinstance(r, Rejection)] == [
        (3, "unreadable CSV row: unclosed quote? the record from line 3 runs to line 5 and has 3 fields, not 8; "
            "lines 3..5 rejected, reading resumes at line 6", 'C7,"x')]
    assert (stats.rows, stats.loaded, stats.rejected) == (3, 2, 1)
