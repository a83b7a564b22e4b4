"""Files without a header row (new-user report: ``lintas mapping init`` on a headerless call-record
file took its first call for column names): ``csv: {header: false}`` names the columns by
position, ``"1"`` first, and reads the first row as a row; a file lacking a mapped column whose
first row looks like data is told how to read it (graphapi/ingest/mapping/header.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphapi.ingest.mapping.draft import draft_mapping
from graphapi.ingest.mapping.header import first_row_is_data, starts_with_data
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection

REPO = Path(__file__).resolve().parents[2]
#: OFAC's header-less files (no header row: ../shared/data/README.md): seed's copy, and the shared
#: data's when it is beside the repository
OFAC = sorted({(d / f).resolve() for d in (REPO / "seed" / "ofac", REPO.parent / "shared" / "data" / "ofac")
               for f in ("sdn_sea_scam_subset.csv", "add_sea_scam_subset.csv") if (d / f).exists()})
CALLS = ["081 234 5678,2024-03-01 10:00:00,+66815550143,30", "+66815550142,2024-03-02 11:00:00,+66815550143,45"]
NUMBERED = """name: calls
csv: {header: false}
hints: {country: TH, tz: Asia/Bangkok}
entities:
  caller: {label: Phone, properties: {number: {column: "1"}}}
  callee: {label: Phone, properties: {number: {column: "3"}}}
relationships:
  - {type: CALLED, from: caller, to: callee, properties: {at: {column: "2"}, durationS: {column: "COLUMN"}}}
