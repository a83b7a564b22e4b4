"""A graph written before ``Entity.inQuarantine`` existed holds quarantined identifiers without it:
the store's init, making the property's index, sets it on them once (cypher/schema/set_in_quarantine),
so ``quarantinedIdentifiers``, which seeks that index, lists them (attack round a-60, 2). Each test
starts from such a graph: the session store cleared and the index dropped, as an older version
left it; init makes the index again."""

import pytest
import pytest_asyncio

from graphapi.ingest.service import ingest_records
from graphapi.store.base import IN_QUARANTINE
from tests.investigate.graphql_answers import answer
from tests.security.test_quarantined_identifiers_query import LISTED, TH, _ids
from tests.store.test_search_audience_repair import _raw_write

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends, pytest.mark.drops_neo4j_plans]
PHONE = "phone:+66810000009"


async def _index_name(store) -> str | None:
    """Neo4j's name of the inQuarantine index (None if there is none)."""
    return next((r["name"] for r in await store.read("schema/indexes")
                 if r["labels"] == ["Entity"] and r["properties"] == [IN_QUARANTINE]), None)


@pytest_asyncio.fixture(loop_scope="session")
async def old_graph(empty_store):
    """The session store, cleared, without the inQuarantine index (as before it existed)."""
    if empty_store.dialect == "falkordb":
        await _raw_write(empty_store, f"DROP INDEX ON :Entity({IN_QUARANTINE})")
    else:
        await _raw_write(empty_store, f"DROP INDEX {await _index_name(empty_store)}")
    yield empty_store
    await empty_store.init_schema()  # the session store left with its index, as its start left it


async def _quarantined_without_the_mark(store) -> None:
    """A phone flagged quarantined the way a version before inQuarantine stored it."""
    done = await ingest_records(store, [{"kind": "node", "label": "Phone", "properties": {"number": PHONE[6:]}}],
                                source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not done.rejected
    await _raw_write(store, f"MATCH (n:Entity {{id: $id}}) SET n.quarantined = true REMOVE n.{IN_QUARANTINE}",
                     {"id": PHONE})


async def test_a_quarantine_stored_without_its_mark_is_listed_after_init(old_graph):
    await _quarantined_without_the_mark(old_graph)
    created = await old_graph.init_schema()
    assert any(IN_QUARANTINE in c for c in created)
    assert _ids(await answer(old_graph, TH, LISTED)) == ([PHONE], 1)


async def test_its_mark_is_set_by_init(old_graph):
    await _quarantined_without_the_mark(old_graph)
    await old_graph.init_schema()
    [row] = await old_graph.read("ingest/existing_nodes", {"ids": [PHONE]})
    assert row["props"].get(IN_QUARANTINE) == 1
