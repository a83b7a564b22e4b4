"""Errors leave with a public message, ``extensions.code`` and the request id; bugs are masked."""

from __future__ import annotations

import logging

import pytest

from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.store import StoreStats, StoreTimeout, StoreUnavailable

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j


class BrokenStore:
    """A store whose every read raises ``exc``."""

    dialect = "falkordb"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc
        self.stats = StoreStats()

    async def read(self, name, params=None, **placeholders):
        raise self.exc

    async def ping(self) -> None:
        raise self.exc


async def _errors(store, query: str, request_id: str = "req-test-1") -> list[dict]:
    result = await schema.execute(query, context_value=Context(store, DEMO_PRINCIPAL, request_id))
    assert result.errors
    return [e.formatted for e in result.errors]


async def test_error_codes_unexpected_exception_is_masked_and_logged_with_request_id(caplog) -> None:
    caplog.set_level(logging.ERROR, logger="graphapi.graphql")
    [error] = await _errors(BrokenStore(RuntimeError("secret password=hunter2")), '{ entity(id: "x") { id } }')
    assert error["message"] == "internal error"
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-test-1"}
    assert "hunter2" not in str(error)
    [record] = [r for r in caplog.records if r.name == "graphapi.graphql"]
    assert "req-test-1" in record.getMessage()
    assert record.exc_info and "hunter2" in str(record.exc_info[1])


async def test_error_codes_store_down_is_service_unavailable() -> None:
    query = '{ search(text: "zhao") { edges { cursor } } }'
    [error] = await _errors(BrokenStore(StoreUnavailable("socket gone")), query)
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "unavailable" in error["message"]
    assert "socket" not in error["message"]


async def test_error_codes_a_statement_past_its_time_limit_is_timeout_not_internal() -> None:
    query = '{ neighborhood(id: "per-zhao-wei", depth: 2) { nodes { caption } } }'
    [error] = await _errors(BrokenStore(StoreTimeout("Neo.ClientError.Transaction.TransactionTimedOut: x")), query)
    assert error["extensions"] == {"code": "TIMEOUT", "requestId": "req-test-1"}
    assert error["message"].startswith("the query ran past the store's time limit")


async def test_error_codes_no_store_at_all_is_service_unavailable() -> None:
    [error] = await _errors(None, '{ entity(id: "per-zhao-wei") { caption } }')
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_error_codes_bounds_are_bad_user_input(fixture_graph) -> None:
    queries = {
        '{ neighborhood(id: "cmp-lucky-dragon", depth: 4) { truncated } }': "depth",
        '{ neighborhood(id: "cmp-lucky-dragon", limit: 0) { truncated } }': "limit",
        '{ shortestPaths(fromId: "per-somchai", toId: "per-zhao-wei", maxHops: 9) { length } }': "maxHops",
        '{ search(text: "zhao", first: 101) { edges { cursor } } }': "first",
        '{ entity(id: "per-zhao-wei") { relationships(first: 0) { totalCount } } }': "first",
        '{ search(text: "zhao", after: "bogus") { edges { cursor } } }': "after",
        '{ node(id: "bm90LWEtZ2xvYmFsLWlk") { id } }': "global id",
    }
    for query, word in queries.items():
        [error] = await _errors(fixture_graph, query)
        assert error["extensions"]["code"] == "BAD_USER_INPUT", query
        assert word in error["message"], (query, error["message"])


async def test_error_codes_too_many_ids_is_bad_user_input(fixture_graph) -> None:
    ctx = Context(fixture_graph, DEMO_PRINCIPAL, "r")
    query = "query ($ids: [String!]!) { entities(ids: $ids) { caption } }"
    result = await schema.execute(query, variable_values={"ids": ["x"] * 1001}, context_value=ctx)
    [error] = [e.formatted for e in result.errors]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "1000" in error["message"]


async def test_error_codes_graphql_validation_errors_keep_their_message(fixture_graph) -> None:
    [error] = await _errors(fixture_graph, '{ neighborhood(id: "x", relationshipTypes: [NOT_A_TYPE]) { truncated } }')
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "NOT_A_TYPE" in error["message"]
    [error] = await _errors(fixture_graph, "{ entity(id: ")
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
