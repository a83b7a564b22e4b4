"""The fast parameter header: what it writes, when it declines, and that FalkorDB reads it back
exactly as the values were sent."""

from __future__ import annotations

import datetime
import math

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphapi.store import GraphStore
from graphapi.store.falkordb_params import _map_keys, params_header

TRICKY = [
    'a "quoted" name',
    "back\\slash and \\u0041 literally",
    "line\nbreak, tab\tand carriage\rreturn",
    "Ђ漢字 🙂 ผู้ต้องหา",
    'key-like text "id": inside',
    "",
    "trailing backslash\\",
]


def test_header_writes_map_keys_as_backticked_identifiers():
    assert params_header({"rows": [{"id": "x", "props": {"durationS": 60, "ok": True, "n": None}}]}) == (
        'CYPHER rows=[{`id`:"x",`props`:{`durationS`:60,`ok`:true,`n`:null}}] '
    )


def test_header_rewrites_keys_only_some_rows_of_a_batch_have():
    rows = [{"id": "a", "props": {"n": 1}}, {"id": "b", "props": {"tags": [{"kind": "x"}], "n": None}}, {"id": "c"}]
    assert params_header({"rows": rows}) == (
        'CYPHER rows=[{`id`:"a",`props`:{`n`:1}},{`id`:"b",`props`:{`tags`:[{`kind`:"x"}],`n`:null}},{`id`:"c"}] '
    )


def test_header_leaves_a_parameter_name_that_is_no_map_key_alone():
    assert params_header({"id": "x", "rows": [{"n": 1}]}) == 'CYPHER id="x" rows=[{`n`:1}] '


def test_header_keeps_key_like_text_inside_strings():
    assert params_header({"v": 'say "id": 1'}) == 'CYPHER v="say \\"id\\": 1" '


@pytest.mark.parametrize("params", [
    {"v": {"not an identifier": 1}},
    {"v": {1: "int key"}},
    {"v": b"bytes"},
    {"v": math.nan},
    {"rows": [{"id": "x", "props": {"amounts": [1.5, math.inf]}}]},  # deep in a row, not only on top
    {"rows": [{"id": "x"}, {"id": "y", "props": {"legs": [{"km": math.nan}]}}]},  # in one row's map in a list
    {"rows": [{"id": "x"}, {"id": "y", "props": {"legs": [{"the km": 1}]}}]},  # a key only one row has
    {"not an identifier": 1},
    {"v": datetime.date(2026, 1, 2)},  # a date the encoder could write as a string, but Cypher would not
    {"v": "control \x01 character"},
])
def test_header_declines_what_json_and_falkordb_read_differently(params):
    assert params_header(params) is None


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("texts", [TRICKY, ["control \x01 character"]], ids=["json header", "client header"])
async def test_values_read_back_exactly_as_sent(empty_store: GraphStore, texts: list[str]):
    rows = [{"id": f"phone:t{i}", "props": {"number": text, "note": [text, i, 1.5, True]}}
            for i, text in enumerate(texts)]
    assert (params_header({"rows": rows}) is not None) == (texts is TRICKY)
    await empty_store.write("ingest/create_nodes", {"rows": rows}, labels="Phone")
    stored = {r["id"]: r["props"] for r in await empty_store.read("ingest/existing_nodes",
                                                                    {"ids": [r["id"] for r in rows]})}
    for row in rows:
        assert stored[row["id"]]["number"] == row["props"]["number"]
        assert stored[row["id"]]["note"] == [row["props"]["number"], int(row["id"][7:]), 1.5, True]



def test_header_of_text_without_backslashes_backticks_only_map_keys():
    # no backslash: the one-pass rename; a string that starts or ends with ':' is no key
    params = {"rows": [{"id": ":b", "props": {"tags": ["a:", ":", "x"], "n": 1}}], "at": "c"}
    assert params_header(params) == 'CYPHER rows=[{`id`:":b",`props`:{`tags`:["a:",":","x"],`n`:1}}] at="c" '


def test_header_of_non_ascii_text_backticks_its_keys():
    assert params_header({"rows": [{"name": "Ђ漢字 🙂", "ผู้": 1}]}) is None  # a Thai key is no identifier
    assert params_header({"rows": [{"name": "Ђ漢字 🙂"}]}) == 'CYPHER rows=[{`name`:"Ђ漢字 🙂"}] '


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(
    st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True),
    st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters='\\"')) | st.sampled_from([":", '":', "a:"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
            st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True), inner, max_size=3), max_leaves=8),
    max_size=4), max_size=4))
def test_one_pass_rename_writes_what_a_replace_per_key_writes(rows):
    keys: set[str] = set()
    assert _map_keys([rows], keys)
    text = orjson.dumps(rows).decode()
    for key in keys:
        text = text.replace(f'"{key}":', f"`{key}`:")
    assert params_header({"rows": rows}) == f"CYPHER rows={text} "
