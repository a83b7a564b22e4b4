"""Backend values become plain Python values once: maps, lists and scalars as they are,
temporal values as ISO 8601 text, wherever they are nested."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from graphapi.store.values import plain, plain_row


def test_scalars_are_returned_as_they_are():
    assert [plain(v) for v in ("a", 3, 2.5, True, None)] == ["a", 3, 2.5, True, None]


def test_a_client_ordered_map_becomes_a_dict_with_the_same_items():
    value = plain(OrderedDict([("id", "p1"), ("n", 2)]))
    assert type(value) is dict and value == {"id": "p1", "n": 2}


def test_temporal_values_nested_in_maps_and_lists_become_iso_text():
    value = {"properties": {"at": dt.datetime(2024, 5, 1, 8, 30), "days": [dt.date(2024, 5, 2)]}}
    assert plain(value) == {"properties": {"at": "2024-05-01T08:30:00", "days": ["2024-05-02"]}}


def test_an_instant_with_an_offset_is_rendered_in_utc_without_one():
    instant = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert plain([instant]) == ["2024-05-01T03:00:00"]


def test_tuples_become_lists():
    assert plain(("a", (1, 2))) == ["a", [1, 2]]


def test_a_row_maps_columns_to_plain_values():
    row = plain_row(["id", "rel"], ["r1", OrderedDict([("at", dt.date(2023, 1, 31)), ("amount", 5.0)])])
    assert row == {"id": "r1", "rel": {"at": "2023-01-31", "amount": 5.0}}
