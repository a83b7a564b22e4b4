"""A statement's rows come back from Neo4j as one record (graphapi/store/neo4j_rows.py): the
columns are read from its RETURN. On the server, every statement the conformance suite and the
Neo4j cases of the other tests run goes through this (a wrong column fails them)."""

from graphapi.store.neo4j_rows import ROWS, collected, return_columns


def test_columns_are_the_aliases_of_the_last_return():
    text = "MATCH (n) WITH n RETURN n.id AS id, count(*) AS total, n ORDER BY id LIMIT 3"
    assert return_columns(text) == ("id", "total", "n")


def test_a_return_inside_a_subquery_string_or_comment_is_not_the_statement_s():
    text = ("CALL { MATCH (m) RETURN m AS inner } // RETURN x AS y\n"
            "RETURN inner.name + ' RETURN z AS w, ' AS name, CASE WHEN inner.a THEN 1 END AS flag")
    assert return_columns(text) == ("name", "flag")


def test_a_comment_after_the_last_column_is_no_part_of_its_name():
    assert return_columns("MATCH (n) RETURN n.id AS id // the id\n// more") == ("id",)


def test_an_unaliased_expression_leaves_the_statement_as_it_is():
    assert collected("MATCH (n) RETURN n.id") is None
    assert collected("SHOW INDEXES YIELD name RETURN name") is None
    assert collected("MATCH (n) DETACH DELETE n") is None


def test_the_wrapped_statement_collects_the_rows_in_their_order():
    wrapped = collected("MATCH (n) RETURN DISTINCT n.id AS id ORDER BY id")
    assert wrapped.columns == ("id",)
    assert wrapped.text.endswith(f"RETURN collect([`id`]) AS {ROWS}")
