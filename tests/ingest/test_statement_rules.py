"""Pure rules of per-value provenance (graphapi/ingest/statements.py)."""

import json

from graphapi.ingest.statements import value_text


def test_a_statement_keeps_numbers_and_booleans_as_their_json_text_and_strings_as_they_are():
    values = [0, -7, 2168, 10**20, 213.22, 1e-7, 1e22, -0.0, 5.0, True, False, None, float("nan"), float("inf")]
    assert [value_text(v) for v in values] == [json.dumps(v) for v in values]
    assert value_text("2168") == "2168" and value_text("") == ""
