"""A record an agency's load may not merge into another agency's item because it would show its
values to agencies it is not meant for ("would disclose") tells the loading agency that the item
exists and whose it is: a hit, audited for the owner like a restricted one (attack round 5, F3:
VN-MPS confirmed KH-NP's victim-protected phone by ingesting it at RED, and KH-NP's audit trail
recorded nothing)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records

pytestmark = pytest.mark.asyncio(loop_scope="session")

PHONE = "phone:+85577000001"


class One:
    def __init__(self, record: NodeRecord) -> None:
        self.record, self.stats = record, ReadStats(rows=1)

    def records(self):
        yield self.record


async def test_a_would_disclose_refusal_of_an_agency_load_is_a_hit_for_the_owner(backend_empty_store):
    await write_records(backend_empty_store, [NodeRecord("Phone", PHONE, {"number": "+85577000001"})],
                        provenance=Provenance(owner="KH-NP", tlp="GREEN"), source="kh")
    probe = NodeRecord("Phone", PHONE, {"number": "+85577000001", "notes": "probe"}, Origin("vn", "vn.json", 1))
    summary = await run_load(backend_empty_store, One(probe), source="vn",
                             provenance=Provenance(owner="VN-MPS", tlp="RED"), viewer="VN-MPS")
    assert (summary.restricted, summary.hits) == (1, [(PHONE, "KH-NP")])


async def test_an_operators_refused_load_is_no_hit(backend_empty_store):
    await write_records(backend_empty_store, [NodeRecord("Phone", PHONE, {"number": "+85577000001"})],
                        provenance=Provenance(owner="KH-NP", tlp="GREEN"), source="kh")
    probe = NodeRecord("Phone", PHONE, {"number": "+85577000001", "notes": "probe"}, Origin("op", "op.json", 1))
    summary = await run_load(backend_empty_store, One(probe), source="op",
                             provenance=Provenance(owner="VN-MPS", tlp="RED"))
    assert (summary.restricted, summary.hits) == (1, [])
