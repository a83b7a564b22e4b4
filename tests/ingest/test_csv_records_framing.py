"""How a mapped CSV's records are framed (``csv: {records: ...}``, docs/mappings.md, "Files and
rows"): one line each by default, so a quote left open loses only its own line; ``multi-line`` on
request, and then every record that ran over several lines is told as a load warning with its
lines (attack round 30c, H3: under the old multi-line default, an open quote followed by a row
with a quoted field parsed as ONE record of the header's width: the good row vanished, nothing
was rejected, one invented record loaded)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from graphapi.ingest.cli import load_app
from graphapi.ingest.mapping_cli import mapping_app
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.csv_spans import SHOWN
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, LoadWarning, Rejection

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
ROW = 'C{i},+66828301908,+85510904499,2026-05-15 09:54:5{i},420,,"TH-CELL-{i}",TH'
PLAIN = ROW.replace('"TH-CELL-{i}"', "TH-CELL-{i}")
BROKEN = 'C9,+66828301908,+85510904499,2026-05-15 09:54:59,420,,"TH-CELL-9,TH'
#: a call whose cell id a partner typed over two lines: ONE record of lines 2..3
NOTE = ROW.format(i=1).replace('"TH-CELL-1"', '"TH-CELL-1\nsector A"')
WIDE = {"COLUMNS": "400", "TERMINAL_WIDTH": "400"}


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


def _spans_warning(count: int, where: str) -> str:
    return (f"{count} record(s) span more than one line (csv: records: multi-line: a quoted field holds a line "
            f"break): lines {where}. Check each is one record: a quote left open joins the lines after it into "
            "its record")


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


def test_multi_line_records_keep_a_genuine_note_and_warn_of_its_lines(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "multi-line", NOTE, PLAIN.format(i=2))
    assert _cells(items) == ["TH-CELL-1 sector A", "TH-CELL-2"]
    assert (stats.rows, stats.loaded, stats.rejected) == (2, 2, 0)
    assert stats.warnings == [LoadWarning("cdr.csv", 2, _spans_warning(1, "2..3"), about_file=True)]


def test_multi_line_records_warn_of_an_open_quote_joined_to_a_quoted_row(tmp_path: Path) -> None:
    # the round's shape, read multi-line: lines 3..4 make one record of the header's width, which
    # loads (no parser can tell it from a note), and is named for a person to check
    items, stats = _read(tmp_path, "multi-line", ROW.format(i=1), BROKEN, ROW.format(i=2), ROW.format(i=3))
    assert (stats.rows, stats.rejected) == (3, 0)
    assert [w.reason for w in stats.warnings] == [_spans_warning(1, "3..4")]


def test_multi_line_warning_counts_every_spanning_record_and_names_the_first_twenty(tmp_path: Path) -> None:
    notes = [NOTE.replace("C1,", f"N{i},") for i in range(SHOWN + 5)]
    items, stats = _read(tmp_path, "multi-line", *notes)
    assert (stats.rows, stats.rejected) == (25, 0)
    where = ", ".join(f"{2 * i + 2}..{2 * i + 3}" for i in range(SHOWN))
    assert [w.reason for w in stats.warnings] == [_spans_warning(25, f"{where} (the first 20 of 25)")]


def test_multi_line_warning_comes_before_the_files_row_warnings(tmp_path: Path) -> None:
    # a load's summary prints its first 10 warnings: the file's framing is one of them
    doc = yaml.safe_load(load_mapping("transfers").path.read_text(encoding="utf-8"))
    doc["csv"] = {"records": "multi-line"}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    sample = Path(load_mapping("transfers").path).parents[1] / "samples" / "transfers.synthetic.csv"
    head = sample.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "transfers.csv"
    path.write_text(f"{head}\n" + "".join(
        f'TX{i},555-0{i},Golden Lotus Bank,TH,7654321,KBZ,MM,,,10.00,USD,13/03/2026 03:27:38,"a\nb"\n'
        for i in range(3)), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [path])
    list(reader.records())
    assert reader.stats.warnings[0].reason == _spans_warning(3, "2..3, 4..5, 6..7")
    assert [w.reason.split(" ")[0] for w in reader.stats.warnings[1:]] == ["unknown", "unknown", "unknown"]


async def test_a_load_summary_gives_the_multi_line_warning_as_a_file_warning(backend_empty_store,
                                                                             tmp_path: Path) -> None:
    reader = MappedCsvReader(load_mapping(_mapping(tmp_path, "multi-line")), [_feed(tmp_path, NOTE, PLAIN.format(i=2))])
    summary = await run_load(backend_empty_store, reader, source="cdr-notes@TH-DSI", reject_report=tmp_path / "r.jsonl")
    assert (summary.rows_read, summary.rows_loaded, summary.warnings) == (2, 2, 1)
    assert summary.file_warnings == [{"file": "cdr.csv", "line": 2, "reason": _spans_warning(1, "2..3")}]
    assert summary.as_dict()["file_warnings"] == summary.file_warnings
    [line] = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {"file": "cdr.csv", "line": 2, "reason": _spans_warning(1, "2..3"), "raw": None,
                                "warning": True}


def test_a_cli_dry_run_of_multi_line_records_names_their_lines_in_its_closing_summary(tmp_path: Path) -> None:
    mapping, feed = _mapping(tmp_path, "multi-line"), _feed(tmp_path, NOTE, PLAIN.format(i=2))
    result = CliRunner().invoke(load_app, ["csv", "--mapping", str(mapping), str(feed), "--dry-run",
                                           "--rejects", str(tmp_path / "r.jsonl")], env=WIDE)
    assert result.exit_code == 0, result.output
    # the closing summary wraps to the terminal's width: compared word by word
    assert f"warning: cdr.csv line 2: {_spans_warning(1, '2..3')}" in " ".join(result.stderr.split())
    as_json = CliRunner().invoke(load_app, ["csv", "--mapping", str(mapping), str(feed), "--dry-run", "--json",
                                            "--rejects", str(tmp_path / "r.jsonl")])
    summary = json.loads(as_json.stdout[as_json.stdout.index("{"):])
    assert summary["file_warnings"] == [{"file": "cdr.csv", "line": 2, "reason": _spans_warning(1, "2..3")}]


def test_mapping_check_of_multi_line_records_names_their_lines(tmp_path: Path) -> None:
    result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(_mapping(tmp_path, "multi-line")),
                                              str(_feed(tmp_path, NOTE, PLAIN.format(i=2))), "--rows", "0"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"warning cdr.csv line 2: {_spans_warning(1, '2..3')}",
                                          "rows read 2 = loaded 2 + rejected 0; nothing written"]


def test_mapping_check_says_the_framing_of_a_mapping_that_does_not_name_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(_mapping(tmp_path, None)),
                                              str(_feed(tmp_path, PLAIN.format(i=1))), "--rows", "0"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "note: the mapping says no csv: records, so each record is one line (single-line, the default): a line whose "
        "quote is not closed on it is rejected; an export with line breaks inside quoted fields (notes, addresses) "
        "says csv: {records: multi-line}",
        "rows read 1 = loaded 1 + rejected 0; nothing written"]


def test_mapping_init_drafts_single_line_records_saying_what_multi_line_would_mean(tmp_path: Path) -> None:
    result = CliRunner().invoke(mapping_app, ["init", str(_feed(tmp_path, PLAIN.format(i=1), PLAIN.format(i=2)))])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["csv"] == {"records": "single-line"}
    assert ("  records: single-line   # a record is one line; multi-line: a quoted field may hold line breaks "
            "(notes, addresses)") in result.stdout.splitlines()


def test_mapping_init_drafts_multi_line_records_when_the_sample_has_a_quoted_line_break(tmp_path: Path) -> None:
    result = CliRunner().invoke(mapping_app, ["init", str(_feed(tmp_path, PLAIN.format(i=2), NOTE))])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["csv"] == {"records": "multi-line"}
    assert ("  records: multi-line   # the sample has a line break inside a quoted field; single-line: a record "
            "is one line, and such a row is rejected") in result.stdout.splitlines()


def test_mapping_init_drafts_single_line_records_when_the_samples_only_open_quote_never_closes(
        tmp_path: Path) -> None:
    feed = _feed(tmp_path, PLAIN.format(i=1), BROKEN, PLAIN.format(i=2))
    result = CliRunner().invoke(mapping_app, ["init", str(feed)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["csv"] == {"records": "single-line"}
