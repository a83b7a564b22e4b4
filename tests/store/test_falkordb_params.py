"""The fast parameter header gives FalkorDB the same values the client's own renderer does."""

import pytest
from falkordb.helpers import stringify_param_value

from graphapi.store.falkordb_params import params_header, render_value

ROUND_TRIP = [
    "plain", "", "a\nb", "tab\there", 'q"uote', "back\\slash", "end\\", "\\n literal", "ไทย 😀",
    'he said "sources": yes', "control\x01char", "cr\rlf", 0, -7, 2**62, 1.5, 1e-05, True, False, None,
    [], {}, ["a", 1, None, [2.5]], {"id": "x", "props": {"at": "2026-01-01T00:00:00", "n": 3}},
    {"@type": "odd key"},
]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=repr)
async def test_the_server_reads_every_value_back_unchanged(store, value):
    graph = store._graph
    fast = (await graph.query(params_header({"v": value}) + "RETURN $v", None)).result_set[0][0]
    client = (await graph.query("RETURN $v", {"v": value})).result_set[0][0]
    assert fast == client
    assert fast == value or value == {} or (isinstance(value, str) and "\x01" in value)


def test_maps_of_plain_keys_take_the_json_path():
    assert render_value({"id": "x", "props": {"a": [1, "b"]}}) == '{`id`:"x",`props`:{`a`:[1,"b"]}}'


def test_a_value_holding_a_key_like_text_falls_back_to_the_client_renderer():
    value = {"note": 'x": y'}
    assert render_value(value) == stringify_param_value(value)


def test_control_characters_fall_back_to_the_client_renderer():
    assert render_value("a\x02b") == stringify_param_value("a\x02b")


def test_a_parameter_name_that_is_not_an_identifier_is_refused():
    with pytest.raises(ValueError, match="bad parameter name"):
        params_header({"rows; MATCH (n) DELETE n": 1})


def test_a_map_key_with_a_backtick_is_refused_as_falkordb_cannot_read_it():
    with pytest.raises(ValueError, match="backtick"):
        render_value({"we`ird": 1})


@pytest.mark.parametrize("value", [float("nan"), [float("inf")]])
def test_nan_and_infinity_are_refused_rather_than_sent(value):
    with pytest.raises(ValueError, match="NaN or infinity"):
        render_value(value)


def test_no_parameters_render_as_no_header():
    assert params_header({}) == "" and params_header(None) == ""
