"""What a broken CSV record costs (graphapi/ingest/readers/csv_lines.py; attack round 31b): in
``records: multi-line`` framing a record of the wrong width or with a field over the size limit is
rejected whole (its note's lines never load as rows), framing is linear in the file's lines however
many quotes never close, an Excel cell's bare line break is part of its CRLF record, and a joined
export's header with its own byte-order mark is no row."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graphapi.ingest.readers import csv_spans
from graphapi.ingest.readers.csv_lines import BrokenRecord, FramedReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord, Rejection

PEOPLE = {"name": "people", "description": "people and notes", "source": "probe",
          "entities": {"person": {"label": "Person", "required": True, "id": {"template": "p-{pid}"},
                                  "properties": {"name": {"column": "full_name"}}}}}


def _read(tmp_path: Path, text: str, records: str | None = None) -> tuple[list, MappedCsvReader]:
    doc = dict(PEOPLE)
    if records:
        doc["csv"] = {"records": records}
    (tmp_path / "people.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8", newline="")
    reader = MappedCsvReader(load_mapping(tmp_path / "people.yaml"), [path])
    return list(reader.records()), reader


def _people(items: list) -> list[tuple[int, str, str]]:
    return [(n.origin.line, n.id, n.properties.get("name")) for n in items if isinstance(n, NodeRecord)]


def _rejects(items: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


def test_multi_line_a_record_of_the_wrong_width_is_rejected_whole_and_its_note_lines_never_load(
        tmp_path: Path) -> None:
    text = 'pid,full_name,note\n1,Alice,"met her brother\n3,Somchai\nat the border",extra\n2,Bob,y\n'
    items, reader = _read(tmp_path, text, "multi-line")
    assert _people(items) == [(5, "p-2", "Bob")]
    assert _rejects(items) == [(2, "unreadable CSV row: unclosed quote? the record from line 2 runs to line 4 and "
                                   "has 4 fields, not 3; lines 2..4 rejected, reading resumes at line 5")]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (2, 1, 1)


def test_multi_line_a_record_with_a_field_over_the_size_limit_is_rejected_whole(tmp_path: Path) -> None:
    # a note of 20,000 lines (1.2 MB, over the 1 MiB field limit), each line a row of its own if read alone
    note = "\n".join(["note line, with a comma " + "x" * 36] * 20000)
    items, reader = _read(tmp_path, f'pid,full_name,note\n1,Alice,"{note}"\n2,Bob,x\n', "multi-line")
    assert _people(items) == [(20002, "p-2", "Bob")]
    ((line, reason),) = _rejects(items)
    assert line == 2 and reason.endswith("; lines 2..20001 rejected, reading resumes at line 20002"), reason
    assert "field larger than field limit" in reason
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (2, 1, 1)


def _frame(text: str, single_line: bool) -> tuple[list[int], list[int], int]:
    """(first lines of the records read, lines rejected, lines parsed) of ``text`` with 2 fields a record."""
    from io import StringIO
    reader = FramedReader(StringIO(text, newline=""), single_line=single_line, width=2)
    read, rejected = [], []
    while True:
        try:
            next(reader)
        except StopIteration:
            return read, rejected, reader.parsed
        except BrokenRecord as exc:
            rejected.append(exc.line)
        else:
            read.append(reader.span[0])


@pytest.mark.parametrize("n", [1000, 4000])
def test_multi_line_framing_of_lines_that_each_open_a_quote_parses_each_line_about_once(n: int) -> None:
    # `a","` leaves csv inside a quote from either state: each record runs to the end of the file.
    # Once one has, every later one that is inside a quote at its first line's end would too.
    read, rejected, parsed = _frame("pid,full_name\n1,Alice\n" + 'a","\n' * n + "2,Bob\n", single_line=False)
    assert read == [1, 2, n + 3]
    assert rejected == list(range(3, n + 3))
    assert parsed <= 2 * (n + 3)  # was n^2/2: each record read to the end, the rest read again


def test_a_crlf_file_of_bare_line_breaks_inside_open_quotes_is_framed_in_linear_work() -> None:
    n = 4000
    read, rejected, parsed = _frame("pid,full_name\r\n1,Alice\r\n" + 'a","\n' * n + "x\r\n2,Bob\r\n",
                                    single_line=True)
    assert read == [1, 2, n + 3, n + 4]  # `x` (one field) is the caller's to reject
    assert rejected == list(range(3, n + 3))
    assert parsed <= 2 * (n + 4)


def test_mapping_init_reads_a_bounded_sample_of_a_file_of_open_quotes(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    readers: list[FramedReader] = []

    class Counted(FramedReader):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            readers.append(self)

    monkeypatch.setattr(csv_spans, "FramedReader", Counted)
    parsed = []
    for n in (4000, 40000):
        path = tmp_path / f"open{n}.csv"
        path.write_text("pid,full_name\n1,Alice\n" + 'a","\n' * n + "2,Bob\n", encoding="utf-8")
        assert csv_spans.sample_spans_lines(path, 20) is False
        parsed.append(readers[-1].parsed)
    assert parsed[0] == parsed[1] <= 2 * 21 * csv_spans.SAMPLE_LINES  # a sample, whatever the file's size


def test_a_bare_line_break_inside_an_excel_cell_is_part_of_its_crlf_record(tmp_path: Path) -> None:
    # Excel: rows end CRLF, Alt+Enter in a cell is a bare LF; the mapping does not read the note
    text = 'pid,full_name,note\r\n1,Alice,"met her brother\n3,Somchai\rat the border"\r\n2,Bob,y\r\n'
    items, reader = _read(tmp_path, text)
    assert _people(items) == [(4, "p-1", "Alice"), (5, "p-2", "Bob")]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (2, 2, 0)


def test_in_an_lf_file_a_line_whose_quote_is_not_closed_on_it_is_still_rejected_alone(tmp_path: Path) -> None:
    text = 'pid,full_name,note\n1,Alice,"met her brother\n3,Somchai\nat the border"\n2,Bob,y\n'
    items, reader = _read(tmp_path, text)
    assert [line for line, _ in _rejects(items)] == [2, 4]
    assert _rejects(items)[0][1].startswith("unreadable CSV row: unclosed quote: a quoted field is not closed on "
                                            "line 2 (a record is one line)")
    assert (reader.stats.rows, reader.stats.rejected) == (4, 2)


def test_an_excel_cell_whose_quote_never_closes_before_crlf_is_rejected_alone(tmp_path: Path) -> None:
    text = 'pid,full_name,note\r\n1,Alice,"met her\nbrother\r\n2,Bob,y\r\n'
    items, reader = _read(tmp_path, text)
    assert _people(items) == [(4, "p-2", "Bob")]
    assert [line for line, _ in _rejects(items)] == [2, 3]  # line 3 on its own: `brother` lacks fields
    assert (reader.stats.rows, reader.stats.rejected) == (3, 2)


def test_a_repeated_header_with_its_own_byte_order_mark_is_no_row(tmp_path: Path) -> None:
    # two Excel "CSV UTF-8" exports joined end to end: each header starts with a BOM
    text = "\ufeffnote,pid,full_name\r\nx,1,Alice\r\n\ufeffnote,pid,full_name\r\ny,2,Bob\r\n"
    items, reader = _read(tmp_path, text)
    assert _people(items) == [(2, "p-1", "Alice"), (4, "p-2", "Bob")]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    assert reader.skipped == [("people.csv", 3, "header row repeated")]
