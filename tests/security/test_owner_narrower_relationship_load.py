"""An owner's later load into its own relationship that it shared earlier keeps the audience the
load gave its values, as for a node (test_owner_narrower_load_stays_narrow): TH-DSI's transfer,
AMBER shared with VN-MPS, then TH-DSI's AMBER load of the same transfer, not shared with VN-MPS,
adds its bank reference; VN-MPS must read it neither in the relationship's fields nor in its
values, TH-DSI reads it in its values (the edge writer merged it into the fields, which VN-MPS
reads)."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.investigate.values import relationship_property_values
from graphapi.ontology import load_model
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
SHARED = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS",))
TH_ONLY = Provenance(owner="TH-DSI", tlp="AMBER")
TRANSFER = load_model().relationship_id("TRANSFERRED_TO", "acct-th-1", "acct-th-2", "tx-1")


def _transfer(**props) -> EdgeRecord:
    return EdgeRecord("TRANSFERRED_TO", TRANSFER, "acct-th-1", "acct-th-2", {"amount": 9500.0, **props})


async def _shared_then_narrower(store, second_source: str) -> None:
    await write_records(store, [NodeRecord("BankAccount", "acct-th-1", {}), NodeRecord("BankAccount", "acct-th-2", {}),
                                _transfer()], provenance=SHARED, source="th-feed")
    await write_records(store, [_transfer(txId="TH-INFORMANT-REF-77")], provenance=TH_ONLY, source=second_source)


@pytest.mark.parametrize("second_source", ["th-feed", "th-secret"])
async def test_an_owners_later_relationship_load_not_shared_with_an_agency_is_not_read_by_it(
        backend_empty_store, second_source):
    await _shared_then_narrower(backend_empty_store, second_source)
    [page] = await relationships_of(backend_empty_store, VN, ["acct-th-1"])
    [edge] = page.edges
    refs = await relationship_property_values(backend_empty_store, VN, [(TRANSFER, "acct-th-1", "acct-th-2")], "txId")
    assert (edge.relationship.properties.get("amount"), edge.relationship.properties.get("txId")) == (9500.0, None)
    assert refs == {TRANSFER: []}


async def test_the_owner_reads_its_narrower_relationship_value_in_its_values(backend_empty_store):
    await _shared_then_narrower(backend_empty_store, "th-secret")
    refs = await relationship_property_values(backend_empty_store, TH, [(TRANSFER, "acct-th-1", "acct-th-2")], "txId")
    assert [(v.value, [s.source for s in v.sources]) for v in refs[TRANSFER]] == [
        ("TH-INFORMANT-REF-77", ["th-secret"])]
