"""What the mapped-CSV reader does for each row is only what the row needs (issue 13: at most
20 µs a row on the call-record feed with a warm memo; graphapi/ingest/readers/mapped_rows.py):
work that depends only on a text is done once per text, a check that cannot find anything is
not made, and the shortcuts give the records and rejections the full work gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.mapping import memo, plan
from graphapi.ingest.readers import mapped_rows
from graphapi.ingest.readers.base import unsafe_cells
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection

CALLS = """
name: calls
hints: {tz: Asia/Bangkok}
entities:
  caller: {label: Phone, required: true, properties: {number: {column: caller}}}
  callee: {label: Phone, required: true, properties: {number: {column: callee}}}
relationships:
  - {type: CALLED, from: caller, to: callee, key: "{record_id}", properties: {at: {column: at}}}
"""


def _read(tmp_path: Path, mapping: str, *lines: str) -> list:
    (tmp_path / "feed.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return list(MappedCsvReader(load_mapping(tmp_path / "mapping.yaml"), [tmp_path / "feed.csv"]).records())


def test_a_local_times_zone_is_worked_out_once_per_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "_CLEANED", {})  # memo tables of this test's own
    told: list[str] = []
    real = plan.zone_given
    monkeypatch.setattr(plan, "zone_given", lambda text: told.append(text) or real(text))
    items = _read(tmp_path, CALLS, "record_id,caller,callee,at",
                  *(f"C{i},+66828301908,+85510904499,2024-03-01 10:15:00" for i in range(3)),
                  "C3,+66828301908,+85510904499,2024-03-01T10:15:00Z")
    zones = [e.properties.get("assumedTimeZone") for e in items if isinstance(e, EdgeRecord)]
    assert zones == ["Asia/Bangkok", "Asia/Bangkok", "Asia/Bangkok", None]
    assert told == ["2024-03-01 10:15:00", "2024-03-01T10:15:00Z"]


def test_a_mapping_whose_records_hold_no_list_never_counts_their_values(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[dict] = []
    monkeypatch.setattr(mapped_rows, "too_many_values", lambda props: counted.append(props))
    items = _read(tmp_path, CALLS, "record_id,caller,callee,at", "C1,+66828301908,+85510904499,2024-03-01 10:15:00")
    assert [type(i).__name__ for i in items] == ["NodeRecord", "NodeRecord", "EdgeRecord"]
    assert counted == []


def test_a_row_that_keeps_a_value_as_text_still_has_its_values_counted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[str] = []
    monkeypatch.setattr(mapped_rows, "too_many_values", lambda props: counted.append(sorted(props)))
    holders = """
name: holders
entities:
  person: {label: Person, required: true, id: {column: person_id}, properties: {name: {column: name}}}
  phone: {label: Phone, properties: {number: {column: phone}}}
relationships:
  - {type: USES_PHONE, from: person, to: phone}
"""
    _read(tmp_path, holders, "person_id,name,phone", "p1,Nari Santos,N/A-0")
    assert counted == [["identifiers", "name"]]


def test_a_row_of_thai_text_with_no_bad_byte_is_safe() -> None:
    assert unsafe_cells(["ก1", "นารี", "+66828301908"]) is None


def test_a_row_of_thai_text_with_a_byte_that_is_not_utf8_is_told_by_that_byte() -> None:
    assert unsafe_cells(["ก1", "นา\udce9รี"]) == "bytes that are not UTF-8 (0xe9)"


def test_an_ascii_row_with_a_nul_is_told_so() -> None:
    assert unsafe_cells(["C1", "+668\x0028301908"]) == "NUL character in a value"


def test_a_row_rejected_after_its_column_rules_shows_the_row_as_the_file_has_it(tmp_path: Path) -> None:
    ruled = CALLS.replace("hints: {tz: Asia/Bangkok}\n", "hints: {tz: Asia/Bangkok}\ncolumns:\n"
                          "  kind: {map: {voice: [VOICE, MOC]}, unknown: reject}\n").replace(
                              'key: "{record_id}",', 'key: "{record_id}", when: {column: kind, equals: voice},')
    items = _read(tmp_path, ruled, "record_id,caller,callee,at,kind",
                  "C1,+66828301908,+85510904499,2024-03-01 10:15:00,MOC",
                  "C2,+66828301908,+85510904499,2024-03-01 10:15:00,SMS")
    (rejected,) = [i for i in items if isinstance(i, Rejection)]
    assert (rejected.line, rejected.raw["kind"]) == (3, "SMS")
    assert [e.properties["at"] for e in items if isinstance(e, EdgeRecord)] == ["2024-03-01T03:15:00"]
