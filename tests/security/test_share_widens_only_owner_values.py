"""Sharing a node further (more agencies, or a wider TLP) never shows another agency's values that
agency shared with the owner alone: the node's fields are rebuilt from the statements seen at
least as widely as the node now is (attack round 3, G5: KH-NP read VN-MPS's passport number and
informant note on TH-DSI's node once TH-DSI shared it with KH-NP)."""

import json

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security import Principal
from graphapi.security.share import share, unshare

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_SUP = Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))


@pytest.fixture
async def merged_node(backend_empty_store):
    """TH-DSI's AMBER person shared with VN-MPS, into which VN-MPS merged values shared with TH-DSI only."""
    store = backend_empty_store
    await write_records(store, [NodeRecord("Person", "per-beta", {"name": "Beta Two", "nationality": ["TH"]})],
                        provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS",)), source="th-feed")
    await write_records(store, [NodeRecord("Person", "per-beta", {
        "name": "Beta Deux", "passportNumber": ["VN1234567"], "notes": "VN informant"})],
        provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("TH-DSI",)), source="vn-feed")
    (node,) = (await get_nodes(store, VN, ["per-beta"])).values()
    assert node.properties["passportNumber"] == ["VN1234567"]  # merged: the audiences were equal
    return store


async def test_sharing_with_a_third_agency_drops_values_another_agency_shared_with_the_owner_alone(merged_node):
    await share(merged_node, TH_SUP, ["per-beta"], ["KH-NP"])
    (node,) = (await get_nodes(merged_node, KH, ["per-beta"])).values()
    assert (node.properties.get("passportNumber"), node.properties.get("notes")) == (None, None)
    assert (node.properties["name"], node.properties["nationality"]) == ("Beta Two", ["TH"])


async def test_opening_the_node_to_green_drops_them_and_their_name_conflict_for_everyone(merged_node):
    await share(merged_node, TH_SUP, ["per-beta"], ["KH-NP"], tlp="GREEN")
    (node,) = (await get_nodes(merged_node, VN, ["per-beta"])).values()
    assert (node.properties["tlp"], node.properties.get("passportNumber")) == ("GREEN", None)
    assert node.properties.get("conflicts") is None  # VN-MPS's other name is gone with its values


async def test_opening_the_node_further_drops_the_source_of_values_shared_with_the_owner_alone(merged_node):
    # that VN-MPS holds data on the person was for TH-DSI alone: KH-NP learns it nowhere
    await share(merged_node, TH_SUP, ["per-beta"], ["KH-NP"], tlp="GREEN")
    (node,) = (await get_nodes(merged_node, KH, ["per-beta"])).values()
    assert (node.properties["sources"], node.properties.get("conflicts")) == (["th-feed"], None)
    assert "vn-feed" not in json.dumps(node.properties)


async def test_unsharing_brings_them_back_for_the_audience_they_were_shared_with(merged_node):
    await share(merged_node, TH_SUP, ["per-beta"], ["KH-NP"])
    await unshare(merged_node, TH_SUP, ["per-beta"], ["KH-NP"])
    (node,) = (await get_nodes(merged_node, VN, ["per-beta"])).values()
    assert (node.properties["passportNumber"], node.properties["notes"]) == (["VN1234567"], "VN informant")
    assert node.properties["sources"] == ["th-feed", "vn-feed"]
