"""Node and edge records set their fields at once (cheaper than a frozen dataclass's own
``__init__``) and stay what the pipeline relies on: frozen, hashable, replaceable."""

from __future__ import annotations

import dataclasses

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin


def test_a_node_record_cannot_be_changed_after_it_is_made() -> None:
    node = NodeRecord("Phone", "phone:+66812345678", {"number": "+66812345678"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.id = "phone:+66800000000"  # type: ignore[misc]
    assert (node.origin, node.unresolved, node.op) == (None, False, "merge")


def test_an_edge_record_replaced_keeps_its_other_fields() -> None:
    origin = Origin("cdr", "cdr.csv", 2)
    edge = EdgeRecord("CALLED", "called:1", "phone:a", "phone:b", {"durationS": 30}, origin)
    moved = dataclasses.replace(edge, start="phone:c")
    assert (moved.type, moved.id, moved.start, moved.end, moved.properties, moved.origin, moved.op) == (
        "CALLED", "called:1", "phone:c", "phone:b", {"durationS": 30}, origin, "merge")


def test_records_equal_by_their_fields_but_their_properties() -> None:
    a = NodeRecord("Person", "p1", {"name": "A"})
    b = NodeRecord("Person", "p1", {"name": "B"})
    assert a == b and hash(a) == hash(b) and EdgeRecord("X", "x", "a", "b").properties == {}
