"""Pure rules of per-value provenance (graphapi/ingest/statements.py)."""

import json

from graphapi.ingest.provenance import Provenance, stamp
from graphapi.ingest.statements import Statement, asserted_entries, value_text


def test_a_statement_keeps_numbers_and_booleans_as_their_json_text_and_strings_as_they_are():
    values = [0, -7, 2168, 10**20, 213.22, 1e-7, 1e22, -0.0, 5.0, True, False, None, float("nan"), float("inf")]
    assert [value_text(v) for v in values] == [json.dumps(v) for v in values]
    assert value_text("2168") == "2168" and value_text("") == ""


def test_a_statements_row_is_its_props_with_no_null_in_the_same_order():
    stmt = Statement("per-1", "KH-NP", "ftm@KH-NP", "AMBER", ())
    stmt.assert_value("name", "Lim Sopheak", "p.json:1", "2026-01-01T00:00:00", "2026-02-01T00:00:00")
    stmt.assert_value("alias", "Sopheak L.", "p.json:2", "2026-01-02T00:00:00", "2026-01-03T00:00:00")
    props = stmt.props()
    assert props["sharedWith"] is None and props["follows"] is None
    assert props["property"] == ["name", "alias"] and props["value"] == ["Lim Sopheak", "Sopheak L."]
    assert props["recordId"] == ["p.json:1", "p.json:2"]
    assert props["firstSeen"] == ["2026-01-01T00:00:00", "2026-01-02T00:00:00"]
    assert props["lastSeen"] == ["2026-02-01T00:00:00", "2026-01-03T00:00:00"]
    row = stmt.row()
    assert row["id"] == stmt.id
    assert list(row["props"].items()) == list({**props, "sharedWith": [], "follows": False}.items())


def test_a_record_asserts_each_value_once_and_leaves_out_empty_ones():
    props = {"name": "Lim", "alias": ["A", "", None, "A", 3], "email": "", "phone": None, "tags": [], "n": 0}
    assert list(asserted_entries(["name", "alias", "email", "phone", "tags", "n"], props)) == [
        ("name", "Lim"), ("alias", "A"), ("alias", "3"), ("n", "0")]


def test_stamp_drops_empty_values_and_keeps_false_and_zero():
    out = stamp({"a": "", "b": [], "c": None, "d": 0, "e": False, "f": (), "g": "x"}, "src",
                Provenance(owner="o", tlp="GREEN", seen="2026-01-01T00:00:00"))
    assert {k: out[k] for k in ("d", "e", "f", "g")} == {"d": 0, "e": False, "f": (), "g": "x"}
    assert "a" not in out and "b" not in out and "c" not in out
