"""``Entity.sources`` names the sources of the statements about the entity that the reader may
see, the ones ``values(property:)`` lists (new-user trial 7: it listed what the node's own field
held, the owner's sources, while ``values`` listed every visible one). Visibility is decided in
the Cypher (``provenance/visible_sources``)."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

QUERY = '{ entity(id: "per-x") { sources values(property: "name") { sources { source } } } }'


async def _statement(store, source: str, owner: str, tlp: str, shared_with: list[str]) -> None:
    """A statement of ``source`` about per-x's name alone, its fields untouched (as a partner's
    value kept at its own level is: graphapi.ingest.statement_store)."""
    await store.write_batches("provenance/write_statements", [{
        "id": f"stmt:{source}", "props": {
            "id": f"stmt:{source}", "entity": "per-x", "owner": owner, "source": source, "tlp": tlp,
            "sharedWith": shared_with, "follows": False,
            "property": ["name"], "value": [f"Somsak ({source})"], "recordId": [f"{source}.csv:2"],
            "firstSeen": ["2026-01-01T00:00:00"], "lastSeen": ["2026-01-01T00:00:00"]}}])


async def _read(store, agency: str) -> tuple[list[str], list[str]]:
    """(Entity.sources, every source values(property: "name") lists) as ``agency`` reads them."""
    result = await graphql_schema.execute(QUERY, context_value=Context(store, Principal("a", agency=agency), "t"))
    assert result.errors is None, result.errors
    entity = result.data["entity"]
    return entity["sources"], sorted({s["source"] for v in entity["values"] for s in v["sources"]})


async def _person(store) -> None:
    await write_records(store, [NodeRecord("Person", "per-x", {"name": "Somsak X"}, Origin("th-feed", "th.csv", 2))],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"))


async def test_entity_sources_name_a_partners_source_the_reader_may_see(backend_empty_store) -> None:
    await _person(backend_empty_store)
    await _statement(backend_empty_store, "vn-feed", "VN-MPS", "AMBER", ["PH-NBI"])
    assert await _read(backend_empty_store, "PH-NBI") == (["th-feed", "vn-feed"], ["th-feed", "vn-feed"])


async def test_entity_sources_never_name_a_source_whose_statements_are_hidden_from_the_reader(
        backend_empty_store) -> None:
    await _person(backend_empty_store)
    await _statement(backend_empty_store, "vn-feed", "VN-MPS", "AMBER", ["PH-NBI"])
    assert await _read(backend_empty_store, "KH-NP") == (["th-feed"], ["th-feed"])


async def test_the_statements_owner_reads_its_own_source_among_the_entitys(backend_empty_store) -> None:
    await _person(backend_empty_store)
    await _statement(backend_empty_store, "vn-feed", "VN-MPS", "AMBER", ["PH-NBI"])
    assert (await _read(backend_empty_store, "VN-MPS"))[0] == ["th-feed", "vn-feed"]
