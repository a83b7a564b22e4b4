"""The Neo4j-only ``*_if`` fragments restate rules of the shared fragments as CASE forms (Neo4j
plans them in a third of the time): what each rule names must stay the same in both."""

import re
from pathlib import Path

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
