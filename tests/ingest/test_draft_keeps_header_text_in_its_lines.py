"""A mapping draft writes a header cell's text inside its own lines: a line break in a quoted
header cell ended the comment naming the column, and the rest of the cell became the draft's own
keys (attack round 52, 4: a header `"phone<CR>hints: {calendar: buddhist}<CR>x"` gave the draft
`hints: {calendar: buddhist}`)."""

from __future__ import annotations

import yaml

from graphapi.ingest.mapping.draft import draft_mapping

INJECTING = ('"phone\rhints: {calendar: buddhist}\rx",name,date\n'
             '"+85512345678",Sok Dara,2024-01-02\n"+85512345679",Chan Thy,2024-01-03\n')


def test_a_header_cells_line_breaks_add_no_key_to_the_draft(tmp_path):
    path = tmp_path / "sim.csv"
    path.write_bytes(INJECTING.encode())
    draft = yaml.safe_load(draft_mapping(path))
    assert "hints" not in draft


def test_each_kind_of_line_break_is_written_as_its_escape(tmp_path):
    path = tmp_path / "sim.csv"
    path.write_text('"a\u2028b\u2029c\x85d\x0be",name\n1,x\n2,y\n', encoding="utf-8")
    text = draft_mapping(path)
    assert "\\u2028" in text and "\\u2029" in text and "\\u0085" in text and "\\u000b" in text
    assert not any(ch in text for ch in "\r\u2028\u2029\x85\x0b\x0c")
