"""The statement catalogue: headers, parameter checks, placeholders, dialect overrides."""

from pathlib import Path

import pytest

from graphapi.ontology import OntologyError
from graphapi.store.errors import StatementError
from graphapi.store.statements import DEFAULT_ROOT, StatementCatalog, catalog


def write(root: Path, name: str, text: str) -> None:
    path = root / f"{name}.cypher"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_statement_name_is_its_path_below_cypher(tmp_path):
    write(tmp_path, "expand/one", "// Summary.\n// mode: read\n// param $id: str\nMATCH (n {id: $id}) RETURN n")
    stmt = StatementCatalog("falkordb", tmp_path)["expand/one"]
    assert (stmt.name, stmt.mode, stmt.summary, stmt.params) == ("expand/one", "read", "Summary.", {"id": "str"})


def test_undeclared_parameter_fails_at_load(tmp_path):
    write(tmp_path, "bad", "// mode: read\nMATCH (n {id: $id}) RETURN n")
    with pytest.raises(StatementError, match=r"not declared \['id'\]"):
        StatementCatalog("falkordb", tmp_path)


def test_declared_but_unused_parameter_fails_at_load(tmp_path):
    write(tmp_path, "bad", "// mode: read\n// param $id: str\n// param $extra: int\nMATCH (n {id: $id}) RETURN n")
    with pytest.raises(StatementError, match=r"declared but not used \['extra'\]"):
        StatementCatalog("falkordb", tmp_path)


def test_missing_mode_fails_at_load(tmp_path):
    write(tmp_path, "bad", "// Just a comment.\nRETURN 1")
    with pytest.raises(StatementError, match="mode"):
        StatementCatalog("falkordb", tmp_path)


def test_dialect_override_wins_for_its_dialect_only(tmp_path):
    write(tmp_path, "search/q", "// mode: read\nRETURN 'shared' AS v")
    write(tmp_path, "falkordb/search/q", "// mode: read\nRETURN 'falkordb' AS v")
    assert "falkordb" in StatementCatalog("falkordb", tmp_path)["search/q"].template
    assert "shared" in StatementCatalog("neo4j", tmp_path)["search/q"].template


def test_placeholder_is_filled_only_from_the_ontology_allow_list(tmp_path):
    write(tmp_path, "m", "// mode: write\n// param $rows: list\n// placeholder labels: labels\n"
          "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n:{{labels}}")
    stmt = StatementCatalog("falkordb", tmp_path)["m"]
    assert stmt.render(labels="Company").endswith("SET n:Entity:Organization:Company")
    with pytest.raises(OntologyError):
        stmt.render(labels="Company) DETACH DELETE (n")


def test_render_without_required_placeholder_fails(tmp_path):
    write(tmp_path, "m", "// mode: read\n// placeholder type: relationship\nMATCH ()-[r:{{type}}]->() RETURN r")
    with pytest.raises(StatementError, match="missing"):
        StatementCatalog("falkordb", tmp_path)["m"].render()


def test_visibility_fragment_is_spliced_with_the_variable(tmp_path):
    (tmp_path / "fragments").mkdir()
    shipped = DEFAULT_ROOT / "fragments" / "visible.fragment"
    (tmp_path / "fragments" / "visible.fragment").write_text(shipped.read_text())
    write(tmp_path, "v", "// mode: read\n// param $agency: str\nMATCH (x) WHERE {{visible(x)}} RETURN x")
    text = StatementCatalog("falkordb", tmp_path)["v"].template
    assert "x.tlp IN ['CLEAR', 'GREEN']" in text and "x.owner = $agency" in text and "ITEM" not in text


def test_a_fragment_given_a_viewer_reads_it_in_place_of_the_agency_parameter(tmp_path):
    (tmp_path / "fragments").mkdir()
    shipped = DEFAULT_ROOT / "fragments" / "visible.fragment"
    (tmp_path / "fragments" / "visible.fragment").write_text(shipped.read_text())
    write(tmp_path, "v", "// mode: read\n// param $agencies: list[str]\n"
          "MATCH (x) RETURN [a IN $agencies WHERE {{visible(x, a)}}] AS seen, {{visible(x, null)}} AS public")
    text = StatementCatalog("falkordb", tmp_path)["v"].template
    assert "x.owner = a)" in text and "a IN coalesce(x.sharedWith, [])" in text
    assert "x.owner = null)" in text and "$agency " not in text and "$agency)" not in text


def test_a_fragment_viewer_that_is_no_variable_fails_at_load(tmp_path):
    (tmp_path / "fragments").mkdir()
    shipped = DEFAULT_ROOT / "fragments" / "visible.fragment"
    (tmp_path / "fragments" / "visible.fragment").write_text(shipped.read_text())
    write(tmp_path, "v", "// mode: read\nMATCH (x) WHERE {{visible(x, 'TH' OR true)}} RETURN x")
    with pytest.raises(StatementError, match="at most a viewer variable or null"):
        StatementCatalog("falkordb", tmp_path)


def test_unknown_statement_name_is_a_statement_error():
    with pytest.raises(StatementError, match="no statement named"):
        catalog("falkordb")["expand/nothing-here"]


def test_every_shipped_statement_loads_for_both_dialects():
    for dialect in ("falkordb", "neo4j"):
        names = catalog(dialect).names()
        assert {"entity/by_ids", "expand/frontier", "search/fulltext", "schema/fulltext_index"} <= set(names)
