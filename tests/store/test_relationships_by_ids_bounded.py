"""``analytics/relationships_by_ids`` (the edges an analytic's answer names: a money trail's
transfers, a path's relationships, co-travellers' crossings, shared identifiers' links) reads the
relationships joining each asked pair of ends, never every relationship of the start once per id
asked: that cost trails x hub degree, and a 1,000-trail money trail out of a 20,000-transfer
account ran past the store's time limit (attack round 51b, F2). Read from the profile of the
statement on each backend: the rows its operators produce, not its speed."""

import pytest
from neo4j import RoutingControl
from operator_rows import rows_per_operator

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("ana-th", agency="TH-DSI")
HUB_DEGREE, ASKED = 300, 40


async def _hub(store) -> list[dict]:
    """An account with HUB_DEGREE transfers out, each to an account of its own; its relationships."""
    leaves = [f"acc-{i:03d}" for i in range(HUB_DEGREE)]
    records: list = [NodeRecord("BankAccount", a, {"accountKey": a}) for a in ["acc-hub", *leaves]]
    records += [EdgeRecord("TRANSFERRED_TO", f"t:{a}", "acc-hub", a,
                           {"at": "2025-01-01T00:00:00Z", "amount": 1.0, "currency": "USD"}) for a in leaves]
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="hub")
    return [{"id": f"t:{a}", "start": "acc-hub", "end": a} for a in leaves]


async def test_relationships_by_id_out_of_a_hub_read_only_the_pairs_asked(backend_empty_store):
    store = backend_empty_store
    rels = (await _hub(store))[:ASKED]
    params = {"rels": rels, **TH.cypher_params()}

    rows = await rows_per_operator(store, "analytics/relationships_by_ids", params, routing=RoutingControl.WRITE)

    # each operator's rows follow the ids asked (Neo4j's plan of the visibility test unions two
    # branches of them: 2 x ASKED); walked from the hub: ASKED x HUB_DEGREE (12,000)
    read_most = "\n".join(f"{n} {op[:200]}" for op, n in rows.items())
    assert max(rows.values()) <= 2 * ASKED, read_most
    found = await store.read("analytics/relationships_by_ids", params)
    assert [r["rel"]["id"] for r in found] == sorted(r["id"] for r in rels)
    assert {(r["rel"]["start"], r["rel"]["end"], r["rel"]["type"]) for r in found} == {
        ("acc-hub", r["end"], "TRANSFERRED_TO") for r in rels}
