"""The premise of the Cypher lint against an update followed by a WITH's WHERE
(tests/cypher_update_filter.py): the embedded FalkorDB drops the SET, and the DELETE, of every row
that WHERE filters out (attack round a-94, 1: provenance/unnote_keyed_lines never removed a note's
entry). Should this fail, FalkorDB runs such updates for every row now, and the lint may go."""

import pytest

pytestmark = [pytest.mark.asyncio(loop_scope="session"),
              pytest.mark.one_store("the trap is FalkorDB's; Neo4j runs the update for every row, as Cypher says")]


async def _after(store, query: str) -> list[tuple[str, str]]:
    await store._run("MATCH (n:Probe) DELETE n", {}, False)
    await store._run("UNWIND ['a', 'b'] AS i CREATE (:Probe {id: i, v: 'old'})", {}, False)
    await store._run(query, {"rows": [{"id": "a", "keep": False}, {"id": "b", "keep": True}]}, False)
    rows = await store._run("MATCH (n:Probe) RETURN n.id AS id, n.v AS v ORDER BY id", {}, True)
    await store._run("MATCH (n:Probe) DELETE n", {}, False)
    return [(r["id"], r["v"]) for r in rows]


async def test_falkordb_drops_the_set_of_a_row_a_later_with_where_filters_out(store):
    got = await _after(store, "UNWIND $rows AS row MATCH (n:Probe {id: row.id}) SET n.v = 'new' "
                              "WITH n, row WHERE row.keep RETURN count(n) AS c")
    assert got == [("a", "old"), ("b", "new")]


async def test_falkordb_keeps_the_set_of_a_row_a_later_match_drops(store):
    got = await _after(store, "UNWIND $rows AS row MATCH (n:Probe {id: row.id}) SET n.v = 'new' "
                              "WITH n, row MATCH (m:Probe {id: 'b'}) WHERE row.keep RETURN count(m) AS c")
    assert got == [("a", "new"), ("b", "new")]
