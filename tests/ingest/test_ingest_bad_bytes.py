"""One bad row is one rejection: a NUL, a byte that is not UTF-8, or an oversized field never
stops a file, and everything else in it loads (rows read = rows loaded + rows rejected)."""

from __future__ import annotations

import json
from pathlib import Path

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.readers.ofac import read_ofac
from graphapi.ingest.records import Rejection

HEADER = b"record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
GOOD = b"CDR1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n"


def _cdr(tmp_path: Path, *bad: bytes) -> list:
    path = tmp_path / "cdr.csv"
    path.write_bytes(HEADER + GOOD + b"".join(bad) + GOOD.replace(b"CDR1", b"CDR9"))
    reader = MappedCsvReader(load_mapping("cdr"), [path])
    items = list(reader.records())
    return items, reader.stats


def _rejections(items: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


def test_a_nul_in_a_field_rejects_that_row_only(tmp_path):
    items, stats = _cdr(tmp_path, b"CDR2,08283\x0001908,+85510904499,2026-05-15 09:54:51,420,,,TH\n")
    assert _rejections(items) == [(3, "NUL character in a value")]
    assert (stats.rows, stats.rejected, stats.loaded) == (3, 1, 2)


def test_a_byte_that_is_not_utf8_rejects_that_row_only(tmp_path):
    items, stats = _cdr(tmp_path, b"CDR2,0828301908,+85510904499,2026-05-15 09:54:51,420,,Caf\xe9,TH\n")
    assert _rejections(items) == [(3, "bytes that are not UTF-8 (0xe9)")]
    assert (stats.rows, stats.loaded) == (3, 2)


def test_a_field_over_the_csv_size_limit_rejects_that_row_only(tmp_path):
    huge = b"x" * 2_000_000  # over MAX_FIELD_CHARS (1 MiB), whatever other imports set
    items, stats = _cdr(tmp_path, b"CDR2,0828301908,+85510904499,2026-05-15 09:54:51,420,,," + huge + b"\n")
    (line, reason), = _rejections(items)
    assert line == 3 and reason.startswith("unreadable CSV row: field larger than field limit")
    assert (stats.rows, stats.loaded) == (3, 2)


def test_ofac_row_with_a_nul_is_rejected_and_the_rest_loads(tmp_path):
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes(b'1,"ALPHA CO",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
                    b'2,"BE\x00TA CO",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n')
    reader = read_ofac(sdn)
    items = list(reader.records())
    assert _rejections(items) == [(2, "NUL character in a value")]
    assert (reader.stats.rows, reader.stats.loaded) == (2, 1)


def test_ftm_line_with_a_json_escaped_nul_or_a_bad_byte_is_rejected_and_the_rest_loads(tmp_path):
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["Alpha"]}}
    path = tmp_path / "e.json"
    path.write_bytes(json.dumps(good).encode() + b"\n"
                     + json.dumps({**good, "id": "p2", "properties": {"name": ["Be\u0000ta"]}}).encode() + b"\n"
                     + b'{"id": "p3", "schema": "Person", "properties": {"name": ["Caf\xe9"]}}\n')
    reader = FtmReader([path])
    items = list(reader.records())
    assert _rejections(items) == [(2, "NUL character in a value"), (3, "bytes that are not UTF-8 (0xe9)")]
    assert (reader.stats.rows, reader.stats.loaded) == (3, 1)


async def test_the_reject_report_keeps_a_row_whose_bytes_are_not_utf8(tmp_path):
    from graphapi.ingest.pipeline import run_load

    path = tmp_path / "cdr.csv"
    path.write_bytes(HEADER + GOOD + b"CDR2,0828301908,+85510904499,2026-05-15 09:54:51,420,,\xff\xfe,TH\n")
    report = tmp_path / "rejects.jsonl"
    summary = await run_load(None, MappedCsvReader(load_mapping("cdr"), [path]), source="cdr", dry_run=True,
                             reject_report=report)
    (line,) = report.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["reason"] == "bytes that are not UTF-8 (0xff)" and "\\udcff" in line
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 1, 1)


def test_a_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path):
    path = tmp_path / "cdr.csv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER + GOOD)
    reader = MappedCsvReader(load_mapping("cdr"), [path])
    items = list(reader.records())
    assert reader.stats.loaded == 1 and not _rejections(items)


def test_ofac_utf8_file_with_one_bad_byte_rejects_that_row_and_keeps_the_other_names(tmp_path):
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes('1,"NGUYỄN CO",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'.encode()
                    + b'2,"BAD\xff CO",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n')
    reader = read_ofac(sdn)
    items = list(reader.records())
    assert _rejections(items) == [(2, "bytes that are not UTF-8 (0xff)")]
    names = [r.properties.get("name") for r in items if getattr(r, "id", "").startswith("ofac-")]
    assert names == ["NGUYỄN CO"]


def test_ofac_windows_1252_file_is_still_read_as_such(tmp_path):
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes('1,"CAFÉ CO",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'.encode("cp1252"))
    items = list(read_ofac(sdn).records())
    assert [r.properties.get("name") for r in items if getattr(r, "id", "").startswith("ofac-")] == ["CAFÉ CO"]


def test_ftm_value_over_one_mebibyte_rejects_its_line(tmp_path):
    path = tmp_path / "e.json"
    big = {"id": "p9", "schema": "Person", "properties": {"name": ["x" * 1_100_000]}}
    path.write_text(json.dumps({"id": "p1", "schema": "Person", "properties": {"name": ["Alpha"]}}) + "\n"
                    + json.dumps(big) + "\n")
    reader = FtmReader([path])
    items = list(reader.records())
    assert _rejections(items) == [(2, "a value over 1,048,576 characters")]
    assert (reader.stats.rows, reader.stats.loaded) == (2, 1)
