"""Mapped CSV behaviour that the reader's compiled per-mapping plan must keep: values, hints,
templates, conditions and line numbers, row by row (see graphapi/ingest/readers/mapped_csv.py)."""

from __future__ import annotations

from pathlib import Path

from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.mapped_csv import MAPPINGS, MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ontology import load_model

CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
CALL = "2026-05-15 09:54:51"

COMPOUND_STAFF = """
name: staff
entities:
  person: {label: Person, required: true, id: {column: person_id}, properties: {name: {column: name}}}
  compound: {label: Compound, required: true, id: {column: compound_id}, properties: {name: {column: compound}}}
relationships:
  - {type: HELD_AT, from: person, to: compound, when: {column: kind, equals: held}}
  - {type: WORKED_AT, from: person, to: compound, when: {column: kind, in: [worked, guarded]}}
"""

ACCOUNTS = """
name: accounts
entities:
  account:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country}:{bank}:{account}"}
      accountNumber: {column: account}
"""

NO_SOURCE = """
name: no-source
entities:
  phone: {label: Phone, properties: {number: {type: phone}}}
"""


def _read(tmp_path: Path, mapping: str, *lines: str) -> tuple[list, ReadStats]:
    """Read ``lines`` (header first) with ``mapping``: a seed mapping's name or a mapping's YAML."""
    path = tmp_path / "feed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if "\n" in mapping:
        (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
        mapping = str(tmp_path / "mapping.yaml")
    reader = MappedCsvReader(load_mapping(mapping), [path])
    return list(reader.records()), reader.stats


def _rejections(items: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


def test_mapped_csv_entity_value_that_does_not_clean_rejects_naming_its_column(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "cdr", CDR_HEADER, f"C1,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,XX")
    assert _rejections(items) == [(2, "caller.country: invalid country value 'XX' in column 'country'")]
    assert (stats.rows, stats.rejected) == (1, 1)


def test_mapped_csv_same_text_cleans_by_each_rows_hint(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, "cdr", CDR_HEADER,
                     f"C1,0812345678,+85510904499,{CALL},420,,TH-CELL-1,TH",
                     f"C2,0812345678,+85510904499,{CALL},420,,VN-CELL-1,VN")
    callers = [i.properties["number"] for i in items if isinstance(i, NodeRecord) and "country" in i.properties]
    assert callers == ["+66812345678", "+84812345678"]


def test_mapped_csv_relationship_key_template_makes_one_edge_per_record(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, "cdr", CDR_HEADER,
                     f"C1,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,TH",
                     f"C2,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,TH")
    calls = [i.id for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"]
    model = load_model()
    assert calls == [model.relationship_id("CALLED", "phone:+66828301908", "phone:+85510904499", key)
                     for key in ("C1", "C2")]


def test_mapped_csv_when_condition_makes_only_the_matching_relationship(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, COMPOUND_STAFF, "person_id,name,compound_id,compound,kind",
                         "p1,Nari Santos,c1,Shwe Kokko,held", "p2,Rahel Bui,c1,Shwe Kokko,guarded",
                         "p3,Tunba Antun,c1,Shwe Kokko, visited")
    edges = [(e.type, e.start) for e in items if isinstance(e, EdgeRecord)]
    assert edges == [("HELD_AT", "p1"), ("WORKED_AT", "p2")]
    assert (stats.rows, stats.loaded) == (3, 3)


def test_mapped_csv_template_reads_columns_whose_header_differs_in_case(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, ACCOUNTS, "ACCOUNT, Bank ,Country", "4051301056,KBZ,MM")
    (account,) = items  # the bank keyed by its BIC, whatever the template says
    assert account.properties == {"accountKey": "MM:KBZBMMMY:4051301056", "accountNumber": "4051301056"}


def test_mapped_csv_coalesce_takes_the_first_spec_that_cleans(tmp_path: Path) -> None:
    header = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
              "to_wallet,amount,currency,value_time")
    items, _ = _read(tmp_path, "transfers", header,
                     "T1,DE89370400440532013000,KBZ,MM,4051301056,BDO,PH,,,10.00,MMK,13/03/2026 03:27:38")
    keys = [i.properties["accountKey"] for i in items if isinstance(i, NodeRecord) and i.label == "BankAccount"]
    assert keys == ["DE89370400440532013000", "PH:BNORPHMM:4051301056"]


def test_mapped_csv_enum_value_outside_its_values_rejects_its_row(tmp_path: Path) -> None:
    header = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,"
              "checkpoint_name,checkpoint_countries,checkpoint_kind,direction,crossed_at")
    items, _ = _read(tmp_path, "crossings", header,
                     "X1,P1,Nari Santos,KH,1983-04-01,G7576565,KH-TH,Pailin,KH;TH,land,sideways,2026-05-25 06:47:54")
    assert _rejections(items) == [(2, "CROSSED.direction: invalid enum value 'sideways' in column 'direction'")]


def test_mapped_csv_value_spec_without_a_source_rejects_each_row_naming_it(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, NO_SOURCE, "number", "+66828301908", "+85510904499")
    reason = "phone.number: value spec needs column, value or template: {'type': 'phone'}"
    assert _rejections(items) == [(2, reason), (3, reason)]
    assert stats.rejected == 2


def test_mapped_csv_short_row_lacking_mapped_fields_is_rejected(tmp_path: Path) -> None:
    # was loaded without its values; a row cut short is rejected naming the counts (issue 3)
    items, stats = _read(tmp_path, "cdr", CDR_HEADER, f"C1,+66828301908,+85510904499,{CALL}")
    assert not [i for i in items if isinstance(i, EdgeRecord)]
    assert _rejections(items) == [(2, "4 fields, header has 8")]
    assert (stats.rows, stats.rejected) == (1, 1)


def _multi_line_cdr() -> str:
    """The shipped cdr mapping as a feed whose quoted fields may hold line breaks (RFC 4180)."""
    text = (MAPPINGS / "cdr.yaml").read_text(encoding="utf-8")
    return text.replace("csv: {records: single-line}", "csv: {records: multi-line}")


def test_mapped_csv_multiline_quoted_field_keeps_the_line_numbers(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, _multi_line_cdr(), CDR_HEADER,
                     f'C1,+66828301908,+85510904499,{CALL},420,,"TH-CELL\n1",TH',
                     f"C2,+66828301908,+85510904499,{CALL},420,,TH-CELL-2,TH",
                     "C3,+66828301908,+85510904499,not-a-date,420,,TH-CELL-3,TH")
    lines = [i.origin.line for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"]
    assert lines == [3, 4]
    assert _rejections(items) == [(5, "CALLED.at: invalid datetime value 'not-a-date' in column 'start_time'")]


def test_mapped_csv_a_quote_left_open_is_rejected_at_the_line_it_opened_on(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, _multi_line_cdr(), CDR_HEADER,
                         f"C1,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,TH",
                         f'C2,+66828301908,+85510904499,{CALL},420,,"TH-CELL-2,TH',
                         f"C3,+66828301908,+85510904499,{CALL},420,,TH-CELL-3,TH",
                         f"C4,+66828301908,+85510904499,{CALL},420,,TH-CELL-4,TH")
    # the open quote runs to the end of the file: line 3 alone is rejected, lines 4 and 5 load
    assert (stats.rows, stats.rejected) == (4, 1)
    assert _rejections(items) == [(3, "unreadable CSV row: unclosed quote: the quoted field opened on line 3 "
                                      "is never closed (the file ends inside it); line 3 rejected, reading "
                                      "resumes at line 4")]
    assert [i.origin.line for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"] == [2, 4, 5]


def test_mapped_csv_blank_lines_are_no_rows(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "cdr", CDR_HEADER, "", f"C1,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,TH",
                         "", "", f"C2,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,TH")
    assert [i.origin.line for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"] == [3, 6]
    assert (stats.rows, stats.loaded) == (2, 2)


def test_mapped_csv_unreadable_first_row_is_reported_at_its_line(tmp_path: Path) -> None:
    huge = "x" * 1_100_000  # over the 1 MiB field limit
    items, stats = _read(tmp_path, "cdr", CDR_HEADER, f"C1,+66828301908,+85510904499,{CALL},420,,{huge},TH",
                         f"C2,+66828301908,+85510904499,{CALL},420,,TH-CELL-1,TH")
    (line, reason), = _rejections(items)
    assert line == 2 and reason.startswith("unreadable CSV row: field larger than field limit")
    assert (stats.rows, stats.loaded) == (2, 1)


def test_mapped_csv_keeps_phones_remembered_when_unique_timestamps_fill_the_memo(tmp_path: Path, monkeypatch) -> None:
    from graphapi.ingest.mapping import memo
    from graphapi.ontology.types.phone import PhoneType

    monkeypatch.setattr(memo, "_CLEANED", {})
    monkeypatch.setattr(memo, "_remembered", 0)
    monkeypatch.setattr(memo, "_CACHE_MAX", 50)
    cleaned: list[str] = []
    clean = PhoneType.clean

    def counted(self, value, *args, **hints):
        cleaned.append(value)
        return clean(self, value, *args, **hints)

    monkeypatch.setattr(PhoneType, "clean", counted)
    rows = [f"C{i},+66828301908,+85510904499,2026-05-15 09:{i // 60:02d}:{i % 60:02d},420,,TH-CELL-1,TH"
            for i in range(120)]
    items, stats = _read(tmp_path, "cdr", CDR_HEADER, *rows)
    assert (stats.rows, stats.rejected) == (120, 0)
    assert sorted(set(cleaned)) == ["+66828301908", "+85510904499"]
    assert len(cleaned) == 2  # each number parsed once, though 120 distinct timestamps passed the memo's limit


def test_mapped_csv_ids_are_canonical_as_it_declares(tmp_path: Path) -> None:
    from graphapi.ontology.ids import is_canonical_id

    items, _ = _read(tmp_path, COMPOUND_STAFF, "person_id,name,compound_id,compound,kind",
                     " P-1 ,Chen,Cafe\u0301 ,KK Park,held")
    assert MappedCsvReader.canonical_ids
    ids = [i.id for i in items if isinstance(i, NodeRecord)] + [e for i in items if isinstance(i, EdgeRecord)
                                                                for e in (i.start, i.end)]
    assert ids == ["P-1", "Caf\u00e9", "P-1", "Caf\u00e9"] and all(map(is_canonical_id, ids))
