"""The GraphQL answer is written by orjson (issue 14), and what orjson will not write is written by
json as before: the same JSON value either way."""

from __future__ import annotations

import json

from graphapi.app import _GraphQLRouter

ROUTER = object.__new__(_GraphQLRouter)  # encode_json reads no state of the router


def test_an_answer_is_the_same_json_value_with_non_ascii_text_as_utf8():
    answer = {"data": {"entity": {"caption": "สมชาย ใจดี", "score": 1.5, "n": 3, "ok": True, "none": None}}}
    encoded = ROUTER.encode_json(answer)
    assert json.loads(encoded) == answer
    assert "สมชาย".encode() in encoded


def test_what_orjson_refuses_is_written_by_json_as_before():
    for answer in ({"data": {"text": "x\ud800"}}, {"data": {"big": 2**70}}):
        assert ROUTER.encode_json(answer) == json.dumps(answer, separators=(",", ":"))
