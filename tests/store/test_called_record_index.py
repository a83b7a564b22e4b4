"""The CALLED a renewed FtM line drew is found through an index on its recordId
(cypher/falkordb/schema/relationship_record_index.cypher): every renewed line whose last version is
no node of its own, a plain DEL included, is looked for among the CALLED (ingest/links_drawn), and
unindexed each batch read every agency's CALLED (attack round a-87, 1: 3.5-5.7 s a batch of 5,000
DELs at 150,000 CALLED, past the statement limit at about 1.5 million)."""

import pytest

pytestmark = [pytest.mark.asyncio(loop_scope="session"),
              pytest.mark.one_store("the index is FalkorDB's: Neo4j scanned 150,000 CALLED for the same "
                                    "batches without a slowdown (a-87, 1)")]


async def test_a_lines_called_is_found_by_its_record_id_through_an_index(store):
    text = store.statements["ingest/links_drawn"].render(type="CALLED")
    graph = store._graph
    params = {"records": ["c-1"], "source": "ftm", "owner": "TH-DSI", "scoped": False}
    lines = await graph.execute_command("GRAPH.EXPLAIN", graph.name, graph._build_params_header(params) + text)
    plan = [(line.decode() if isinstance(line, bytes) else line).strip() for line in lines]
    assert "Edge By Index Scan | [r:CALLED]" in plan, "\n".join(plan)
