"""FtM entities a careful loader reads: a Payment between two BankAccounts with no payer or
beneficiary party is a transfer between those accounts; a transfer's amount is never negative
nor missing and its currency is ISO 4217; a call's duration is never negative; an entity with no
name and no identifying property is flagged ``unidentified``. Rows read = loaded + rejected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

KBZ = {"bankName": ["KBZ"], "country": ["mm"]}


def _read(tmp_path: Path, *docs: dict[str, Any]) -> tuple[FtmReader, list]:
    path = tmp_path / "e.ftm.json"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    reader = FtmReader([path])
    items = list(reader.records())
    assert reader.stats.loaded + reader.stats.rejected == reader.stats.rows == len(docs)
    return reader, items


def _accounts() -> list[dict[str, Any]]:
    return [{"id": "acc1", "schema": "BankAccount", "properties": {"accountNumber": ["405-1-30105-6"], **KBZ}},
            {"id": "acc2", "schema": "BankAccount", "properties": {"accountNumber": ["999-1"], **KBZ}}]


def _payment(**props: list[str]) -> dict[str, Any]:
    return {"id": "pay1", "schema": "Payment", "properties": {"payerAccount": ["acc1"],
                                                              "beneficiaryAccount": ["acc2"], **props}}


def _rejects(items: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


def test_a_payment_between_two_accounts_without_parties_is_a_transfer_between_the_accounts(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, *_accounts(), _payment(amount=["100.5"], currency=["usd"], date=["2024-01-01"]))
    (transfer,) = [i for i in items if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO"]
    assert (transfer.start, transfer.end) == ("account:MM:KBZBMMMY:4051301056", "account:MM:KBZBMMMY:9991")
    assert {k: transfer.properties[k] for k in ("amount", "currency", "at")} == {
        "amount": 100.5, "currency": "USD", "at": "2024-01-01"}
    assert reader.stats.rejected == 0


def test_a_payment_with_a_negative_amount_is_rejected_with_the_reason(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, *_accounts(), _payment(amount=["-100"]))
    assert _rejects(items) == [(3, "negative amount '-100' (a transfer's direction is its ends, not its sign) "
                                   "in property amount")]


def test_a_payment_without_an_amount_is_rejected(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, *_accounts(), _payment())
    assert _rejects(items) == [(3, "Payment without amount")]


def test_a_payment_in_an_unknown_currency_is_rejected(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, *_accounts(), _payment(amount=["1"], currency=["dollars of oz"]))
    assert [line for line, _ in _rejects(items)] == [3]


def test_a_call_with_a_negative_duration_is_rejected_and_a_fractional_one_rounded(tmp_path: Path) -> None:
    def call(n: int, duration: str) -> dict[str, Any]:
        return {"id": f"call{n}", "schema": "Call", "properties": {
            "callerNumber": ["+66812345678"], "receiverNumber": ["+85510904499"], "duration": [duration]}}
    reader, items = _read(tmp_path, call(1, "61.5"), call(2, "-3"))
    assert [i.properties["durationS"] for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"] == [62]
    assert _rejects(items) == [(2, "negative duration '-3' (a duration is never below zero) in property duration")]


def test_an_entity_with_no_name_and_no_identifier_is_flagged_unidentified(tmp_path: Path) -> None:
    reader, items = _read(
        tmp_path, {"id": "p1", "schema": "Person", "properties": {"birthDate": ["1980"]}},
        {"id": "p2", "schema": "Person", "properties": {"passportNumber": ["M1234567"]}},
        {"id": "p3", "schema": "Person", "properties": {"name": ["Min Aung"]}})
    nodes = {i.id: i.properties for i in items if isinstance(i, NodeRecord) and i.label == "Person"}
    assert (nodes["p1"]["name"], nodes["p1"].get("unidentified")) == ("p1", True)
    assert "unidentified" not in nodes["p2"] and "unidentified" not in nodes["p3"]


def _call_at(n: int, **when: list[str]) -> dict[str, Any]:
    return {"id": f"call{n}", "schema": "Call", "properties": {
        "callerNumber": ["+66812345678"], "receiverNumber": ["+85510904499"], **when}}


def _called(items: list) -> list[dict[str, Any]]:
    return [{k: i.properties.get(k) for k in ("at", "assumedTimeZone")}
            for i in items if isinstance(i, EdgeRecord) and i.type in ("CALLED", "TRANSFERRED_TO")]


def test_an_ftm_local_time_is_read_in_the_loads_zone_and_records_it(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    docs = [_call_at(1, startDate=["2024-03-01T10:15:00"]), _call_at(2, startDate=["2024-03-01T10:15:00+07:00"]),
            *_accounts(), _payment(amount=["5"], date=["2024-03-01 10:15"])]
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    assert _called(list(FtmReader([path], tz="Asia/Bangkok").records())) == [
        {"at": "2024-03-01T03:15:00", "assumedTimeZone": "Asia/Bangkok"},
        {"at": "2024-03-01T03:15:00", "assumedTimeZone": None},
        {"at": "2024-03-01T03:15:00", "assumedTimeZone": "Asia/Bangkok"}]


def test_an_ftm_local_time_without_a_zone_for_the_load_is_utc_and_says_so(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, _call_at(1, startDate=["2024-03-01T10:15:00"]))
    assert _called(items) == [{"at": "2024-03-01T10:15:00", "assumedTimeZone": "UTC"}]


def test_an_ftm_call_dated_without_a_time_keeps_its_date_and_assumes_no_zone(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, _call_at(1, date=["2024-03-01"]), _call_at(2, date=["yesterday"]))
    assert _called(items) == [{"at": "2024-03-01", "assumedTimeZone": None}]
    assert _rejects(items) == [(2, "invalid datetime value 'yesterday' in property date")]


def test_an_unknown_zone_for_an_ftm_load_is_refused_before_any_line() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Base'"):
        FtmReader([], tz="Mars/Base")
