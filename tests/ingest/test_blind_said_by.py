"""What each source said of a guess, as a node's shadow keeps it (graphapi/ingest/blind_said_by.py)."""

import json

from graphapi.ingest.blind_said_by import read_by, said_again
from graphapi.ingest.blind_shadow import shadow_text


def test_a_list_field_a_source_says_again_keeps_its_first_values_beside_the_new():
    # a-77, 3: the wrong guess's statements keep nationality KH and TH; the shadow kept TH alone
    by = said_again({"feed-a": {"nationality": ["KH"]}}, {"sources": ["feed-a"], "nationality": ["TH"]},
                    replace=False)
    assert by == {"feed-a": {"nationality": ["KH", "TH"]}}


def test_a_single_valued_field_a_source_says_again_is_its_last_value():
    by = said_again({"feed-a": {"gender": "male"}}, {"sources": ["feed-a"], "gender": "female"}, replace=False)
    assert by == {"feed-a": {"gender": "female"}}


def test_a_whole_source_replace_is_what_its_records_say_now():
    by = said_again({"feed-a": {"nationality": ["KH"]}}, {"sources": ["feed-a"], "nationality": ["TH"]},
                    replace=True)
    assert by == {"feed-a": {"nationality": ["TH"]}}


def test_a_value_said_that_the_shadows_props_no_longer_hold_is_read_back_from_the_shadow():
    # a-77, 4: `by` names each value by its place; feed-a's own female is held once, beside the props
    by = {"feed-a": {"name": "Chan Dara", "gender": "female"}, "feed-b": {"name": "Chan Dara", "gender": "male"}}
    text = shadow_text("Person", {"name": "Chan Dara", "gender": "male", "sources": ["feed-b", "feed-a"]}, by=by)
    assert read_by(text) == by
    assert json.loads(text)["said"] == ["female"]
