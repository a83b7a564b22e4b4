"""A graph written before links kept ``victimMarkOwners`` (attack round a-75, 5b) has it derived
from each INVOLVED_IN / HELD_AT link's statements at start-up, once (graphapi/store/victim_mark_repair.py),
so its victims stay marked once a rebuild lets another value win the role."""

import pytest

from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.store.victim_mark_repair import repair_victim_mark_owners
from tests.store.test_search_audience_repair import _raw_write

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

LINK = load_model().relationship_id("HELD_AT", "per-aung-kyaw", "cmp-lucky-dragon")




async def _say(store, agency: str, source: str, role: str) -> None:
    rec = EdgeRecord("HELD_AT", LINK, "per-aung-kyaw", "cmp-lucky-dragon", {"role": role}, Origin(source, "x.csv", 1))
    await write_records(store, [rec], provenance=Provenance(owner=agency, tlp="GREEN", seen="2026-01-01T00:00:00Z"),
                        source=source)


async def _owners(store) -> list[str] | None:
    [row] = await store.read("ingest/existing_relationships", {"ids": [LINK]}, type="HELD_AT")
    return row["props"].get("victimMarkOwners")


async def test_start_up_derives_the_mark_owners_of_a_link_stored_without_them(fixture_graph):
    await _say(fixture_graph, "TH-DSI", "cases@TH-DSI", "trafficked")
    await _say(fixture_graph, "VN-MPS", "feed@VN-MPS", "trafficked")
    await _say(fixture_graph, "TH-DSI", "notes@TH-DSI", "worker")
    await _raw_write(fixture_graph, "MATCH ()-[r:HELD_AT {id: $id}]->() REMOVE r.victimMarkOwners", {"id": LINK})
    assert await _owners(fixture_graph) is None
    assert await repair_victim_mark_owners(fixture_graph) == 1
    assert sorted(await _owners(fixture_graph)) == ["TH-DSI", "VN-MPS"]
    assert await repair_victim_mark_owners(fixture_graph) == 0  # a link that has them is left as it is
