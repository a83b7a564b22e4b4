"""Values a careful loader accepts or refuses, on the shipped call-record and transfer mappings:
epoch times are instants and a local time records the zone it was read in; a fractional
duration is accepted and a negative one refused; a transfer's amount is never negative nor
missing and its currency is an ISO 4217 code. Each refused row is in the reject report with its
file, line and reason, and rows read = loaded + rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import read_mapped

from graphapi.ingest.load_kinds import readable_mapping
from graphapi.ingest.mapping import MappingError
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection
from graphapi.ontology.types import get_type

REPO = Path(__file__).resolve().parents[2]
CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
TRANSFERS_HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
                    "to_wallet,amount,currency,value_time,reference")


def _edges(items: list, rel: str) -> list[EdgeRecord]:
    return [i for i in items if isinstance(i, EdgeRecord) and i.type == rel]


def _rejects(items: list) -> list[tuple[str, int, str]]:
    return [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)]


def _cdr_with_at(path: Path, at_spec: str) -> Path:
    """The shipped cdr mapping with its call time read by ``at_spec``, written to ``path``."""
    text = (REPO / "seed" / "mappings" / "cdr.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("at: {column: start_time}", at_spec), encoding="utf-8")
    return path


def _call(n: int, start: str, duration: str) -> str:
    return f"CDR{n},+66812345678,+85510904499,{start},{duration},,TH-CELL-1,TH"


def _transfer(n: int, amount: str, currency: str = "THB") -> str:
    return f"TX{n},4051301056,KBZ,MM,1073835163,BDO,PH,,,{amount},{currency},13/03/2026 03:27:38,fee"


# -- 1. times --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "instant"), [
    ("1709262900", "2024-03-01T03:15:00"),          # epoch seconds (10 digits)
    ("1709262900000", "2024-03-01T03:15:00"),       # epoch milliseconds (13 digits)
    ("1709262900.75", "2024-03-01T03:15:00"),
    ("999999999", "2001-09-09T01:46:39"),           # 9 digits: seconds
])
def test_epoch_seconds_and_milliseconds_are_instants_by_their_magnitude(text: str, instant: str) -> None:
    assert get_type("datetime").clean(text, tz="Asia/Bangkok") == instant


@pytest.mark.parametrize("text", ["20240301", "1709262900123456", "12345"])
def test_digits_of_no_epoch_magnitude_are_no_instant(text: str) -> None:
    assert get_type("datetime").clean(text) is None


def test_an_epoch_call_time_loads_and_records_no_assumed_zone(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, "1709262900000", "60"))
    (call,) = _edges(items, "CALLED")
    assert call.properties["at"] == "2024-03-01T03:15:00"
    assert "assumedTimeZone" not in call.properties


def test_a_local_call_time_records_the_zone_it_was_read_in(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, "2024-03-01 10:15:00", "60"),
                          _call(2, "2024-03-01T10:15:00+07:00", "60"))
    local, zoned = _edges(items, "CALLED")
    assert (local.properties["at"], local.properties["assumedTimeZone"]) == ("2024-03-01T03:15:00", "Asia/Bangkok")
    assert zoned.properties["at"] == "2024-03-01T03:15:00" and "assumedTimeZone" not in zoned.properties


def test_a_call_time_given_as_a_date_alone_rejects_its_row_and_records_no_zone(tmp_path: Path) -> None:
    # a date is no instant: the row is refused, so a date's own zone (it has none) is never recorded
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, "2024-03-01", "60"))
    assert _rejects(items) == [("cdr.csv", 2, "CALLED.at: invalid datetime value '2024-03-01' in column "
                                              "'start_time'")]
    assert _edges(items, "CALLED") == []


# -- 2. durations ----------------------------------------------------------------------------

def test_a_fractional_call_duration_is_accepted_as_the_nearest_second(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, "2024-03-01 10:15:00", "61.5"),
                          _call(2, "2024-03-01 10:16:00", "0.4"))
    assert [c.properties["durationS"] for c in _edges(items, "CALLED")] == [62, 0]
    assert reader.stats.rejected == 0


def test_a_negative_call_duration_rejects_its_row_with_the_reason(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "cdr", CDR_HEADER, _call(1, "2024-03-01 10:15:00", "-5"),
                          _call(2, "2024-03-01 10:16:00", "30"))
    assert _rejects(items) == [("cdr.csv", 2, "CALLED.durationS: negative duration '-5' (a duration is never "
                                              "below zero) in column 'duration_s'")]
    assert len(_edges(items, "CALLED")) == 1


# -- 3. amounts and currencies ---------------------------------------------------------------

def test_a_negative_transfer_amount_rejects_its_row_with_the_reason(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "transfers", TRANSFERS_HEADER,
                                _transfer(1, "-136.10"), _transfer(2, "136.10"))
    assert _rejects(items) == [("transfers.csv", 2, "TRANSFERRED_TO.amount: negative amount '-136.10' (a "
                                "transfer's direction is its ends, not its sign) in column 'amount'")]
    assert [t.properties["amount"] for t in _edges(items, "TRANSFERRED_TO")] == [136.1]


@pytest.mark.parametrize("empty", ["", "n/a"])
def test_a_transfer_without_an_amount_rejects_its_row(tmp_path: Path, empty: str) -> None:
    reader, items = read_mapped(tmp_path, "transfers", TRANSFERS_HEADER, _transfer(1, empty))
    assert _rejects(items) == [("transfers.csv", 2, "TRANSFERRED_TO from_account -> to_account lacks ['amount']")]


@pytest.mark.parametrize(("written", "code"), [("US$", "USD"), ("usd", "USD"), ("USD", "USD"), ("บาท", "THB"),
                                               ("฿", "THB"), ("eur", "EUR"), ("usdt", "USDT")])
def test_a_transfer_currency_is_its_iso_4217_code(tmp_path: Path, written: str, code: str) -> None:
    reader, items = read_mapped(tmp_path, "transfers", TRANSFERS_HEADER, _transfer(1, "10", written))
    assert [t.properties["currency"] for t in _edges(items, "TRANSFERRED_TO")] == [code]


def test_an_unknown_currency_rejects_its_row_with_the_reason(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "transfers", TRANSFERS_HEADER, _transfer(1, "10", "ZZQ"))
    assert _rejects(items) == [("transfers.csv", 2, "TRANSFERRED_TO.currency: unknown currency 'ZZQ' (not ISO "
                                "4217 nor a known spelling or crypto ticker) in column 'currency'")]


def test_a_call_time_from_a_list_of_specs_records_the_zone_it_was_read_in(tmp_path: Path) -> None:
    # new-user report: a coalesce list (a date-only column completed by a template) recorded none
    path = _cdr_with_at(tmp_path / "cdr-dates.yaml", 'at: [{column: start_time}, {template: "{start_time} 00:00"}]')
    feed = tmp_path / "cdr.csv"
    feed.write_text("\n".join([CDR_HEADER, _call(1, "2024-03-01", "60"), _call(2, "2024-03-01T10:15:00Z", "60")])
                    + "\n", encoding="utf-8")
    dated, zoned = _edges(list(MappedCsvReader(load_mapping(path), [feed]).records()), "CALLED")
    assert (dated.properties["at"], dated.properties["assumedTimeZone"]) == ("2024-02-29T17:00:00", "Asia/Bangkok")
    assert zoned.properties["at"] == "2024-03-01T10:15:00" and "assumedTimeZone" not in zoned.properties


def test_the_zone_recorded_is_the_one_of_the_spec_that_gave_the_time_read_with_its_own_hints(tmp_path: Path) -> None:
    # attack round 14, T4: the zone was worked out from values read without the specs' hints
    spec = ('at: [{column: start_time, hints: {tz: Asia/Manila, dayfirst: false}}, '
            '{column: cell_id, hints: {tz: Europe/London}}]')
    path = _cdr_with_at(tmp_path / "cdr-us-dates.yaml", spec)
    feed = tmp_path / "cdr.csv"
    feed.write_text("\n".join([CDR_HEADER, _call(1, "01/13/2024 10:00", "60")]) + "\n", encoding="utf-8")
    (call,) = _edges(list(MappedCsvReader(load_mapping(path), [feed]).records()), "CALLED")
    assert (call.properties["at"], call.properties["assumedTimeZone"]) == ("2024-01-13T02:00:00", "Asia/Manila")


def test_a_value_that_does_not_clean_rejects_its_row_whether_or_not_its_spec_has_hints(tmp_path: Path) -> None:
    # attack round 15, H1: with hints of its own, the value was dropped and the row loaded
    path = _cdr_with_at(tmp_path / "cdr-manila.yaml", "at: {column: start_time, hints: {tz: Asia/Manila}}")
    feed = tmp_path / "cdr.csv"
    feed.write_text("\n".join([CDR_HEADER, _call(1, "garbage", "60"), _call(2, "2024-01-13 10:00", "60")]) + "\n",
                    encoding="utf-8")
    reader = MappedCsvReader(load_mapping(path), [feed])
    items = list(reader.records())
    (rejected,) = [i for i in items if isinstance(i, Rejection)]
    assert (rejected.line, rejected.reason) == (2, "CALLED.at: invalid datetime value 'garbage' in column 'start_time'")
    (call,) = _edges(items, "CALLED")
    assert (call.properties["at"], call.properties["assumedTimeZone"]) == ("2024-01-13T02:00:00", "Asia/Manila")
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_a_mapping_file_that_is_no_yaml_mapping_is_refused_as_a_mapping_over_http(tmp_path: Path) -> None:
    # attack round 15, M4b: a deployment's broken file answered 500 over /loads
    bad, scalar, deep = tmp_path / "bad.yaml", tmp_path / "scalar.yaml", tmp_path / "deep.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    scalar.write_text("just text\n", encoding="utf-8")
    deep.write_text("[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")  # round 16, M4c: a 500
    for path, error in ((bad, "ParserError"), (scalar, "AttributeError"), (deep, "RecursionError")):
        with pytest.raises(MappingError) as refused:
            readable_mapping(path)
        assert str(refused.value) == (f"mapping {path.stem!r} is no readable mapping file ({error}); the server's "
                                      "log says more")
