"""A record an agency's load may not merge into another agency's item because it would show its
values to agencies it is not meant for ("would disclose") tells the loading agency that the item
exists and whose it is: a hit, audited for the owner like a restricted one (attack round 5, F3:
VN-MPS confirmed KH-NP's victim-protected phone by ingesting it at RED, and KH-NP's audit trail
recorded nothing). Since issue 12 such a record's values are kept apart in its own statement; what
is still refused is one that would refine the item's label, which every reader of it sees."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records

pytestmark = pytest.mark.asyncio(loop_scope="session")

ORG = "org-front"


class One:
    def __init__(self, record: NodeRecord) -> None:
        self.record, self.stats = record, ReadStats(rows=1)

    def records(self):
        yield self.record


async def _kh_organization(store) -> None:
    await write_records(store, [NodeRecord("Organization", ORG, {"name": "Front Ltd"})],
                        provenance=Provenance(owner="KH-NP", tlp="GREEN"), source="kh")


def _company(source: str) -> NodeRecord:
    return NodeRecord("Company", ORG, {"name": "Front Ltd", "registrationNumber": ["0105561"]},
                      Origin(source, f"{source}.json", 1))


async def test_a_would_disclose_refusal_of_an_agency_load_is_a_hit_for_the_owner(backend_empty_store):
    await _kh_organization(backend_empty_store)
    summary = await run_load(backend_empty_store, One(_company("vn")), source="vn",
                             provenance=Provenance(owner="VN-MPS", tlp="RED"), viewer="VN-MPS")
    assert (summary.restricted, summary.hits) == (1, [(ORG, "KH-NP")])


async def test_an_operators_refused_load_is_no_hit(backend_empty_store):
    await _kh_organization(backend_empty_store)
    summary = await run_load(backend_empty_store, One(_company("op")), source="op",
                             provenance=Provenance(owner="VN-MPS", tlp="RED"))
    assert (summary.restricted, summary.hits) == (1, [])
