"""``ingest(records)``: a time without an offset is read in the record's ``tz`` hint, else UTC,
and its relationship says which in ``assumedTimeZone``, as a mapped feed's and an FtM load's do
(new-user report: "2024-03-01T10:00:00" and "2024-03-01T10:00:00Z" were stored alike and nothing
told the first was an assumption)."""

from __future__ import annotations

from graphapi.ingest.records import EdgeRecord
from graphapi.ingest.service import build_records

PHONES = [
    {"kind": "node", "label": "Phone", "properties": {"number": "+66815550142"}, "key": "a"},
    {"kind": "node", "label": "Phone", "properties": {"number": "+85512345678"}, "key": "b"},
]


def _call(at: str, **record) -> dict:
    """The properties of the CALLED relationship a record with ``at`` (and ``record``'s hints) makes."""
    items, _ids = build_records([*PHONES, {"type": "CALLED", "from": "a", "to": "b", "properties": {"at": at},
                                           **record}], "p")
    assert isinstance(items[2], EdgeRecord), items[2]
    return items[2].properties


def test_a_time_without_an_offset_and_no_hint_is_stored_as_utc_saying_so():
    assert _call("2024-03-01T10:00:00") == {"at": "2024-03-01T10:00:00", "assumedTimeZone": "UTC"}


def test_a_time_ending_in_z_is_stored_as_given_with_no_assumption():
    assert _call("2024-03-01T10:00:00Z") == {"at": "2024-03-01T10:00:00"}


def test_a_time_without_an_offset_is_read_in_the_records_tz_hint():
    assert _call("2024-03-01T10:00:00", hints={"tz": "Asia/Bangkok"}) == {
        "at": "2024-03-01T03:00:00", "assumedTimeZone": "Asia/Bangkok"}


def test_a_time_with_an_offset_ignores_the_tz_hint_and_assumes_nothing():
    assert _call("2024-03-01T10:00:00+07:00", hints={"tz": "Europe/London"}) == {"at": "2024-03-01T03:00:00"}


def test_epoch_time_is_utc_by_definition_and_assumes_nothing():
    assert _call("1709262900") == {"at": "2024-03-01T03:15:00"}


def test_the_assumption_does_not_change_the_events_id():
    def call_id(at: str) -> str:
        _items, ids = build_records([*PHONES, {"type": "CALLED", "from": "a", "to": "b", "properties": {"at": at}}],
                                    "p")
        return ids[3]
    assert call_id("2024-03-01T10:00:00") == call_id("2024-03-01T10:00:00Z")


def test_a_record_may_not_say_the_zone_its_time_was_read_in_itself():
    # attack round 12, T2: a self-set "Asia/Bangkok" labelled a time read as UTC, and any text was kept
    items, _ids = build_records([*PHONES, {"type": "CALLED", "from": "a", "to": "b", "properties": {
        "at": "2024-03-01T10:00:00", "assumedTimeZone": "Asia/Bangkok"}}], "p")
    assert items[2].reason == ("CALLED.assumedTimeZone is set by Lintas from the zone a time without an offset is "
                               "read in: give hints.tz instead")
