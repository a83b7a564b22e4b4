"""Numbers too large to store as written (issue 13 trial): a duration past 64 bits was stored as
null by FalkorDB (its row counted loaded) and crashed a Neo4j load with OverflowError. Every
integer and float value type is bounded, so such a value rejects its row with the reason, and
rows read = loaded + rejected on both stores."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from ingest_helpers import read_mapped

from graphapi.app import create_app
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection
from graphapi.ingest.writer import Provenance
from graphapi.ontology.types import get_type
from graphapi.security import Principal

pytestmark = pytest.mark.backends

PROV = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-03-01T00:00:00")
CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
TRANSFERS_HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
                    "to_wallet,amount,currency,value_time,reference")
HUGE = "99999999999999999999"  # 10**20: past a 64-bit integer, and past what a float keeps exactly
CLOCK = "9" * 310 + ":00:00"  # an hour past a float: int * 3600 raised OverflowError (attack 30b, H4)


def _call(n: int, duration: str) -> str:
    return f"CDR{n},+66812345678,+85510904499,2024-03-01 10:1{n}:00,{duration},,TH-CELL-1,TH"


@pytest.mark.parametrize(("type_name", "text"), [
    ("integer", HUGE), ("integer", "-9223372036854775809"), ("duration", HUGE), ("duration", "P99999999999999D"),
    ("duration", CLOCK), ("duration", "9" * 5000 + ":00:00"), ("duration", "P" + "9" * 310 + "D"),
    ("amount", HUGE), ("float", "1e400"), ("float", "1e300")])
def test_a_number_too_large_to_store_as_written_is_no_value(type_name: str, text: str) -> None:
    vtype = get_type(type_name)
    assert vtype.clean(text) is None
    assert "out of range" in vtype.refusal(text)


@pytest.mark.parametrize(("type_name", "text", "value"), [
    ("integer", "9223372036854775807", 2**63 - 1), ("integer", "-9223372036854775808", -(2**63)),
    ("duration", "86400", 86400), ("amount", "9,007,199,254,740,992", 2.0**53), ("float", "1e15", 1e15)])
def test_the_largest_numbers_a_store_keeps_exactly_still_clean(type_name: str, text: str, value: float) -> None:
    assert get_type(type_name).clean(text) == value


def test_a_call_duration_past_64_bits_rejects_its_row_with_the_reason(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, HUGE), _call(2, "30"))
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (2, f"CALLED.durationS: number '{HUGE}' out of range (past 9,007,199,254,740,992 a number is not "
            "stored as written) in column 'duration_s'")]
    assert [e.properties["durationS"] for e in items if isinstance(e, EdgeRecord) and e.type == "CALLED"] == [30]


def test_a_transfer_amount_too_large_to_store_as_written_rejects_its_row(tmp_path: Path) -> None:
    row = f"TX1,4051301056,KBZ,MM,1073835163,BDO,PH,,,{HUGE},THB,13/03/2026 03:27:38,fee"
    reader, items = read_mapped(tmp_path, "transfers", TRANSFERS_HEADER, row)
    assert [r.reason.split(":")[0] for r in items if isinstance(r, Rejection)] == ["TRANSFERRED_TO.amount"]
    assert reader.stats.rejected == 1


async def test_a_load_with_a_duration_past_64_bits_rejects_that_row_and_loads_the_next(
        empty_store, tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text("\n".join([CDR_HEADER, _call(1, HUGE), _call(2, "30")]) + "\n", encoding="utf-8")
    summary = await run_load(empty_store, MappedCsvReader(load_mapping("cdr"), [path]), source="t", provenance=PROV)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 1, 1)
    assert summary.relationships_created >= 1


def test_a_call_duration_written_as_a_huge_clock_rejects_its_row_not_the_load(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, CLOCK), _call(2, "30"))
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (2, f"CALLED.durationS: duration {CLOCK!r} out of range in column 'duration_s'")]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (2, 1, 1)


def test_an_ftm_call_with_a_huge_clock_duration_rejects_its_line_and_reads_the_next(tmp_path: Path) -> None:
    path = tmp_path / "x.ftm.json"
    path.write_text('{"id": "call-1", "schema": "Call", "properties": {"callerNumber": ["+66812345678"], '
                    '"receiverNumber": ["+85512345678"], "date": ["2024-01-01T10:00:00"], '
                    f'"duration": ["{CLOCK}"]}}}}\n'
                    '{"id": "p-1", "schema": "Person", "properties": {"name": ["Somchai"]}}\n', encoding="utf-8")
    items = list(FtmReader([path]).records())
    assert [r.line for r in items if isinstance(r, Rejection)] == [1]
    assert [i.properties.get("name") for i in items if getattr(i, "label", None) == "Person"] == ["Somchai"]


async def test_ingest_records_with_a_huge_clock_duration_rejects_that_record(empty_store) -> None:
    loader = Principal("feed-th", agency="TH-POLICE", roles=frozenset({"loader"}))
    records = [
        {"kind": "node", "label": "Phone", "properties": {"number": "089 876 5432"}, "hints": {"country": "TH"},
         "key": "p1"},
        {"kind": "relationship", "type": "CALLED", "from": "p1", "to": "phone:+66812345678",
         "properties": {"at": "2024-10-03T09:00:00+07:00", "durationS": CLOCK}, "discriminator": "d1"}]
    mutation = """mutation($records: [JSON!]!) { ingest(records: $records, dryRun: true) {
      accepted rejected { index reason } } }"""
    app = create_app(store=empty_store, principal_provider=lambda request: loader)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as client:
        r = await client.post("/graphql", json={"query": mutation, "variables": {"records": records}})
    assert r.status_code == 200
    body = r.json()
    assert "errors" not in body
    assert [x["index"] for x in body["data"]["ingest"]["rejected"]] == [1]
    assert "out of range" in body["data"]["ingest"]["rejected"][0]["reason"]
