"""The guard's quarantine within one load is marked for the agencies that may see every holder it
counted, as stored, and lands on the stored identifier however narrow the load's own record of it
(attack round 55, 1 and 7)."""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.security import Principal
from tests.ingest.phone_holders import LIMIT, PHONE, PhoneHolders, load_holders
from tests.ingest.test_quarantine_audience import QUARANTINED, _LinksOnly, _People, _RedHolders
from tests.investigate.graphql_answers import answer

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
KH = Principal("ana-kh", agency="KH-NP")
LA = Principal("ana-la", agency="LA-POL")
KH_AMBER_FOR_LA = Provenance(owner="KH-NP", tlp="AMBER", shared_with=("LA-POL",))
SEVEN = [f"per-kh-{i}" for i in range(7)]


async def _la_reads_no_quarantine_and_links(store):
    assert await answer(store, LA, QUARANTINED) == {"entity": {"quarantined": None}}
    la = await load_holders(store, ["per-la-a", "per-la-b"], "la", "LA-POL", "GREEN")
    assert (la.relationships_created, la.quarantined) == (2, 0)


async def test_red_holders_of_an_amber_load_quarantine_only_for_the_agency_that_sees_them(empty_store):
    await run_load(empty_store, _RedHolders(SEVEN, "kh"), source="kh", provenance=KH_AMBER_FOR_LA, viewer="KH-NP",
                   correlation_limit=LIMIT)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}
    await _la_reads_no_quarantine_and_links(empty_store)


async def test_holders_an_earlier_load_made_red_quarantine_an_amber_loads_links_only_for_their_agency(empty_store):
    await run_load(empty_store, _People(SEVEN, "khp"), source="khp", provenance=Provenance(owner="KH-NP", tlp="RED"),
                   viewer="KH-NP", correlation_limit=LIMIT)
    await run_load(empty_store, _LinksOnly(SEVEN, "kh"), source="kh", provenance=KH_AMBER_FOR_LA, viewer="KH-NP",
                   correlation_limit=LIMIT)
    await _la_reads_no_quarantine_and_links(empty_store)


class _Phone(PhoneHolders):
    def records(self):
        yield NodeRecord("Phone", PHONE, {"number": "+66811111111"}, Origin(self.src, "p.csv", 2))


@pytest.mark.parametrize("load_tlp", ["RED", "AMBER"])
async def test_a_narrower_loads_own_quarantine_lands_on_a_stored_public_phone(empty_store, load_tlp):
    await run_load(empty_store, _Phone([], "p"), source="p", provenance=Provenance(owner="TH-DSI", tlp="GREEN"),
                   viewer="TH-DSI", correlation_limit=LIMIT)
    kh = await load_holders(empty_store, SEVEN, "kh", "KH-NP", load_tlp)
    assert (kh.relationships_created, kh.quarantined) == (5, 1)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}
    later = await load_holders(empty_store, ["per-kh-7"], "kh2", "KH-NP", load_tlp)
    assert (later.relationships_created, later.quarantined) == (0, 1)
