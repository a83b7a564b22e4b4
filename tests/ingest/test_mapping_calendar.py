"""Buddhist-era years in a partner's dates (issue 13 trial): 2569 and 2533 were stored as those
years. A row with one is rejected naming the calendar to declare, and ``hints: {calendar:
buddhist}`` reads them as Buddhist-era years."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.mapping import MappingError
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

MAPPING = """name: crossings-be
source: partner-imm-be
hints: {{tz: Asia/Bangkok{calendar}}}
entities:
  traveller:
    label: Person
    required: true
    id: {{template: "be-{{passport}}"}}
    properties:
      name: {{column: name}}
      birthDate: {{column: born}}
  checkpoint:
    label: BorderCheckpoint
    required: true
    id: {{template: "checkpoint-{{code}}"}}
    properties:
      name: {{column: code}}
relationships:
  - type: CROSSED
    from: traveller
    to: checkpoint
    key: "{{passport}}:{{at}}"
    properties:
      at: {{column: at}}
"""
ROWS = "name,passport,born,code,at\nAung Kyaw,MA123456,01/02/2533,MST,05/03/2569 08:00\n"


def _read(tmp_path: Path, calendar: str) -> list:
    (tmp_path / "m.yaml").write_text(MAPPING.format(calendar=calendar), encoding="utf-8")
    (tmp_path / "log.csv").write_text(ROWS, encoding="utf-8")
    return list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "log.csv"]).records())


def test_a_buddhist_era_year_rejects_its_row_naming_the_calendar_to_declare(tmp_path: Path) -> None:
    (rej,) = _read(tmp_path, "")
    assert isinstance(rej, Rejection) and rej.line == 2
    assert rej.reason.startswith("traveller.birthDate: year 2533 in '01/02/2533' looks like a Buddhist-era year "
                                 "(2533 BE = 1990 CE); if the column writes them, say hints: {calendar: buddhist}")


def test_the_buddhist_calendar_hint_reads_dates_and_times_in_the_common_era(tmp_path: Path) -> None:
    items = _read(tmp_path, ", calendar: buddhist")
    person = next(i for i in items if isinstance(i, NodeRecord) and i.label == "Person")
    crossed = next(i for i in items if isinstance(i, EdgeRecord))
    assert (person.properties["birthDate"], crossed.properties["at"]) == (["1990-02-01"], "2026-03-05T01:00:00")


def test_a_calendar_other_than_buddhist_or_gregorian_is_a_mapping_error(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="hints.calendar: buddhist or gregorian, not 'thai'"):
        _read(tmp_path, ", calendar: thai")


def _read_rows(tmp_path: Path, rows: str) -> list:
    (tmp_path / "m.yaml").write_text(MAPPING.format(calendar=", calendar: buddhist"), encoding="utf-8")
    (tmp_path / "log.csv").write_text(rows, encoding="utf-8")
    return list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "log.csv"]).records())


def test_a_common_era_year_in_a_buddhist_column_is_refused_not_moved_543_years_back(tmp_path: Path) -> None:
    (rej,) = _read_rows(tmp_path, "name,passport,born,code,at\nAung Kyaw,MA123456,01/02/1990,MST,05/03/2569 08:00\n")
    assert isinstance(rej, Rejection) and rej.line == 2
    assert rej.reason.startswith(
        "traveller.birthDate: year 1990 in '01/02/1990' is no Buddhist-era year (the column says calendar: "
        "buddhist, whose years are 2400-2699); a Common-Era year is never moved 543 years back")


def test_an_impossible_date_in_a_buddhist_column_is_not_told_to_declare_the_calendar(tmp_path: Path) -> None:
    # 2568 BE is 2025 CE, no leap year: the date is invalid, and the calendar is already declared
    (rej,) = _read_rows(tmp_path, "name,passport,born,code,at\nAung Kyaw,MA123456,29/02/2568,MST,05/03/2569 08:00\n")
    assert rej.reason.startswith("traveller.birthDate: invalid date value '29/02/2568'")
    assert "calendar: buddhist}" not in rej.reason


def _read_era_column(tmp_path: Path, era: str, born: str) -> list:
    # the calendar read from a column of the row (round 30c: the refusal still said "say hints:
    # {calendar: buddhist}" to a mapping that had said it, per row)
    (tmp_path / "m.yaml").write_text(MAPPING.format(calendar=", calendar: {column: era}"), encoding="utf-8")
    (tmp_path / "log.csv").write_text(f"name,passport,born,code,at,era\nAung Kyaw,MA123456,{born},MST,"
                                      f"05/03/2026 08:00,{era}\n", encoding="utf-8")
    return list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "log.csv"]).records())


def test_a_buddhist_era_year_where_the_calendar_column_says_none_is_told_to_say_it_there(tmp_path: Path) -> None:
    (rej,) = _read_era_column(tmp_path, "gregorian", "01/02/2533")
    assert rej.reason.startswith("traveller.birthDate: year 2533 in '01/02/2533' looks like a Buddhist-era year "
                                 "(2533 BE = 1990 CE); the row's calendar (column 'era') says 'gregorian': if the "
                                 "row writes them, that column says buddhist")


def test_a_common_era_year_where_the_calendar_column_says_buddhist_names_the_column(tmp_path: Path) -> None:
    (rej,) = _read_era_column(tmp_path, "buddhist", "01/02/1990")
    assert rej.reason.startswith("traveller.birthDate: year 1990 in '01/02/1990' is no Buddhist-era year (the row's "
                                 "calendar (column 'era') says buddhist, whose years are 2400-2699)")
