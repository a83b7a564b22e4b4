"""Mapped CSV defects found in a fresh-user trial (issue 3, "Mapped CSV" and "Every loader"):
ids and keys from empty or placeholder columns, account keys from raw country text, transfers
to placeholder accounts, malformed headers, rows and mappings, empty files."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, MappingError, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

CASES = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
         "compound_id,compound_name,compound_country,rescued,repatriated")
CASE = "TH-DSI,TH-DSI-2026-00001,Fraud compound,2026-01-01"
COMPOUND = "MM-SHWEKOKKO,Shwe Kokko,MM,2025-12-26,2026-01-23"
CROSSINGS = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,checkpoint_name,"
             "checkpoint_countries,checkpoint_kind,direction,crossed_at")
TRANSFERS = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
             "to_wallet,amount,currency,value_time,reference")
WHEN = "13/03/2026 03:27:38"
CDR = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
CALL = "C1,+66828301908,+85510904499,2026-05-15 09:54:51,420,,TH-CELL-1,TH"


def _read(tmp_path: Path, mapping: str, *lines: str) -> tuple[list, ReadStats]:
    """Read ``lines`` (header first) with a seed mapping's name or a mapping's YAML text."""
    path = tmp_path / "feed.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    if "\n" in mapping:
        (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
        mapping = str(tmp_path / "mapping.yaml")
    reader = MappedCsvReader(load_mapping(mapping), [path])
    return list(reader.records()), reader.stats


def _nodes(items: list, label: str) -> dict[str, NodeRecord]:
    return {n.id: n for n in items if isinstance(n, NodeRecord) and n.label == label}


def _edges(items: list, type_: str) -> list[EdgeRecord]:
    return [e for e in items if isinstance(e, EdgeRecord) and e.type == type_]


def _rejections(items: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


# -- 1. ids and keys from empty or placeholder columns ------------------------------------------

def test_mapped_csv_template_id_from_an_empty_column_rejects_a_required_entity_naming_it(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "cases", CASES,
                         f"{CASE},,Alice Tan,victim,TH,female,1990-01-01,,{COMPOUND}",
                         f"{CASE},,Bob Lee,suspect,MM,male,1980-01-01,,{COMPOUND}")
    assert _nodes(items, "Person") == {}
    assert [line for line, _ in _rejections(items)] == [2, 3]
    assert all("'person_id'" in reason and "person (Person)" in reason for _, reason in _rejections(items))
    assert (stats.rows, stats.rejected) == (2, 2)


def test_mapped_csv_template_id_from_a_null_token_is_no_id(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, "cases", CASES, f"{CASE},N/A,Alice Tan,victim,TH,female,1990-01-01,,{COMPOUND}")
    assert "TH-DSI-N/A" not in _nodes(items, "Person")
    assert len(_rejections(items)) == 1 and "'person_id'" in _rejections(items)[0][1]


def test_mapped_csv_crossings_with_empty_person_id_merge_no_travellers(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "crossings", CROSSINGS,
                         "X1,,Alice Tan,TH,1990-01-01,A1,KH-TH-PAILIN,Pailin,KH;TH,land,exit,2026-05-25 06:47:54",
                         "X2,,Bob Lee,MM,1980-01-01,B2,KH-TH-PAILIN,Pailin,KH;TH,land,exit,2026-05-25 06:49:52")
    assert "imm-" not in _nodes(items, "Person") and _edges(items, "CROSSED") == []
    assert (stats.rows, stats.rejected) == (2, 2)


def test_mapped_csv_template_id_from_an_empty_column_skips_a_non_required_entity(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "cases", CASES,
                         f"{CASE},P1,Alice Tan,victim,TH,female,1990-01-01,,,Shwe Kokko,MM,2025-12-26,2026-01-23")
    assert _nodes(items, "Compound") == {} and _edges(items, "HELD_AT") == []
    assert set(_nodes(items, "Person")) == {"TH-DSI-P1"}
    assert stats.rejected == 0


def test_mapped_csv_relationship_key_from_an_empty_column_rejects_the_row_naming_it(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "transfers", TRANSFERS,
                         f",1234567,KBZ,MM,7654321,BDO,PH,,,10.00,USD,{WHEN},a",
                         f",1234567,KBZ,MM,7654321,BDO,PH,,,99.00,USD,{WHEN},b")
    assert _edges(items, "TRANSFERRED_TO") == []
    assert [line for line, _ in _rejections(items)] == [2, 3]
    assert all("'txn_ref'" in reason for _, reason in _rejections(items))
    assert (stats.rows, stats.rejected) == (2, 2)


# -- 2. account keys from the cleaned country code ------------------------------------------------

def test_mapped_csv_transfers_account_key_uses_the_cleaned_country_code(tmp_path: Path) -> None:
    items, _ = _read(tmp_path, "transfers", TRANSFERS,
                     f"TN1,1234567,KBZ,Myanmar,7654321,BDO,Philippines,,,10.00,USD,{WHEN},a",
                     f"TN2,1234567,KBZ,MM,7654321,BDO,PH,,,20.00,USD,{WHEN},b",
                     f"TN3,1234567,KBZ,Burma,7654321,BDO,ph,,,30.00,USD,{WHEN},c")
    accounts = _nodes(items, "BankAccount")
    assert set(accounts) == {"account:MM:KBZBMMMY:1234567", "account:PH:BNORPHMM:7654321"}
    assert accounts["account:MM:KBZBMMMY:1234567"].properties["accountKey"] == "MM:KBZBMMMY:1234567"
    assert {(e.start, e.end) for e in _edges(items, "TRANSFERRED_TO")} == {
        ("account:MM:KBZBMMMY:1234567", "account:PH:BNORPHMM:7654321")}


def test_mapped_csv_template_field_typed_with_an_unknown_type_is_a_mapping_error(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "name: m\nentities:\n  account:\n    label: BankAccount\n    properties:\n"
        "      accountKey: {template: \"{country:nosuch}:{account}\"}\n", encoding="utf-8")
    with pytest.raises(MappingError, match="nosuch"):
        load_mapping(tmp_path / "m.yaml")


# -- 3. transfers to placeholder accounts -----------------------------------------------------------

def test_mapped_csv_transfer_from_a_placeholder_account_rejects_its_row(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "transfers", TRANSFERS, f"TN9,0,KBZ,MM,7654321,BDO,PH,,,10.00,USD,{WHEN},a")
    assert [r for r in items if not isinstance(r, Rejection)] == []
    (rej,) = [r for r in items if isinstance(r, Rejection)]
    assert rej.reason == ("from_account (BankAccount): BankAccount needs key property 'accountKey': "
                          "column 'from_account' is '0'")
    assert rej.raw["txn_ref"] == "TN9" and rej.raw["amount"] == "10.00"
    assert (stats.rows, stats.rejected) == (1, 1)


def test_mapped_csv_transfer_to_a_null_token_account_rejects_its_row(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "transfers", TRANSFERS, f"TN10,1234567,KBZ,MM,N/A,BDO,PH,,,10.00,USD,{WHEN},a")
    assert [r for r in items if not isinstance(r, Rejection)] == []
    (rej,) = [r for r in items if isinstance(r, Rejection)]
    assert "TRANSFERRED_TO" in rej.reason and "to_account" in rej.reason
    assert (stats.rows, stats.rejected) == (1, 1)


def test_mapped_csv_transfer_to_a_wallet_instead_of_an_account_still_loads(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "transfers", TRANSFERS,
                         f"TN11,1234567,KBZ,MM,,,,USDT,TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8,10.00,USD,{WHEN},a",
                         f"TN12,1234567,KBZ,MM,,BDO,PH,USDT,TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8,20.00,USD,{WHEN},b")
    assert stats.rejected == 0
    assert [(e.end, e.properties["txId"]) for e in _edges(items, "TRANSFERRED_TO")] == [
        ("wallet:TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8", "TN11"), ("wallet:TNmRfnSUXZoWWzxcDDbf95eGQYXt1mJDt8", "TN12")]


def test_mapped_csv_placeholder_transfer_is_counted_rejected_by_the_load(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{TRANSFERS}\nTN1,1234567,KBZ,MM,7654321,BDO,PH,,,5.00,USD,{WHEN},a\n"
                    f"TN9,0,KBZ,MM,7654321,BDO,PH,,,10.00,USD,{WHEN},b\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping("transfers"), [path])
    summary = asyncio.run(run_load(None, reader, source="t", dry_run=True, reject_report=tmp_path / "r.jsonl"))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 1, 1)
    assert summary.placeholders_excluded == 0
    assert '"txn_ref": "TN9"' in (tmp_path / "r.jsonl").read_text(encoding="utf-8")


def test_mapped_csv_plain_link_to_a_placeholder_phone_keeps_the_value_as_text(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "cases", CASES, f"{CASE},P1,Alice Tan,victim,TH,female,1990-01-01,N/A,{COMPOUND}")
    assert stats.rejected == 0
    assert _nodes(items, "Person")["TH-DSI-P1"].properties["identifiers"] == ["Phone:N/A"]
    assert _edges(items, "USES_PHONE") == []


# -- 4. malformed headers, rows, mappings and files -------------------------------------------------

def test_mapped_csv_header_with_a_mapped_column_twice_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="'caller'"):
        _read(tmp_path, "cdr", "record_id,caller,callee,start_time,duration_s,imei,cell_id,country,Caller", CALL)


def test_mapped_csv_row_with_more_fields_than_the_header_is_rejected(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "cdr", CDR, CALL + ",extra,more")
    assert _rejections(items) == [(2, "10 fields, header has 8")]
    assert [r.raw for r in items if isinstance(r, Rejection)] == [CALL.split(",") + ["extra", "more"]]
    assert (stats.rows, stats.rejected) == (1, 1)


def test_mapped_csv_row_lacking_a_mapped_field_is_rejected(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "transfers", TRANSFERS, "TN15,1234567,KBZ,MM,1")
    assert _rejections(items) == [(2, "5 fields, header has 13")]
    assert _nodes(items, "BankAccount") == {}
    assert (stats.rows, stats.rejected) == (1, 1)


def test_mapped_csv_row_lacking_only_unmapped_trailing_fields_loads(tmp_path: Path) -> None:
    items, stats = _read(tmp_path, "transfers", TRANSFERS, f"TN1,1234567,KBZ,MM,7654321,BDO,PH,,,10.00,USD,{WHEN}")
    assert stats.rejected == 0
    assert [e.properties["txId"] for e in _edges(items, "TRANSFERRED_TO")] == ["TN1"]


@pytest.mark.parametrize("text", ["", "# nothing\n", "name: empty\n", "name: x\nentities: {}\n"])
def test_mapped_csv_mapping_with_no_entities_is_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match="no entities"):
        load_mapping(tmp_path / "m.yaml")


def test_mapped_csv_empty_file_reads_no_rows_and_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    reader = MappedCsvReader(load_mapping("cdr"), [path])
    with caplog.at_level(logging.WARNING, logger="graphapi.ingest"):
        assert list(reader.records()) == []
    assert (reader.stats.rows, reader.stats.rejected) == (0, 0)
    assert "empty.csv is empty" in caplog.text


def test_a_person_id_of_zeros_merges_no_one_and_rejects_its_row(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CASES_HEADER_FOR_ZEROS + "\n"
                    "TH-DSI,C7,Case,2026-01-01,0,Zero A,victim,TH,male,,,,,,,\n"
                    "TH-DSI,C7,Case,2026-01-01,000000,Zero B,victim,TH,male,,,,,,,\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping("cases"), [path]).records())
    assert [i.reason for i in items if isinstance(i, Rejection)] == [
        "person (Person): no id: column 'person_id' is '0'", "person (Person): no id: column 'person_id' is '000000'"]


def test_a_template_field_is_stripped_of_blanks(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CASES_HEADER_FOR_ZEROS + "\n"
                    "TH-DSI,C7,Case,2026-01-01, P77 ,A,victim,TH,male,,,,,,,\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping("cases"), [path]).records())
    assert [i.id for i in items if isinstance(i, NodeRecord) and i.label == "Person"] == ["TH-DSI-P77"]


def test_a_transfer_with_neither_account_nor_wallet_to_pay_rejects_its_row(tmp_path: Path) -> None:
    path = tmp_path / "transfers.csv"
    path.write_text("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
                    "to_wallet,amount,currency,value_time,reference\n"
                    "X9,5555,BBL,TH,,,,,,100,THB,01/02/2026 10:00:00,x\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping("transfers"), [path]).records())
    assert [i.reason for i in items] == ["no TRANSFERRED_TO made: the row has no to_account or to_wallet"]


CASES_HEADER_FOR_ZEROS = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,"
                          "birth_date,phone,compound_id,compound_name,compound_country,rescued,repatriated")
