"""Numbers too large to store as written (issue 13 trial): a duration past 64 bits was stored as
null by FalkorDB (its row counted loaded) and crashed a Neo4j load with OverflowError. Every
integer and float value type is bounded, so such a value rejects its row with the reason, and
rows read = loaded + rejected on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import read_mapped

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection
from graphapi.ingest.writer import Provenance
from graphapi.ontology.types import get_type

pytestmark = pytest.mark.backends

PROV = Provenance(owner="TH-IMM", tlp="AMBER", seen="2026-03-01T00:00:00")
CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
TRANSFERS_HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
                    "to_wallet,amount,currency,value_time,reference")
HUGE = "99999999999999999999"  # 10**20: past a 64-bit integer, and past what a float keeps exactly


def _call(n: int, duration: str) -> str:
    return f"CDR{n},+66812345678,+85510904499,2024-03-01 10:1{n}:00,{duration},,TH-CELL-1,TH"


@pytest.mark.parametrize(("type_name", "text"), [
    ("integer", HUGE), ("integer", "-9223372036854775809"), ("duration", HUGE), ("duration", "P99999999999999D"),
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
