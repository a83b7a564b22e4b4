"""The embedded store decodes FalkorDB's compact replies itself, in one pass: every value type a
statement can return comes out exactly as the client's own parse followed by ``plain()`` gives it,
and a reply holding graph objects is still parsed (by the client)."""

from __future__ import annotations

import pytest
from falkordb.asyncio.query_result import QueryResult

from graphapi.store.falkordb_values import NotPlain, decode, decode_rows, run_time_ms
from graphapi.store.values import plain_row

pytestmark = pytest.mark.asyncio(loop_scope="session")

EVERY_TYPE = """
RETURN 'text' AS s, 'ünï ☃' AS u, 42 AS i, -7 AS neg, 2.5 AS d, 1.0 AS whole, true AS t, false AS f,
       null AS n, [1, 'a', null, [2.5]] AS list, {id: 'r1', at: localdatetime('2024-05-01T08:30:00'),
       on: date('2023-01-31'), inner: {xs: [true]}} AS m, localdatetime('1999-12-31T23:59:59') AS ldt,
       date('2024-02-29') AS day, point({latitude: 13.5, longitude: 100.25}) AS place, [] AS empty,
       {} AS nothing
"""


async def _reply(store, query: str) -> list:
    return await store._graph.execute_command("GRAPH.RO_QUERY", store.graph_name, query, "--compact")


async def _client_rows(store, reply: list) -> list[dict]:
    result = QueryResult(store._graph)
    await result.parse(reply)
    return [plain_row([h[1] for h in result.header], row) for row in result.result_set]


async def test_every_plain_value_type_decodes_as_the_client_and_plain_do(empty_store):
    reply = await _reply(empty_store, EVERY_TYPE)
    rows = decode_rows(reply)
    assert rows == await _client_rows(empty_store, reply)
    assert rows[0]["m"] == {"id": "r1", "at": "2024-05-01T08:30:00", "on": "2023-01-31", "inner": {"xs": [True]}}
    assert (rows[0]["whole"], type(rows[0]["whole"])) == (1.0, float)


async def test_a_properties_map_of_every_scalar_decodes_as_the_client_does(empty_store):
    # maps decode their strings and integers inline (the properties of nodes and relationships)
    reply = await _reply(empty_store, "RETURN {s: 'x', u: 'ünï', i: 3, neg: -4, big: 9007199254740993, d: 2.5, "
                                      "t: true, n: null, l: ['a', 1, null], m: {k: 'v'}, day: date('2024-02-29')} AS m")
    rows = decode_rows(reply)
    assert rows == await _client_rows(empty_store, reply)
    assert rows[0]["m"]["big"] == 9007199254740993 and rows[0]["m"]["l"] == ["a", 1, None]


async def test_a_graph_object_cell_is_left_to_the_client():
    with pytest.raises(NotPlain):
        decode([8, [0, [], []]])


async def test_the_store_reads_a_statement_returning_nodes_through_the_client_parse(fixture_graph):
    reply = await _reply(fixture_graph, "MATCH (n:Entity) WITH n ORDER BY n.id LIMIT 2 RETURN n")
    with pytest.raises(NotPlain):
        decode_rows(reply)
    rows, _ = await fixture_graph._graph.plain_query(
        "MATCH (n:Entity) WITH n ORDER BY n.id LIMIT 2 RETURN n", None, 10_000, True)
    assert rows == await _client_rows(fixture_graph, reply)
    assert [r["n"]["id"] for r in rows] == sorted(r["n"]["id"] for r in rows) and len(rows) == 2


async def test_the_server_execution_time_is_read_from_the_statistics(empty_store):
    assert run_time_ms([["Cached execution: 0", "Query internal execution time: 0.25 milliseconds"]]) == 0.25
    assert run_time_ms(await _reply(empty_store, "RETURN 1")) > 0


async def test_a_bulk_reply_holding_what_the_decoder_leaves_is_parsed_by_the_client_as_without_bulk(empty_store):
    query = "RETURN duration({days: 2}) AS d, 'x' AS s"
    plain, _ = await empty_store._graph.plain_query(query, {}, 1000, True)
    bulk, _ = await empty_store._graph.plain_query(query, {}, 1000, True, bulk=empty_store._bulk)
    assert bulk == plain
    assert bulk[0]["s"] == "x"
