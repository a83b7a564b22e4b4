"""The circuit breaker checks a link to a stored identifier whether or not the load carries a node
record of it (attack round 55, 4): a load of relationship records alone is diverted from a
quarantined phone, and counted, as one naming the phone is."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.service import ingest_records
from tests.ingest.phone_holders import LIMIT, PHONE, PhoneHolders, load_holders
from tests.ingest.test_quarantine_audience import _People

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _holders(store) -> int:
    rows = await store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"], "agencies": []})
    return rows[0]["holders"]


async def test_a_link_only_record_to_a_phone_quarantined_for_everyone_becomes_text(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b", "per-th-c"], "th", "TH-DSI", "GREEN")
    await load_holders(empty_store, ["per-vn-a", "per-vn-b", "per-vn-c"], "vn", "VN-MPS", "GREEN")
    await run_load(empty_store, _People(["per-la-x"], "lap"), source="lap",
                   provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL", correlation_limit=LIMIT)
    out = await ingest_records(empty_store, [{"kind": "relationship", "type": "USES_PHONE", "from": "per-la-x",
                                              "to": PHONE}], source="la-api", owner="LA-POL", tlp="GREEN")
    assert (out.summary.relationships_created, out.summary.quarantined) == (0, 1)
    assert await _holders(empty_store) == 6


class _Links(PhoneHolders):
    """Links alone, from holders and to a phone earlier loads wrote."""

    def records(self):
        for i, pid in enumerate(self.people, start=2):
            yield EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, Origin(self.src, f"{self.src}.csv", i))


async def test_the_guard_counts_link_only_records_within_one_load(empty_store):
    people = [f"per-kh-{i}" for i in range(7)]
    await load_holders(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    await run_load(empty_store, _People(people, "khp"), source="khp", provenance=Provenance(owner="KH-NP", tlp="GREEN"),
                   viewer="KH-NP", correlation_limit=LIMIT)
    kh = await run_load(empty_store, _Links(people, "kh"), source="kh", provenance=Provenance(owner="KH-NP", tlp="GREEN"),
                        viewer="KH-NP", correlation_limit=LIMIT)
    assert (kh.relationships_created, kh.quarantined) == (5, 1)
    assert await _holders(empty_store) == 6
