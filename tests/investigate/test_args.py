"""The shared argument checks: a time bound with an impossible UTC offset is refused; relationship
types left out are checked as those followed are, and never contradict them."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.args import check_excluded_types, check_time_range
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def test_a_time_bound_with_an_offset_beyond_fourteen_hours_is_refused_not_read_as_its_date():
    with pytest.raises(InvalidArgument, match="since must be an ISO 8601 date or date-time"):
        check_time_range("2025-01-01T00:00:00+99:00", None)
    with pytest.raises(InvalidArgument, match="until must be"):
        check_time_range(None, "2025-01-01T00:00:00-14:30")


def test_time_bounds_at_the_widest_real_offsets_are_kept():
    assert check_time_range("2025-01-01T00:00:00+14:00", "2025-01-01T00:00:00-12:00") == (
        "2024-12-31T10:00:00", "2025-01-01T12:00:00~")


async def test_graphql_refuses_since_with_offset_plus_99_hours(backend_store):
    result = await build_schema().execute(
        '{ timeline(ids: ["per-somchai"], since: "2025-01-01T00:00:00+99:00") { edges { cursor } } }',
        context_value=Context(backend_store, TH, "r"))
    assert [(e.extensions or {}).get("code") for e in result.errors or []] == ["BAD_USER_INPUT"]
    assert "since" in result.errors[0].message


def test_excluded_types_not_given_are_the_default_less_those_followed():
    assert check_excluded_types(None, None, ("SANCTIONED",)) == ["SANCTIONED"]
    assert check_excluded_types(None, ["SANCTIONED", "LINKED_TO"], ("SANCTIONED",)) == []
    assert check_excluded_types(None, None) == []


def test_excluded_types_given_replace_the_default():
    assert check_excluded_types([], None, ("SANCTIONED",)) == []
    assert check_excluded_types(["LOCATED_AT", "LOCATED_AT"], None, ("SANCTIONED",)) == ["LOCATED_AT"]


def test_an_unknown_excluded_type_is_refused_naming_the_argument():
    with pytest.raises(InvalidArgument, match=r"unknown excludeRelationshipTypes \['KNOWS'\]"):
        check_excluded_types(["KNOWS"], None)


def test_a_type_both_followed_and_excluded_is_refused_not_an_empty_answer():
    with pytest.raises(InvalidArgument, match="relationshipTypes and excludeRelationshipTypes both name"):
        check_excluded_types(["LINKED_TO"], ["LINKED_TO", "SANCTIONED"])
