"""A share (and so a granted access request) shares the owner's relationships from the shared
entities to the nodes the receiving agency already sees, never to nodes it cannot see (new-user
trial 6: the granted person showed no crossings, the crossings to the public checkpoint stayed
hidden). Graph: VN-MPS's RED person crossed the public (CLEAR) Mae Sot checkpoint; it uses a
RED phone of VN-MPS's, knows a MY-PDRM person shared with VN-MPS alone, a MY-PDRM person shared
with TH-DSI alone (hidden from VN-MPS) and a person VN-MPS shared with TH-DSI before; every
relationship is VN-MPS's and RED."""

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.share import share, unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
MY = Principal("analyst-my", agency="MY-PDRM", roles=frozenset({"analyst"}))
PERSON, CHECKPOINT, PHONE = "per-vn-subject", "bcp-th-mm-mae-sot", "phone:+84900000777"
MY_CONTACT, MY_FOR_TH, KNOWN = "per-my-contact", "per-my-for-th", "per-vn-known"
_ids = load_model().relationship_id
CROSSED = _ids("CROSSED", PERSON, CHECKPOINT, "bx-9")
USES_PHONE = _ids("USES_PHONE", PERSON, PHONE)
TO_MY = _ids("ASSOCIATE_OF", PERSON, MY_CONTACT)
TO_MY_FOR_TH = _ids("ASSOCIATE_OF", PERSON, MY_FOR_TH)
TO_KNOWN = _ids("ASSOCIATE_OF", KNOWN, PERSON)  # into the person: either direction counts
VN_RED = Provenance(owner="VN-MPS", tlp="RED")


@pytest.fixture
async def graph(empty_store):
    store = empty_store
    await write_records(store, [NodeRecord("BorderCheckpoint", CHECKPOINT, {"name": "Mae Sot - Myawaddy"})],
                        provenance=Provenance(owner="lintas", tlp="CLEAR"), source="gazetteer")
    await write_records(store, [NodeRecord("Person", MY_CONTACT, {"name": "Contact Kedua"})],
                        provenance=Provenance(owner="MY-PDRM", tlp="AMBER", shared_with=("VN-MPS",)), source="my-feed")
    await write_records(store, [NodeRecord("Person", MY_FOR_TH, {"name": "Untuk Thailand"})],
                        provenance=Provenance(owner="MY-PDRM", tlp="AMBER", shared_with=("TH-DSI",)), source="my-feed")
    await write_records(store, [NodeRecord("Person", KNOWN, {"name": "Known Before"})],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("TH-DSI",)), source="vn-feed")
    await write_records(store, [
        NodeRecord("Person", PERSON, {"name": "Tran Van Subject"}),
        NodeRecord("Phone", PHONE, {"number": "+84900000777"}),
        EdgeRecord("CROSSED", CROSSED, PERSON, CHECKPOINT, {"at": "2024-10-01T10:12:00Z", "direction": "exit"}),
        EdgeRecord("USES_PHONE", USES_PHONE, PERSON, PHONE, {}),
        EdgeRecord("ASSOCIATE_OF", TO_MY, PERSON, MY_CONTACT, {}),
        EdgeRecord("ASSOCIATE_OF", TO_MY_FOR_TH, PERSON, MY_FOR_TH, {}),
        EdgeRecord("ASSOCIATE_OF", TO_KNOWN, KNOWN, PERSON, {}),
    ], provenance=VN_RED, source="vn-feed")
    return store


async def _seen(store, principal, node_id: str) -> set[str]:
    [page] = await relationships_of(store, principal, [node_id])
    return {e.relationship.id for e in page.edges}


async def _levels(store, node_id: str) -> dict[str, tuple[str, list[str]]]:
    """Each relationship at the node as stored (the owner does not read one to a node it cannot
    see): (tlp, sharedWith)."""
    (row,) = await store.read("admin/snapshot")
    return {r["props"]["id"]: (r["props"]["tlp"], sorted(r["props"].get("sharedWith") or []))
            for r in row["relationships"] if node_id in (r["from"], r["to"])}


