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


class _Dumps:
    """json.dumps, counted."""

    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return json.dumps(*args, **kwargs)


def test_packing_what_many_feeds_said_of_a_long_list_writes_no_json_text_per_value(monkeypatch):
    # a-84, 9: one json text per value per feed (30 x 2,000) made a right guess's reload slower
    from types import SimpleNamespace

    from graphapi.ingest import blind_said_by
    places = [f"p{j}" for j in range(2_000)]
    by = {f"f{i}": {"birthPlace": places, "age": 40} for i in range(30)}
    dumps = _Dumps()
    monkeypatch.setattr(blind_said_by, "json", SimpleNamespace(dumps=dumps, loads=json.loads))
    out = blind_said_by.packed({"birthPlace": places, "age": 40, "sources": sorted(by)}, by)
    assert dumps.calls == 0
    assert out["by"]["f7"] == {"birthPlace": None, "age": 0} and out["said"] == []


class _Counted:
    """A value that counts what it is compared with."""

    compared = 0

    def __eq__(self, other):
        _Counted.compared += 1
        return other is self

    __hash__ = object.__hash__


def test_a_source_saying_a_long_list_again_compares_its_texts_with_no_other_value():
    # a-84, 9: each said value was looked for in the whole list before (2,000 x 2,000 comparisons)
    held = _Counted()
    places = [f"p{j}" for j in range(2_000)]
    by = said_again({"feed-a": {"birthPlace": [held, *places]}}, {"sources": ["feed-a"], "birthPlace": places},
                    replace=False)
    assert _Counted.compared == 0
    assert by["feed-a"]["birthPlace"] == [held, *places]


def test_a_list_many_feeds_said_as_the_shadow_holds_it_adds_no_place_per_value():
    # a-84, 10: 30 feeds of a 2,000-value list kept a number per value each (11 KB a feed)
    places = [f"p{j}" for j in range(2_000)]
    by = {f"f{i}": {"name": "Chan Dara", "birthPlace": places} for i in range(30)}
    text = shadow_text("Person", {"name": "Chan Dara", "birthPlace": places, "sources": sorted(by)}, by=by)
    assert read_by(text) == by
    assert json.loads(text)["by"]["f7"] == {"name": 2_000, "birthPlace": None}
