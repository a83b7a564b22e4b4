"""``quarantinedIdentifiers`` reads the quarantined identifiers, not every node of the graph: its
page and its count read every Entity node per call, twice, and thirty aliases in one request ran
sixty such scans at a cost of ~100 (attack round a-60, 2). Its statements seek the index on
``Entity.inQuarantine``, which every write that sets or lifts a quarantine keeps in step, and
each field is charged its work in the cost limit. Read from the statements' profile on each
backend: the rows their operators produce, not their speed."""

import pytest
from operator_rows import rows_per_operator

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("ana-th", agency="TH-DSI", roles=frozenset({"analyst"}))
PHONES = 2_000
FLAGGED, MARKED = "phone:+66810000001", "phone:+66810000002"


async def _phones_two_quarantined(store) -> None:
    records = [NodeRecord("Phone", f"phone:+6681{i:07d}", {"number": f"+6681{i:07d}"}) for i in range(PHONES)]
    await write_records(store, records, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="bulk")
    await store.write("ingest/settle_quarantine", {"id": FLAGGED, "flag": True, "lift": [], "add": []})
    await store.write("ingest/settle_quarantine", {"id": MARKED, "flag": None, "lift": [], "add": ["TH-DSI"]})


async def _listed(store) -> list[str]:
    params = {**TH.cypher_params(), "victimData": False, "skip": 0, "limit": 21}
    return [row["node"]["id"] for row in await store.read("security/quarantined_identifiers", params)]


async def test_the_page_and_the_count_read_the_quarantined_identifiers_alone(backend_empty_store):
    store = backend_empty_store
    await _phones_two_quarantined(store)
    page = await rows_per_operator(store, "security/quarantined_identifiers",
                                    {**TH.cypher_params(), "victimData": False, "skip": 0, "limit": 21})
    count = await rows_per_operator(store, "security/quarantined_identifier_count",
                                     {**TH.cypher_params(), "victimData": False})
    # every operator's rows follow the two quarantined; a scan of the label: PHONES
    read_most = "\n".join(f"{n} {op[:200]}" for op, n in {**page, **count}.items())
    assert max(max(page.values()), max(count.values())) <= 4, read_most
    assert await _listed(store) == [FLAGGED, MARKED]


async def test_a_lifted_quarantine_leaves_the_index(backend_empty_store):
    store = backend_empty_store
    await _phones_two_quarantined(store)
    await store.write("ingest/settle_quarantine", {"id": FLAGGED, "flag": False, "lift": [], "add": []})
    await store.write("ingest/settle_quarantine", {"id": MARKED, "flag": None, "lift": ["TH-DSI"], "add": []})
    rows = await store.read("ingest/existing_nodes", {"ids": [FLAGGED, MARKED]})
    assert [r["props"].get("inQuarantine") for r in rows] == [None, None]
    assert await _listed(store) == []


async def test_a_quarantine_stored_before_the_index_is_set_at_init(backend_empty_store):
    store = backend_empty_store
    await write_records(store, [NodeRecord("Phone", FLAGGED, {"number": FLAGGED[6:]})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="bulk")
    await store.write_batches("ingest/update_nodes", [{"id": FLAGGED, "props": {"quarantined": True}}])
    assert await _listed(store) == []
    await store.write("schema/set_in_quarantine")
    assert await _listed(store) == [FLAGGED]