async def test_a_granted_person_shows_the_requester_its_crossings_to_a_public_checkpoint(graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(graph, requests, TH, "VN-MPS", "case 0142: who crossed with the victim", ids=[PERSON])
    await decide(graph, requests, VN_SUP, request.id, grant=True)
    assert await _seen(graph, TH, PERSON) == {CROSSED, TO_KNOWN}
    assert await _seen(graph, TH, CHECKPOINT) == {CROSSED}
    [page] = await relationships_of(graph, TH, [PERSON], types=["CROSSED"])
    assert page.edges[0].relationship.properties["direction"] == "exit"


async def test_a_grant_leaves_links_to_nodes_the_requester_cannot_see_unshared(graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(graph, requests, TH, "VN-MPS", "case 0142", ids=[PERSON])
    await decide(graph, requests, VN_SUP, request.id, grant=True)
    levels = await _levels(graph, PERSON)
    assert levels[CROSSED] == ("AMBER", ["TH-DSI"]) and levels[TO_KNOWN] == ("AMBER", ["TH-DSI"])
    assert levels[USES_PHONE] == ("RED", []) and levels[TO_MY] == ("RED", [])


async def test_a_link_to_a_node_the_owner_cannot_see_is_not_shared_though_the_requester_sees_it(graph):
    # whether MY-PDRM shared its person with TH-DSI is not VN-MPS's to learn from its share result
    result = await share(graph, VN, [PERSON], ["TH-DSI"], tlp="AMBER")
    assert TO_MY_FOR_TH not in result.relationships
    assert (await _levels(graph, PERSON))[TO_MY_FOR_TH] == ("RED", [])


async def test_the_phone_shared_later_alone_does_not_show_its_link_to_the_person(graph):
    await share(graph, VN, [PERSON], ["TH-DSI"], tlp="AMBER")
    await share(graph, VN, [PHONE], ["TH-DSI"], tlp="AMBER", include_relationships=False)
    assert USES_PHONE not in await _seen(graph, TH, PERSON)


async def test_another_agency_sees_nothing_of_the_granted_person(graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(graph, requests, TH, "VN-MPS", "case 0142", ids=[PERSON])
    await decide(graph, requests, VN_SUP, request.id, grant=True)
    assert await _seen(graph, MY, PERSON) == set()
    assert await _seen(graph, MY, CHECKPOINT) == set()
    assert await _seen(graph, MY, MY_CONTACT) == set()


async def test_share_answers_the_relationships_to_seen_nodes_it_shared(graph):
    result = await share(graph, VN, [PERSON], ["TH-DSI"], tlp="AMBER")
    assert result.nodes == [PERSON]
    assert result.relationships == sorted([CROSSED, TO_KNOWN]) and result.ineffective == []


async def test_share_without_relationships_shares_no_crossing(graph):
    result = await share(graph, VN, [PERSON], ["TH-DSI"], tlp="AMBER", include_relationships=False)
    assert result.relationships == []
    assert await _seen(graph, TH, PERSON) == set()


async def test_share_with_two_agencies_gives_each_only_links_to_what_it_sees(graph):
    await share(graph, VN, [PERSON], ["MY-PDRM", "TH-DSI"], tlp="AMBER")
    levels = await _levels(graph, PERSON)
    assert levels[CROSSED] == ("AMBER", ["MY-PDRM", "TH-DSI"])
    assert levels[TO_KNOWN] == ("AMBER", ["TH-DSI"])  # shared with TH-DSI before, hidden from MY-PDRM
    assert levels[TO_MY] == ("AMBER", ["MY-PDRM"])  # MY-PDRM's own person, hidden from TH-DSI
    assert await _seen(graph, MY, PERSON) == {CROSSED, TO_MY}
    assert await _seen(graph, TH, PERSON) == {CROSSED, TO_KNOWN}


async def test_a_green_share_opens_links_to_seen_nodes_only_to_amber(graph):
    await share(graph, VN, [PERSON], ["TH-DSI"], tlp="GREEN")
    levels = await _levels(graph, PERSON)
    assert levels[CROSSED] == ("AMBER", ["TH-DSI"])
    assert await _seen(graph, MY, PERSON) == set()  # the person is GREEN, its crossing was not for MY-PDRM


async def test_unshare_withdraws_the_links_to_seen_nodes_too(graph):
    await share(graph, VN, [PERSON], ["TH-DSI"], tlp="AMBER")
    result = await unshare(graph, VN, [PERSON], ["TH-DSI"])
    assert result.relationships == sorted([CROSSED, TO_KNOWN])  # those shared with TH-DSI
    levels = await _levels(graph, PERSON)
    assert levels[CROSSED] == ("AMBER", []) and levels[TO_KNOWN] == ("AMBER", [])
    assert await _seen(graph, TH, CHECKPOINT) == set()


async def test_a_refused_id_opens_none_of_its_relationships(graph):
    # attack round 20, B4: sharing another agency's node (refused) opened the sharer's link from it
    # to a node the others see
    contact_crossed = _ids("CROSSED", MY_CONTACT, CHECKPOINT, "bx-my")
    await write_records(graph, [EdgeRecord("CROSSED", contact_crossed, MY_CONTACT, CHECKPOINT,
                                           {"at": "2024-10-02T10:00:00Z", "direction": "entry"})],
                        provenance=VN_RED, source="vn-feed")
    result = await share(graph, VN_SUP, [MY_CONTACT], ["TH-DSI"], tlp="AMBER")
    assert (result.nodes, result.relationships, result.refused) == ([], [], [MY_CONTACT])
    assert (await _levels(graph, MY_CONTACT))[contact_crossed] == ("RED", [])
    assert contact_crossed not in await _seen(graph, TH, CHECKPOINT)


async def test_unsharing_ones_own_public_node_leaves_a_shared_persons_link_to_it(graph):
    # attack round 21, C5: unsharing VN's CLEAR office (shared with nobody: everyone sees it) took
    # back the shared person's link to it
    office = "org-vn-office"
    to_office = _ids("ASSOCIATE_OF", PERSON, office)
    await write_records(graph, [NodeRecord("Organization", office, {"name": "VN liaison office"})],
                        provenance=Provenance(owner="VN-MPS", tlp="CLEAR"), source="vn-feed")
    await write_records(graph, [EdgeRecord("ASSOCIATE_OF", to_office, PERSON, office, {})], provenance=VN_RED,
                        source="vn-feed")
    await share(graph, VN_SUP, [PERSON], ["TH-DSI"], tlp="AMBER")
    assert to_office in await _seen(graph, TH, PERSON)
    result = await unshare(graph, VN_SUP, [office], ["TH-DSI"])
    assert (result.nodes, result.relationships) == ([office], [])
    assert to_office in await _seen(graph, TH, PERSON)
