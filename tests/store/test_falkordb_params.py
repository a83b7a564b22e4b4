"""The fast parameter header: what it writes, when it declines, and that FalkorDB reads it back
exactly as the values were sent."""

from __future__ import annotations

import datetime
import math

import pytest

from graphapi.store import GraphStore
from graphapi.store.falkordb_params import params_header

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

