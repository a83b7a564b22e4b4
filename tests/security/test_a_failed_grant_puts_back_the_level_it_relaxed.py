"""A failed grant's take-back puts back the level its share relaxed (RED/AMBER+STRICT -> AMBER) and
withdraws only what the share gave (attack round 41a, 1): an item shared earlier at RED (an
ineffective share: the owner kept it closed) was AMBER after the failed grant, read by every agency on
its sharedWith, the refused requester or a third agency; a granted id hidden only by being RED lost
the requester's earlier place on its sharedWith."""

import grant_setups as grants
import pytest
from grant_setups import KH, PHONE, TH, TIE, VN_SUP

from graphapi.security.access import AccessRequestStore
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _setup(store, tmp_path, red_tie_shared_with: str, phone_tlp: str = "AMBER") -> tuple[AccessRequestStore, str]:
    """Two CLEAR people of VN-MPS, a RED tie between them that VN-MPS shared (at its level, RED:
    ineffective) with ``red_tie_shared_with``; an AMBER phone TH-DSI asks for."""
    await store.clear()
    await grants.write_vn_people_tie_phone(store, tie_tlp="RED", phone_tlp=phone_tlp)
    done = await share(store, VN_SUP, ["per-a", "per-b"], [red_tie_shared_with])  # tlp None: stays RED
    assert done.ineffective == [TIE]
    if phone_tlp == "RED":
        assert (await share(store, VN_SUP, [PHONE], [red_tie_shared_with])).ineffective == [PHONE]
    return await grants.th_asks_for_phone(store, tmp_path)


async def _grant_fails_after_its_share(store, requests, request_id, monkeypatch) -> None:
    """The grant cut off after its share, then the owner refuses."""
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch)
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"


async def test_a_refused_requester_does_not_read_a_red_tie_a_failed_grant_relaxed(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _setup(empty_store, tmp_path, "TH-DSI")
    assert await grants.ties_seen_by(empty_store, TH) == []  # RED: closed to TH-DSI though on its sharedWith
    await _grant_fails_after_its_share(empty_store, requests, request_id, monkeypatch)
    assert await grants.ties_seen_by(empty_store, TH) == []  # was [TIE]: AMBER, TH-DSI still on sharedWith


async def test_a_third_agency_does_not_read_a_red_tie_after_a_failed_grant(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _setup(empty_store, tmp_path, "KH-NPA")
    assert await grants.ties_seen_by(empty_store, KH) == []
    await _grant_fails_after_its_share(empty_store, requests, request_id, monkeypatch)
    assert await grants.ties_seen_by(empty_store, KH) == []  # was [TIE]


async def test_a_failed_grant_of_a_red_id_shared_before_keeps_it_red_and_shared(empty_store, tmp_path, monkeypatch):
    """The phone hidden from TH-DSI only by being RED: the take-back puts RED back and leaves TH-DSI
    on its sharedWith, where VN-MPS's earlier share put it."""
    requests, request_id = await _setup(empty_store, tmp_path, "TH-DSI", phone_tlp="RED")
    await _grant_fails_after_its_share(empty_store, requests, request_id, monkeypatch)
    [phone] = await empty_store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    assert (phone["tlp"], phone["sharedWith"]) == ("RED", ["TH-DSI"])
    assert await grants.ties_seen_by(empty_store, TH) == []


async def test_a_granted_request_keeps_the_level_its_share_opened(empty_store, tmp_path):
    requests, request_id = await _setup(empty_store, tmp_path, "KH-NPA")
    granted = await decide(empty_store, requests, VN_SUP, request_id, grant=True, ids=[PHONE, "per-a", "per-b"])
    assert granted.status == "granted"
    assert await grants.ties_seen_by(empty_store, TH) == [TIE]
    assert await grants.ties_seen_by(empty_store, KH) == [TIE]  # AMBER now: the owner granted it
