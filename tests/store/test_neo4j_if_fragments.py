"""The Neo4j-only ``*_if`` fragments, and Neo4j's ``visible``, restate rules of the shared
fragments as CASE forms (Neo4j plans them in far less time): what each rule names must stay the
same in both, and Neo4j's ``visible`` is true exactly where the shared rule is."""

import re
from pathlib import Path

import pytest
from neo4j import RoutingControl

CYPHER = Path(__file__).resolve().parents[2] / "cypher"


def _quoted_lists(path: Path) -> list[list[str]]:
    text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
    return [re.findall(r"'([^']*)'", body) for body in re.findall(r"\[([^\]]*)\]", text)]


def test_identifier_link_if_names_the_same_relationship_types_as_identifier_link():
    shared = _quoted_lists(CYPHER / "fragments" / "identifier_link.fragment")
    neo4j = _quoted_lists(CYPHER / "neo4j" / "fragments" / "identifier_link_if.fragment")
    assert shared[0] == neo4j[0] and "USES_DEVICE" in shared[0]


def test_victim_mark_if_and_visible_if_name_the_same_values_as_their_rules():
    for name in ("victim_mark", "visible"):
        shared = sorted(map(sorted, _quoted_lists(CYPHER / "fragments" / f"{name}.fragment")))
        neo4j = sorted(map(sorted, _quoted_lists(CYPHER / "neo4j" / "fragments" / f"{name}_if.fragment")))
        assert [v for v in shared if v] == [v for v in neo4j if v], name


def _fragment(path: Path, item: str) -> str:
    text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
    return "(" + re.sub(r"\bITEM\b", item, text.strip()) + ")"


def test_neo4j_visible_names_the_same_values_as_the_shared_rule():
    shared = sorted(map(sorted, _quoted_lists(CYPHER / "fragments" / "visible.fragment")))
    neo4j = sorted(map(sorted, _quoted_lists(CYPHER / "neo4j" / "fragments" / "visible.fragment")))
    assert [v for v in shared if v] == [v for v in neo4j if v] == [["CLEAR", "GREEN"]]


def test_no_statement_negates_a_visibility_test_outside_coalesce():
    # Neo4j's visible answers false where the OR form answers null: the same under WHERE, AND, OR
    # and coalesce(..., false), not under a bare NOT
    negated = re.compile(r"NOT\s*\(*\s*\{\{(visible|identifier_link|victim_mark)\(")
    found = [f"{p.relative_to(CYPHER)}: {m.group(0)}" for p in sorted(CYPHER.rglob("*.cypher")) + sorted(
        CYPHER.rglob("*.fragment")) for m in negated.finditer(p.read_text())]
    assert found == []


@pytest.mark.neo4j
async def test_neo4j_visible_is_true_exactly_where_the_shared_rule_is(neo4j_store):
    # every level, owner and share, for an agency and for none (null: a public reader)
    case = _fragment(CYPHER / "neo4j" / "fragments" / "visible.fragment", "x")
    ors = _fragment(CYPHER / "fragments" / "visible.fragment", "x")
    text = (f"UNWIND $rows AS x WITH x, {case} AS case_form, {ors} AS or_form "
            "RETURN x, case_form, or_form")
    rows = [{"tlp": tlp, "owner": owner, "sharedWith": shared}
            for tlp in ("CLEAR", "GREEN", "AMBER", "RED", None) for owner in ("TH-DSI", "KH-NP", None)
            for shared in (["TH-DSI"], ["KH-NP"], [], None)]
    for agency in ("TH-DSI", None):
        answers = await neo4j_store._run(text, {"rows": rows, "agency": agency},
                                         RoutingControl.READ)
        assert len(answers) == len(rows)
        assert [a["case_form"] is True for a in answers] == [a["or_form"] is True for a in answers]
        assert sum(a["case_form"] is True for a in answers) == (38 if agency else 24)
