"""The bench clears a big Neo4j database a part at a time (one transaction over every item filled
a 1 GiB heap): ``admin/clear_relationships_part``, then ``admin/clear_nodes_part``, each at most ``limit``
items a transaction, until it deletes nothing."""

import pytest

from graphapi.store.clearing import clear_in_parts

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _three_linked(store) -> None:
    await store.write_batches("ingest/create_nodes", [{"id": f"per-{i}", "props": {"tlp": "GREEN"}} for i in range(3)],
                              labels="Person")
    await store.write_batches("ingest/add_relationships", [
        {"id": f"assoc-{i}", "start": "per-0", "end": f"per-{i}", "props": {"tlp": "GREEN"}, "lean": None}
        for i in (1, 2)], params={"agency": None}, type="ASSOCIATE_OF")


async def test_clearing_in_parts_deletes_relationships_then_nodes_a_part_at_a_time(empty_store):
    await _three_linked(empty_store)
    parts = [(await empty_store.write(f"admin/clear_{items}_part", {"limit": 2}))[0]["deleted"]
             for items in ("relationships", "relationships", "nodes", "nodes", "nodes")]
    assert parts == [2, 0, 2, 1, 0]
    assert (await empty_store.read("ingest/count_graph"))[0] == {"nodes": 0, "relationships": 0}


async def test_a_big_graph_is_cleared_in_parts(empty_store):
    await _three_linked(empty_store)
    assert await clear_in_parts(empty_store, part=2) == 5
    assert (await empty_store.read("ingest/count_graph"))[0] == {"nodes": 0, "relationships": 0}
