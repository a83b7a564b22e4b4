"""Transforms and value maps of the mapping language, compiled once (graphapi/ingest/mapping/steps.py)."""

from __future__ import annotations

import pytest

from graphapi.ingest.mapping import MappingError
from graphapi.ingest.mapping.steps import UnmappedValue, compile_refine, compile_steps, compile_value_map
from graphapi.ingest.mapping.values import _is_null

DIRECTIONS = {"entry": ["IN", "ENTRY", "arrival", "เข้า"], "exit": ["OUT", "departure", "ออก"]}


def _run(steps: list, text: str) -> str | None:
    for step in compile_steps(steps, "test"):
        text = step(text)
        if text is None:
            return None
    return text


@pytest.mark.parametrize("word", ["IN", "in", " Entry ", "ARRIVAL", "เข้า", "ｅｎｔｒｙ", "entry"])
def test_value_map_gives_the_canonical_value_for_a_synonym_in_any_case_width_or_script(word: str) -> None:
    assert compile_value_map(DIRECTIONS, "reject", "direction")(word) == "entry"


@pytest.mark.parametrize("word", ["US$", "usd", "USD", "us $", "ＵＳ＄"])
def test_value_map_matches_currency_synonyms_without_case_or_blanks(word: str) -> None:
    assert compile_value_map({"USD": ["US$", "usd"], "THB": ["บาท", "baht"]}, "reject", "currency")(word) == "USD"


def test_value_map_rejects_a_value_it_does_not_know_naming_it_and_the_known_values() -> None:
    with pytest.raises(UnmappedValue, match=r"^'sideways' is not in the value map \(entry, exit\)$"):
        compile_value_map(DIRECTIONS, "reject", "direction")("sideways")


def test_value_map_with_unknown_pass_passes_an_unknown_value_through() -> None:
    assert compile_value_map(DIRECTIONS, "pass", "direction")("sideways") == "sideways"


def test_value_map_refuses_a_synonym_under_two_canonical_values() -> None:
    with pytest.raises(MappingError, match="'in' is a synonym of both 'entry' and 'exit'"):
        compile_value_map({"entry": ["IN"], "exit": ["in"]}, "reject", "direction")


def test_value_map_refuses_an_unquoted_yaml_boolean() -> None:
    with pytest.raises(MappingError, match="YAML boolean; quote it"):
        compile_value_map({"on": [True]}, "reject", "status")


def test_strip_separators_removes_blanks_dashes_and_dots() -> None:
    assert _run(["strip_separators"], "081-234 56.78") == "0812345678"


def test_digits_keeps_digits_of_any_script_as_ascii() -> None:
    assert _run(["digits"], "โทร ๐๘๑-๒๓๔ 5678") == "0812345678"


def test_upper_and_lower() -> None:
    assert (_run(["upper"], "th"), _run(["lower"], "TH")) == ("TH", "th")


def test_trim_prefix_removes_the_first_prefix_found_in_any_case() -> None:
    assert _run([{"trim_prefix": ["TEL:", "PHONE:"]}], "tel: +66812345678") == "+66812345678"
    assert _run([{"trim_prefix": "TEL:"}], "+66812345678") == "+66812345678"


def test_pick_splits_and_takes_one_part_or_none() -> None:
    assert _run([{"pick": {"sep": "/", "index": -1}}], "KBZ / 4051301056") == "4051301056"
    assert _run([{"pick": {"sep": "/", "index": 3}}], "KBZ / 4051301056") is None


def test_regex_extracts_its_first_group_or_none_when_it_does_not_match() -> None:
    assert _run([{"regex": r"acct\s*(\d+)"}], "acct 4051301056 (KBZ)") == "4051301056"
    assert _run([{"regex": r"acct\s*(\d+)"}], "no account") is None


def test_steps_run_in_order() -> None:
    assert _run([{"trim_prefix": "TEL"}, "digits", {"regex": r"^0?(\d{9})$"}], "TEL 0-81-234-5678") == "812345678"


def test_unknown_step_is_a_mapping_error_naming_its_place_and_the_steps() -> None:
    with pytest.raises(MappingError, match=r"^entity caller.number: step 2: unknown step 'digitz'; steps are digits"):
        compile_steps(["trim", "digitz"], "entity caller.number")


def test_regex_that_does_not_compile_is_a_mapping_error_naming_its_place() -> None:
    with pytest.raises(MappingError, match=r"^x: step 1 \(regex\): regex '\(' does not compile"):
        compile_steps([{"regex": "("}], "x")


def test_default_is_used_when_the_text_is_empty_or_a_null_token_then_mapped() -> None:
    refine = compile_refine({"default": "usd", "map": {"USD": ["US$"]}}, "currency", _is_null)
    assert (refine(""), refine("N/A"), refine("us$")) == ("USD", "USD", "USD")


def test_unknown_without_a_map_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="unknown: pass needs a map"):
        compile_refine({"unknown": "pass"}, "currency", _is_null)


def test_refined_texts_are_remembered_per_steps_and_map_not_per_spec_object() -> None:
    from graphapi.ingest.mapping.memo import _refined_table

    upper = _refined_table({"column": "a", "steps": ["upper"]})
    assert upper is _refined_table({"column": "b", "steps": ["upper"]})
    assert upper is not _refined_table({"column": "a", "steps": ["lower"]})
