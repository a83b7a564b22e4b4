"""Bounded JSON parsing (graphapi/json_limits.py): nesting and number size have limits, each
refused with a reason as a ValueError, never a RecursionError."""

from __future__ import annotations

import json

import pytest

from graphapi.json_limits import MAX_DEPTH, JsonLimitError, json_depth, loads_bounded


def test_loads_bounded_takes_nesting_up_to_the_limit_and_refuses_one_level_more() -> None:
    assert json_depth(loads_bounded("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == MAX_DEPTH
    with pytest.raises(JsonLimitError, match=f"^JSON nested deeper than {MAX_DEPTH} levels$"):
        loads_bounded("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_loads_bounded_refuses_nesting_past_the_interpreters_recursion_limit_as_a_value_error() -> None:
    with pytest.raises(ValueError, match="nested deeper"):
        loads_bounded(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_loads_bounded_counts_brackets_inside_strings_as_text_not_nesting() -> None:
    assert loads_bounded(json.dumps({"name": "[" * 500})) == {"name": "[" * 500}


def test_loads_bounded_refuses_a_long_number_and_takes_ordinary_ones() -> None:
    assert loads_bounded('{"n": 12345678901234567890, "f": -1.5e-300}') == {"n": 12345678901234567890, "f": -1.5e-300}
    with pytest.raises(JsonLimitError, match="^a JSON number of 5,000 characters"):
        loads_bounded("[" + "7" * 5_000 + "]")


def test_loads_bounded_raises_a_decode_error_for_text_that_is_not_json() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads_bounded("{not json")
