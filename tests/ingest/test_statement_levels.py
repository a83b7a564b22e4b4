"""A statement is one source's values about one node at one level: a record at another level or
sharing is another statement, so it never widens what was said more narrowly (attack round 4, H1)
nor narrows what was said more widely (attack round 5, F5). Within one level, records merge."""

from graphapi.ingest.statements import Statement, statement_id


def _said(tlp: str, *shared_with: str, value: str) -> Statement:
    stmt = Statement("per-x", "TH-DSI", "th-feed", tlp, tuple(shared_with))
    stmt.assert_value("notes", value, "r1", "2026-01-01T00:00:00", "2026-01-01T00:00:00")
    return stmt


def test_a_record_shared_with_more_agencies_is_another_statement() -> None:
    assert _said("AMBER", value="TH only").id != _said("AMBER", "VN-MPS", value="for VN").id


def test_a_record_shared_with_fewer_agencies_is_another_statement() -> None:
    assert _said("AMBER", "VN-MPS", "KH-NP", value="x").id != _said("AMBER", "KH-NP", value="x").id


def test_a_record_at_another_level_is_another_statement() -> None:
    assert len({_said(tlp, value="x").id for tlp in ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")}) == 5


def test_the_order_agencies_are_named_in_is_the_same_level() -> None:
    assert _said("AMBER", "VN-MPS", "KH-NP", value="a").id == _said("AMBER", "KH-NP", "VN-MPS", value="b").id


def test_a_statement_moved_to_another_level_has_that_levels_id() -> None:
    moved = _said("AMBER", "VN-MPS", value="for VN").at_level("AMBER", ("VN-MPS", "LA-MPS"))
    assert moved.id == statement_id("per-x", "TH-DSI", "th-feed", "AMBER", ["LA-MPS", "VN-MPS"])
    assert [k[1] for k in moved.entries] == ["for VN"]


def test_records_of_one_level_merge_into_one_statement_at_that_level() -> None:
    stmt = _said("AMBER", "VN-MPS", value="first")
    stmt.absorb(_said("AMBER", "VN-MPS", value="second"))
    assert (stmt.tlp, stmt.shared_with, [k[1] for k in stmt.entries]) == ("AMBER", ("VN-MPS",), ["first", "second"])
