"""Neo4j gets a statement's parameters as one map (graphapi/store/neo4j_args.py): the same
parameter types on every call, so one plan serves a statement whatever its optional parameters."""

import pytest

from graphapi.store.errors import StoreError
from graphapi.store.neo4j_args import ARGS, in_one_map

RELATIONSHIPS = "MATCH (n:Entity {id: $id})-[r]-() WHERE $types IS NULL OR type(r) IN $types RETURN r LIMIT $first"


def test_every_parameter_is_read_from_the_one_map() -> None:
    text, _ = in_one_map(RELATIONSHIPS, {"id": "a", "types": None, "first": 3})
    assert text == (f"MATCH (n:Entity {{id: ${ARGS}.id}})-[r]-() WHERE ${ARGS}.types IS NULL OR type(r) IN "
                    f"${ARGS}.types RETURN r LIMIT ${ARGS}.first")


def test_the_map_is_the_only_parameter_sent() -> None:
    _, params = in_one_map(RELATIONSHIPS, {"id": "a", "types": ["CALLED"], "first": 3})
    assert params == {ARGS: {"id": "a", "types": ["CALLED"], "first": 3}}


def test_a_null_and_a_list_send_the_same_text() -> None:
    with_null, _ = in_one_map(RELATIONSHIPS, {"id": "a", "types": None, "first": 3})
    with_list, _ = in_one_map(RELATIONSHIPS, {"id": "a", "types": ["CALLED"], "first": 3})
    assert with_null == with_list


def test_a_parameter_the_caller_did_not_give_fails_as_neo4j_fails_it() -> None:
    with pytest.raises(StoreError, match="Expected parameter\\(s\\): first, types"):
        in_one_map(RELATIONSHIPS, {"id": "a"})


def test_a_statement_without_parameters_is_sent_as_written() -> None:
    assert in_one_map("SHOW INDEXES YIELD name RETURN name", None) == ("SHOW INDEXES YIELD name RETURN name", {})