"""


def _mapping(tmp_path: Path, text: str):
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    return load_mapping(tmp_path / "m.yaml")


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_a_headerless_file_reads_its_first_row_as_a_row_with_columns_by_position(tmp_path: Path) -> None:
    reader = MappedCsvReader(_mapping(tmp_path, NUMBERED.replace("COLUMN", "4")), [_file(tmp_path, *CALLS)])
    calls = [(e.origin.line, e.start, e.properties["at"], e.properties["durationS"])
             for e in reader.records() if isinstance(e, EdgeRecord)]
    assert calls == [(1, "phone:+66812345678", "2024-03-01T03:00:00", 30),
                     (2, "phone:+66815550142", "2024-03-02T04:00:00", 45)]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)


def test_a_headerless_row_of_another_width_is_rejected_against_the_first_rows(tmp_path: Path) -> None:
    reader = MappedCsvReader(_mapping(tmp_path, NUMBERED.replace("COLUMN", "4")),
                             [_file(tmp_path, CALLS[0], "+66815550142,2024-03-02 11:00:00")])
    [rejection] = [r for r in reader.records() if isinstance(r, Rejection)]
    assert (rejection.line, rejection.reason) == (2, "2 fields, first row has 4")


def test_a_headerless_mapping_reading_a_column_past_the_first_row_is_refused(tmp_path: Path) -> None:
    reader = MappedCsvReader(_mapping(tmp_path, NUMBERED.replace("COLUMN", "7")), [_file(tmp_path, *CALLS)])
    with pytest.raises(MappingError, match=r"the mapping reads column\(s\) \['7'\], the first row has 4"):
        list(reader.records())


def test_a_headerless_mapping_naming_a_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"numbers the columns from \"1\"; the mapping reads column\(s\) "
                                           r"\['duration_s'\] by name"):
        _mapping(tmp_path, NUMBERED.replace("COLUMN", "duration_s"))


def test_a_column_written_as_a_bare_number_is_refused_saying_to_quote_it(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match=r"a column is named by text, not 4 \(quote a number: \{column: \"4\"\}\)"):
        _mapping(tmp_path, NUMBERED.replace('"COLUMN"', "4"))


def test_a_file_lacking_a_mapped_column_whose_first_row_is_data_is_told_about_header_false(tmp_path: Path) -> None:
    reader = MappedCsvReader(load_mapping("cdr"), [_file(tmp_path, *CALLS)])
    with pytest.raises(MappingError, match=r"its first row looks like data: if the file has no header, say "
                                           r"csv: \{header: false\} in the mapping"):
        list(reader.records())


def test_a_first_row_of_phone_numbers_dates_and_numbers_is_data() -> None:
    assert first_row_is_data(["C1", "+66828301908", "+85510904499", "2026-05-15 09:54:51", "420", "", "X", "TH"])


def test_a_first_row_of_a_transfer_mostly_bank_names_and_words_is_data_by_its_date() -> None:
    # new-user report: 5 of 13 cells look like data, under the half, but a header holds no date
    assert first_row_is_data(["TX-0001", "6242913084", "AYA Bank", "MM", "7654321", "ធនាគារ ABA", "KH", "", "",
                              "250.00", "USD", "13/03/2026 03:27", "salary advance", "Yangon", "branch 12"])


def test_a_header_with_one_number_like_name_is_still_a_header() -> None:
    assert not first_row_is_data(["Ref No", "2024", "Sender Bank", "Amount", "Ccy", "Value Date", "Narrative"])


def test_a_first_row_of_column_names_is_a_header() -> None:
    assert not first_row_is_data(["record_id", "caller", "callee", "start_time", "duration_s", "imei", "country"])


def test_no_shipped_sample_is_taken_for_headerless() -> None:
    firsts = {p.name: p.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
              for p in (REPO / "seed" / "samples").glob("*.csv")}
    assert len(firsts) >= 8 and [n for n, cells in firsts.items() if first_row_is_data(cells)] == []


@pytest.mark.parametrize("path", OFAC, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_ofacs_header_less_files_are_drafted_without_a_header(path: Path) -> None:
    draft = draft_mapping(path)
    assert "no header row (its first row looks like data)" in draft
    assert "  header: false" in draft


def test_seeds_ofac_files_are_both_there_to_be_drafted() -> None:
    assert {p.name for p in OFAC} == {"sdn_sea_scam_subset.csv", "add_sea_scam_subset.csv"}


def test_a_first_row_naming_a_value_three_times_is_no_header() -> None:
    # OFAC's first SDN row: one number, words, and its null marker eight times
    row = ["53778", "KAREN NATIONAL ARMY", "-0-", "TCO] [BURMA-EO14014"] + ["-0-"] * 7 + ["Remarks"]
    assert first_row_is_data(row)


def test_a_header_naming_a_column_three_times_over_typed_columns_is_a_header() -> None:
    # the columns below are typed (countries aside, phones): their first cells are names (a-60, 4)
    below = [["P-001", "Somchai Jaidee", "Chai", "Som", "Big Brother", "TH", "+66812345678"],
             ["P-002", "Nguyen Van An", "An", "Anh Ba", "", "VN", "+84912345678"],
             ["P-003", "Li Wei", "Wei", "", "", "CN", "+8613812345678"]]
    assert not first_row_is_data(["person_id", "full_name", "alias", "alias", "alias", "nationality", "phone"], below)


def test_a_header_naming_a_column_twice_is_still_a_header() -> None:
    assert not first_row_is_data(["record_id", "name", "notes", "notes", "country"])


def test_a_first_row_typed_like_the_columns_below_is_data() -> None:
    below = [["53779", "SAW CHIT THU", "individual"], ["53780", "SHWE KOKKO", "entity"]]
    assert first_row_is_data(["53778", "KAREN NATIONAL ARMY", "entity"], below)


def test_a_header_over_typed_columns_is_a_header() -> None:
    below = [["53779", "SAW CHIT THU", "2024-03-01"], ["53780", "SHWE KOKKO", "2024-03-02"]]
    assert not first_row_is_data(["ent_num", "name", "listed"], below)


def test_a_header_naming_one_column_by_a_number_is_a_header_over_its_rows() -> None:
    below = [["R-1", "1200.50", "120", "2024-03-01"], ["R-2", "99.00", "80", "2024-03-02"]]
    assert not first_row_is_data(["Ref No", "Amount", "2024", "Value Date"], below)


def test_no_shipped_sample_starts_with_data() -> None:
    samples = sorted((REPO / "seed" / "samples").glob("*.csv"))
    assert len(samples) >= 8 and [p.name for p in samples if starts_with_data(p)] == []


def test_a_mapped_column_named_twice_by_a_row_of_data_is_told_about_header_false() -> None:
    from graphapi.ingest.readers.mapped_header import check_header

    row = ["53778", "KAREN NATIONAL ARMY", "-0-", "TCO] [BURMA-EO14014"] + ["-0-"] * 7 + ["Remarks"]
    with pytest.raises(MappingError, match=r"more than once.*csv: \{header: false\}"):
        check_header(Path("sdn.csv"), row, {"-0-"})
