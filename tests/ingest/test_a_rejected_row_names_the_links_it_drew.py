"""A row a reader rejects names the links it drew (``Rejection.links``), with none of its values, so
the writer keeps its agency's echo of each no wider (attack round 51, 1; the store side:
test_an_echoing_agencys_record_the_reader_rejects_still_narrows_its_echo.py). The ids are those the
row would have made loaded; a DEL names none (it says no level), nor does a row whose link ids are
not known (an FtM id that is not valid, a mapped row rejected before its relationships are made)."""
import json

import pytest

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection

BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
CDR_ROW = "r1,0812345678,0898765432,{at},61,356938035643809,c1,TH\n"


def _ftm(tmp_path, doc):
    f = tmp_path / "f.ftm.json"
    f.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return list(FtmReader([f], source="th").records())


def _said(items):
    [rej] = [i for i in items if isinstance(i, Rejection)]
    return [(x.type, x.id, x.start, x.end, x.op, x.properties) for x in rej.links]


def test_a_rejected_ftm_link_line_names_the_link_a_loaded_one_draws_with_only_its_sources(tmp_path):
    [drawn] = [(i.type, i.id, i.start, i.end) for i in _ftm(tmp_path, {"op": "MOD", "entity": BARE})
               if isinstance(i, EdgeRecord)]
    bad = {**BARE, "properties": {**BARE["properties"], "startDate": ["not-a-date"]}, "datasets": ["x"]}
    assert _said(_ftm(tmp_path, {"op": "MOD", "entity": bad})) == [(*drawn, "replace", {"sources": ["th", "th:x"]})]


@pytest.mark.parametrize("line", ["DEL", "invalid id", "unknown op"])
def test_a_rejected_ftm_line_names_no_link_when_it_says_no_level_or_no_valid_id(tmp_path, line):
    bad = {**BARE, "properties": {**BARE["properties"], "role": ["r" * 1_100_000]}}
    doc = {"DEL": {"op": "DEL", "entity": bad}, "unknown op": {"op": "MODX", "entity": bad},
           "invalid id": {**BARE, "id": "m\u00001"}}[line]
    assert _said(_ftm(tmp_path, doc)) == []


def _cdr(tmp_path, at):
    f = tmp_path / "c.csv"
    f.write_text(CDR_HEADER + CDR_ROW.format(at=at), encoding="utf-8")
    return list(MappedCsvReader(load_mapping("cdr"), [f]).records())


def test_a_mapped_row_rejected_after_its_relationships_names_them_without_values(tmp_path):
    drawn = [(i.type, i.id, i.start, i.end) for i in _cdr(tmp_path, "2024-03-01 10:00:00") if isinstance(i, EdgeRecord)]
    assert [t for t, *_ in drawn] == ["CALLED", "USES_DEVICE"]
    assert _said(_cdr(tmp_path, "not-a-time")) == [(*d, "merge", {}) for d in drawn]


def test_a_mapped_row_rejected_for_an_end_names_no_link(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text(CDR_HEADER + CDR_ROW.format(at="2024-03-01 10:00:00").replace("0812345678", "xx"), encoding="utf-8")
    assert _said(list(MappedCsvReader(load_mapping("cdr"), [f]).records())) == []
