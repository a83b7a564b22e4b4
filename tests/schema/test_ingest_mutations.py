"""The shape check of ``ingest(records)`` (``record_problem``): one reason per unreadable record."""

from __future__ import annotations

from graphapi.ingest.record_shape import record_problem
from graphapi.ontology import load_model

MODEL = load_model()
PERSON = {"kind": "node", "label": "Person", "id": "per-1", "properties": {"name": "A"}}
CALL = {"kind": "relationship", "type": "CALLED", "from": "phone:+66812345678", "to": "phone:+66898765432",
        "properties": {"at": "2024-10-03T09:00:00+07:00"}, "discriminator": "cdr-1"}


def test_record_problem_passes_well_formed_node_and_relationship_records() -> None:
    assert record_problem(PERSON, MODEL) is None
    assert record_problem(CALL, MODEL) is None
    assert record_problem({**PERSON, "properties": None, "hints": None}, MODEL) is None


def test_record_problem_refuses_a_field_the_service_would_not_read() -> None:
    # a partner's per-record "op": "delete" must not be merged as if it were a record to keep
    assert record_problem({**PERSON, "op": "delete"}, MODEL) == (
        "unknown field 'op': a record has only kind, label, type, id, key, from, to, discriminator, properties, "
        "hints (sharing is the call's; a deletion goes through a FollowTheMoney delta file)")
    assert record_problem({**CALL, "sharedWith": ["VN-MPS"]}, MODEL).startswith("unknown field 'sharedWith'")


def test_record_problem_names_the_json_type_of_properties_that_is_not_an_object() -> None:
    assert record_problem({**PERSON, "properties": "x"}, MODEL) == "properties must be a JSON object, got a string"
    assert record_problem({**CALL, "properties": 1.5}, MODEL) == "properties must be a JSON object, got a number"


def test_record_problem_wants_from_to_and_key_as_non_blank_strings() -> None:
    assert record_problem({**CALL, "from": ["a"]}, MODEL) == "from must be a non-blank string, got a list"
    assert record_problem({**CALL, "to": ""}, MODEL) == "to must be a non-blank string, got a blank string"
    assert record_problem({**PERSON, "key": True}, MODEL) == "key must be a non-blank string, got a boolean"


def test_record_problem_wants_a_string_discriminator() -> None:
    assert record_problem({**CALL, "discriminator": {"n": 1}}, MODEL) == "discriminator must be a string, got an object"


def test_record_problem_refuses_an_object_as_a_property_value_single_or_in_a_list() -> None:
    expected = "Person.{}: a value must be a string, number or boolean, got an object"
    assert record_problem({**PERSON, "properties": {"name": {"a": 1}}}, MODEL) == expected.format("name")
    assert record_problem({**PERSON, "properties": {"name": "A", "alias": [{"a": 1}]}}, MODEL) == expected.format(
        "alias")


def test_record_problem_takes_a_value_of_exactly_the_field_limit() -> None:
    assert record_problem({**PERSON, "properties": {"name": "A", "notes": "x" * 1_048_576}}, MODEL) is None


def test_record_problem_refuses_a_reference_over_the_field_limit() -> None:
    assert record_problem({**PERSON, "id": "p" * 1_048_577}, MODEL) == "id: a value over 1,048,576 characters"


def test_record_problem_takes_a_boolean_dayfirst_hint_only() -> None:
    assert record_problem({**CALL, "hints": {"dayfirst": False, "tz": "Asia/Bangkok"}}, MODEL) is None
    assert record_problem({**CALL, "hints": {"dayfirst": "no"}}, MODEL) == (
        "hints.dayfirst must be true or false, got 'no'")


def test_record_problem_leaves_unknown_labels_and_properties_to_the_service() -> None:
    assert record_problem({**PERSON, "label": "Nobody", "properties": {"name": ["a", "b"]}}, MODEL) is None
    assert record_problem({**PERSON, "properties": {"nickname": ["a", "b"]}}, MODEL) is None
    assert record_problem({**PERSON, "properties": {"searchText": ["a", "b"]}}, MODEL) is None
