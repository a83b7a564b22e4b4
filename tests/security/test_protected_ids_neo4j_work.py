"""``security/protected_ids`` on Neo4j does work bounded by its ids, not by how many people share
an identifier: the answer for a phone stops at the first victim who uses it (counted in the
server's own db hits, not timed). The same answers as the shared statement for every reader are
the redaction and victim tests' (tests/security/ -k "neo4j and (redaction or victim)")."""

import pytest
from neo4j import RoutingControl

from graphapi.security import Principal
from graphapi.security.redaction import protected_ids

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.neo4j]

USERS = 60
GREEN = {"tlp": "GREEN", "owner": "TH-DSI"}
READER = Principal(subject="analyst", agency="KH-NP", roles=frozenset({"analyst"}))


def _db_hits(plan) -> int:
    return plan.get("dbHits", 0) + sum(_db_hits(child) for child in plan.get("children", []))


async def _shared_phone_of_victims(store) -> None:
    await store.clear()
    await store.write_batches("ingest/create_nodes", [{"id": "phone:+855120000001", "props": GREEN}], labels="Phone")
    await store.write_batches("ingest/create_nodes", [{"id": "cmp-kk", "props": GREEN}], labels="Compound")
    people = [f"per-{i}" for i in range(USERS)]
    await store.write_batches("ingest/create_nodes", [{"id": p, "props": GREEN} for p in people], labels="Person")
    uses = [{"id": f"u-{p}", "start": p, "end": "phone:+855120000001", "props": GREEN, "lean": None} for p in people]
    held = [{"id": f"h-{p}", "start": p, "end": "cmp-kk", "props": {**GREEN, "role": "trafficked"}, "lean": None}
            for p in people]
    await store.write_batches("ingest/add_relationships", uses, params={"agency": None}, type="USES_PHONE")
    await store.write_batches("ingest/add_relationships", held, params={"agency": None}, type="HELD_AT")


async def test_a_phone_shared_by_many_victims_is_answered_without_walking_each_of_them(neo4j_store):
    await _shared_phone_of_victims(neo4j_store)
    assert await protected_ids(neo4j_store, READER, ["phone:+855120000001"]) == {"phone:+855120000001"}

    text = "PROFILE " + neo4j_store.statements["security/protected_ids"].render()
    _records, summary = await neo4j_store._execute(
        text, {"ids": ["phone:+855120000001"], "agency": READER.agency}, RoutingControl.READ)
    assert _db_hits(summary.profile) < USERS
