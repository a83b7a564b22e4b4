"""An owner's later load into its own node that it shared earlier keeps the audience the load
gave its values: TH-DSI's AMBER person shared with VN-MPS, then TH-DSI's AMBER load not shared
with VN-MPS adds a passport number and a note; VN-MPS must read neither (attack round 4, H1: the
writer merged them into the node's fields, and a same-source load's statement kept its old
``sharedWith``, so ``values`` named them to VN-MPS too)."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.values import property_values
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


async def _shared_then_narrower(store, second_source: str):
    await write_records(store, [NodeRecord("Person", "per-alpha", {"name": "Alpha One"})],
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS",)),
                        source="th-feed")
    await write_records(store, [NodeRecord("Person", "per-alpha", {
        "passportNumber": ["TH7654321"], "notes": "TH informant"})],
        provenance=Provenance(owner="TH-DSI", tlp="AMBER"), source=second_source)


@pytest.mark.parametrize("second_source", ["th-feed", "th-secret"])
async def test_an_owners_later_load_not_shared_with_an_agency_is_not_read_by_it(backend_empty_store, second_source):
    await _shared_then_narrower(backend_empty_store, second_source)
    (node,) = (await get_nodes(backend_empty_store, VN, ["per-alpha"])).values()
    passports = await property_values(backend_empty_store, VN, ["per-alpha"], "passportNumber")
    assert (node.properties["name"], node.properties.get("passportNumber"), node.properties.get("notes")) == (
        "Alpha One", None, None)
    assert passports == {"per-alpha": []}
