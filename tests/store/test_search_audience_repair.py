"""A graph written before searchAudience was derived after a WITH (attack round 31, item 1) holds
nodes whose searchAudience came from their OLD levels: the store's start-up repairs them once, on
both backends, and marks the graph so that later starts scan nothing (graphapi/store/audience_repair.py).
Each test starts from an old graph: the session store cleared and its mark dropped."""

import pytest
import pytest_asyncio

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.security import Principal
from graphapi.store.audience_repair import MARK_LABEL, repair_search_audience
from graphapi.store.falkordb import EmbeddedStore
from graphapi.store.search_audience import EVERYONE, agency_token, audience_field

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends, pytest.mark.drops_neo4j_plans]

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
LA = Principal("analyst-la", agency="LA-POL", roles=frozenset({"analyst"}))


async def _raw_write(store, text: str, params: dict | None = None) -> None:
    """Write directly, as an older version (or an operator) left the graph."""
    if store.dialect == "falkordb":
        await store._run(text, params, read_only=False)
    else:
        async with store._driver.session() as session:
            await (await session.run(text, params)).consume()


async def _marked(store) -> bool:
    if store.dialect == "falkordb":
        return any(r["label"] == MARK_LABEL for r in await store.read("schema/in_place"))
    return any(r["labels"] == [MARK_LABEL] for r in await store.read("schema/indexes"))


@pytest_asyncio.fixture(loop_scope="session")
async def old_graph(empty_store):
    """The session store, cleared, as a graph of before the repair: no mark."""
    if await _marked(empty_store):
        await _raw_write(empty_store, "DROP INDEX FOR (m:SchemaRepair) ON (m.searchAudienceFromStoredLevels)"
                         if empty_store.dialect == "falkordb" else "DROP INDEX search_audience_repaired")
    assert not await _marked(empty_store)
    yield empty_store
    await empty_store.init_schema()  # the session store left marked, as its start left it


async def _stale(store, node_id: str, value: str) -> None:
    await _raw_write(store, "MATCH (n:Entity {id: $id}) SET n.searchAudience = $value", {"id": node_id, "value": value})


async def _stored(store, node_id: str) -> dict:
    (row,) = await store.read("ingest/existing_nodes", {"ids": [node_id]})
    return dict(row["props"])


async def _person(store, node_id: str, name: str, owner: str, tlp: str, shared=()) -> None:
    await write_records(store, [NodeRecord("Person", node_id, {"name": name})],
                        provenance=Provenance(owner=owner, tlp=tlp, shared_with=tuple(shared)), source=owner)


async def test_start_up_lets_a_partner_find_a_node_stored_with_its_owners_audience_only(old_graph):
    # KH-NP shared per-x with VN-MPS by reload: the old statement kept the owner's token only
    await _person(old_graph, "per-x", "Somchai Jaidee", "KH-NP", "AMBER", shared=["VN-MPS"])
    await _stale(old_graph, "per-x", " " + agency_token("KH-NP"))
    assert (await search(old_graph, VN, "Somchai Jaidee")).total == 0
    await old_graph.init_schema()
    assert (await _stored(old_graph, "per-x"))["searchAudience"] == \
        f" {agency_token('KH-NP')} {agency_token('VN-MPS')}"
    assert (await search(old_graph, VN, "Somchai Jaidee")).total == 1
    assert (await search(old_graph, LA, "Somchai Jaidee")).total == 0


@pytest.mark.parametrize(("tlp", "shared", "stale"), [
    ("RED", [], EVERYONE),  # narrowed from GREEN: still in every agency's prefilter
    ("GREEN", [], " " + agency_token("KH-NP")),  # widened: found by its owner only
    ("AMBER", ["VN-MPS"], EVERYONE),
])
async def test_start_up_stores_the_audience_a_nodes_stored_levels_give(old_graph, tlp, shared, stale):
    await _person(old_graph, "per-x", "Somchai Jaidee", "KH-NP", tlp, shared)
    await _stale(old_graph, "per-x", stale)
    await old_graph.init_schema()
    props = await _stored(old_graph, "per-x")
    assert props["searchAudience"] == audience_field(tlp, "KH-NP", shared) != stale


async def test_start_up_fills_a_missing_search_audience(old_graph):
    await _person(old_graph, "per-x", "Somchai Jaidee", "KH-NP", "GREEN")
    await _raw_write(old_graph, "MATCH (n:Entity {id: 'per-x'}) REMOVE n.searchAudience", {})
    await old_graph.init_schema()
    assert (await _stored(old_graph, "per-x"))["searchAudience"] == EVERYONE


async def test_start_up_marks_the_graph_repaired(old_graph):
    await old_graph.init_schema()
    assert await _marked(old_graph)


async def test_a_graph_marked_repaired_is_not_scanned_again_at_start_up(old_graph, monkeypatch):
    await _person(old_graph, "per-x", "Somchai Jaidee", "KH-NP", "AMBER", shared=["VN-MPS"])
    await old_graph.init_schema()
    await _stale(old_graph, "per-x", EVERYONE)  # stale only after the repair: a later start leaves it
    written: list[str] = []
    write = old_graph.write

    async def recorded(name, *args, **kwargs):
        written.append(name)
        return await write(name, *args, **kwargs)

    monkeypatch.setattr(old_graph, "write", recorded)
    assert await old_graph.init_schema() == []
    assert written == []
    assert (await _stored(old_graph, "per-x"))["searchAudience"] == EVERYONE


async def test_start_up_repairs_a_graph_larger_than_one_window(old_graph):
    await write_records(old_graph, [NodeRecord("Person", f"per-{i}", {"name": f"Somchai {i}"}) for i in range(7)],
                        provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=("VN-MPS",)), source="KH-NP")
    for i in range(7):
        await _stale(old_graph, f"per-{i}", EVERYONE)
    assert await repair_search_audience(old_graph, batch=2) == 7
    assert {(await _stored(old_graph, f"per-{i}"))["searchAudience"] for i in range(7)} == \
        {audience_field("AMBER", "KH-NP", ["VN-MPS"])}


async def test_a_new_data_directory_is_marked_repaired_at_its_first_start(tmp_path):
    fresh = await EmbeddedStore.open(tmp_path, "g")
    try:
        await fresh.init_schema()
        assert await _marked(fresh)
    finally:
        await fresh.close()
