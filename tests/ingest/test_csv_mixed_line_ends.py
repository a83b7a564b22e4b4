"""Single-line CSV framing (the default) in a file whose header ends CRLF and rows end LF: a line break
inside quotes joins lines only up to a CRLF, so an LF row never swallows the next (attack round 31d)."""
from __future__ import annotations

from pathlib import Path

import yaml

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import NodeRecord

PEOPLE = {"name": "people", "description": "probe", "source": "probe",
          "entities": {"person": {"label": "Person", "required": True, "id": {"template": "p-{pid}"},
                                  "properties": {"name": {"column": "full_name"}}}}}


def _read(tmp_path: Path, text: str):
    m = tmp_path / "people.yaml"
    m.write_text(yaml.safe_dump(PEOPLE), encoding="utf-8")
    f = tmp_path / "people.csv"
    f.write_text(text, encoding="utf-8", newline="")
    reader = MappedCsvReader(load_mapping(m), [f])
    items = list(reader.records())
    people = [(n.id, n.properties.get("name")) for n in items if isinstance(n, NodeRecord)]
    return people, reader


def test_a_broken_quote_in_an_lf_row_under_a_crlf_header_never_swallows_the_next_row(tmp_path):
    # header written on Windows (CRLF), rows appended by a script (LF). Line 2's quote is not closed
    # on its line; single-line framing promises "a record is one line" and rejects such a line.
    # Because the FIRST line ends CRLF, every LF row counts as an Excel Alt+Enter inside a cell:
    # line 2 joins line 3, Bob's row becomes part of Alice's name, nothing rejected or warned.
    # On main: people [('p-1', 'Alice 2,Bob'), ('p-3', 'Carol')], rows 2, rejected 0.
    people, reader = _read(tmp_path, 'pid,full_name\r\n1,"Alice\n2,Bob"\n3,Carol\n')
    assert ("p-2", "Bob") in people or reader.stats.rejected >= 1
    assert reader.stats.rows == 3


def test_an_open_quote_never_swallows_the_last_row_of_a_file_without_a_final_line_break(tmp_path):
    # attack round 32: the joined record ended at the file's end, not at a CRLF, so Carol's row was
    # part of Alice's name ('Alice\n2,Carol"'), 1 row read, nothing rejected
    people, reader = _read(tmp_path, 'pid,full_name\r\n1,"Alice\n2,"Carol"')
    assert people == [("p-2", "Carol")]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_an_excel_cell_with_a_line_break_in_the_last_row_ending_crlf_is_one_record(tmp_path):
    people, reader = _read(tmp_path, 'pid,full_name\r\n1,"Alice\nSmith"\r\n')
    assert people == [("p-1", "Alice Smith")]  # the name's line break cleaned to a space
    assert (reader.stats.rows, reader.stats.rejected) == (1, 0)
