"""A statement (one source's values about one node, for one owner) is read only by the agencies
every record it merges may reach: a later record at another level or sharing never widens the
values said before (attack round 4, H1), and a narrower one narrows them all."""

from graphapi.ingest.statements import Statement


def _said(tlp: str, *shared_with: str, value: str) -> Statement:
    stmt = Statement("per-x", "TH-DSI", "th-feed", tlp, tuple(shared_with))
    stmt.assert_value("notes", value, "r1", "2026-01-01T00:00:00", "2026-01-01T00:00:00")
    return stmt


def test_a_later_record_shared_with_more_agencies_does_not_widen_the_statement() -> None:
    stmt = _said("AMBER", value="TH only")
    stmt.absorb(_said("AMBER", "VN-MPS", value="for VN"))
    assert (stmt.tlp, stmt.shared_with) == ("AMBER", ())


def test_a_later_record_shared_with_fewer_agencies_narrows_the_statement_to_those_both_name() -> None:
    stmt = _said("AMBER", "VN-MPS", "KH-NP", value="for VN and KH")
    stmt.absorb(_said("AMBER", "KH-NP", "LA-MPS", value="for KH and LA"))
    assert (stmt.tlp, stmt.shared_with) == ("AMBER", ("KH-NP",))


def test_a_later_green_record_leaves_an_amber_statement_amber() -> None:
    stmt = _said("AMBER", "VN-MPS", value="for VN")
    stmt.absorb(_said("GREEN", value="for all"))
    assert (stmt.tlp, stmt.shared_with) == ("AMBER", ("VN-MPS",))


def test_a_later_red_record_makes_a_green_statement_red() -> None:
    stmt = _said("GREEN", value="for all")
    stmt.absorb(_said("RED", value="TH only"))
    assert (stmt.tlp, [k[1] for k in stmt.entries]) == ("RED", ["for all", "TH only"])
