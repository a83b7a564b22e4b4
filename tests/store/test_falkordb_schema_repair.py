"""The embedded store's start-up makes what is missing of its schema, even the full-text index
(attack round 30a M3: the server could not start without it), and names duplicate Entity ids
instead of making their failed unique constraint again at every start (L1)."""

from __future__ import annotations

import logging

import pytest
from falkordb_indexes import drop_entity_fulltext

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate import search
from graphapi.security import Principal
from graphapi.store.falkordb import EmbeddedStore

pytestmark = pytest.mark.asyncio(loop_scope="session")

ANALYST = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))


async def _entity_schema(store) -> set[tuple[str, str]]:
    return {(r["kind"], r["property"]) for r in await store.read("schema/in_place") if r["label"] == "Entity"}


async def test_start_up_makes_a_missing_full_text_index_again_with_the_rest_of_the_labels_schema(tmp_path):
    store = await EmbeddedStore.open(tmp_path, "g")
    try:
        await store.init_schema()
        await write_records(store, [NodeRecord("Person", "per-1", {"name": "The A Team"})],
                            provenance=Provenance(owner="KH-NP", tlp="GREEN"), source="kh")
        fresh = await _entity_schema(store)
        before = [h.node.id for h in (await search.search(store, ANALYST, "the a team")).hits]
        await drop_entity_fulltext(store, "g")
        created = await store.init_schema()
        assert created[0] == "fulltext Entity(caption, searchText)" and "fulltext Entity(searchAudience)" in created
        assert await _entity_schema(store) == fresh
        page = await search.search(store, ANALYST, "the a team")  # found by its name as before the drop
        assert [h.node.id for h in page.hits] == before == ["per-1"]
    finally:
        await store.close()


async def test_duplicate_entity_ids_are_named_at_start_up_and_their_failed_constraint_not_made_again(tmp_path, caplog):
    store = await EmbeddedStore.open(tmp_path, "g")
    try:
        await store.init_schema()
        await store._graph.drop_node_unique_constraint("Entity", "id")
        await store._graph.execute_command("GRAPH.QUERY", "g",
                                           "CREATE (:Entity:Person {id:'dup-1'}), (:Entity:Person {id:'dup-1'})")
        await store.init_schema()  # makes the constraint, which then fails on the duplicates
        for _ in range(50):
            if ("UNIQUE FAILED", "id") in await _entity_schema(store):
                break
        assert ("UNIQUE FAILED", "id") in await _entity_schema(store)
        with caplog.at_level(logging.ERROR, logger="graphapi.store.falkordb"):
            assert await store.init_schema() == []
        assert "dup-1 (2 nodes)" in caplog.text
    finally:
        await store.close()
