"""A share naming no level opens nothing beyond what the owner's record says. Made while a killed
grant held the item AMBER, it was kept as '<agency>|AMBER' (the level the grant gave the item);
the refusal put RED back but left the entry, and the owner's next MOD of its unchanged RED record
was widened by it: the phone reopened to an agency the owner never opened it to (attack round
43b, 1). The take-back that puts a level back leaves such entries no level of their own."""

import grant_setups as grants
import pytest
from grant_setups import KH, PHONE, TIE, VN_SUP

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security.access import note_shared
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _phone(store) -> tuple[str, list[str], bool]:
    [node] = await store.read("ingest/existing_nodes", {"ids": [PHONE]})
    return node["props"]["tlp"], node["props"].get("shares"), PHONE in await get_nodes(store, KH, [PHONE])


async def _killed_grant_then_levelless_share(store, tmp_path, monkeypatch) -> tuple:
    await grants.write_vn_phone(store, "RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    await share(store, VN_SUP, [PHONE], ["KH-NPA"])  # no level named: the phone looks AMBER
    return requests, request_id


async def test_the_refusal_leaves_a_levelless_share_no_level_of_its_own(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _killed_grant_then_levelless_share(empty_store, tmp_path, monkeypatch)
    assert (await decide(empty_store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _phone(empty_store) == ("RED", ["KH-NPA|"], False)


async def test_the_owners_reload_after_the_refusal_keeps_the_phone_closed_to_the_agency(
        empty_store, tmp_path, monkeypatch):
    requests, request_id = await _killed_grant_then_levelless_share(empty_store, tmp_path, monkeypatch)
    await decide(empty_store, requests, VN_SUP, request_id, grant=False)
    await write_records(empty_store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"}, op="replace")],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="graphql:VN-MPS")
    assert await _phone(empty_store) == ("RED", ["KH-NPA|"], False)


async def test_a_share_at_amber_made_under_the_grant_outlives_the_refusal(empty_store, tmp_path, monkeypatch):
    """The owner named AMBER: the share drops the noted level, and the refusal puts nothing back."""
    await grants.write_vn_phone(empty_store, "RED")
    requests, request_id = await grants.th_asks_for_phone(empty_store, tmp_path)
    await grants.cut_off_after_share(empty_store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    await share(empty_store, VN_SUP, [PHONE], ["KH-NPA"], tlp="AMBER",
                noted=lambda agencies, nodes, rels: note_shared(requests, "VN-MPS", agencies, "AMBER", nodes, rels))
    await decide(empty_store, requests, VN_SUP, request_id, grant=False)
    assert await _phone(empty_store) == ("AMBER", ["KH-NPA|AMBER"], True)


async def test_the_refusal_leaves_a_levelless_share_of_a_tie_no_level_of_its_own(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await grants.write_vn_people_tie_phone(store, tie_tlp="RED", phone_tlp="RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, take_back_dies=True)
    await share(store, VN_SUP, ["per-a", "per-b"], ["KH-NPA"])  # the tie goes along, AMBER by the grant
    await decide(store, requests, VN_SUP, request_id, grant=False)
    [tie] = await store.read("ingest/existing_relationships", {"ids": [TIE]}, type="ASSOCIATE_OF")
    assert (tie["props"]["tlp"], tie["props"].get("shares"), await grants.ties_seen_by(store, KH)) == (
        "RED", ["KH-NPA|"], [])
