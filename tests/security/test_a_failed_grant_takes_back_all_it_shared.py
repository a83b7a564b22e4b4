"""A grant that fails after its share takes back everything that share gave the requester, not only
the ids it did not see: attack round 39a, 4. TH-DSI asks VN-MPS for a hidden phone; VN-MPS grants
the phone and two CLEAR people TH-DSI sees. The share also shared VN-MPS's AMBER tie between them;
taken back were the phone alone, so after the owner refused TH-DSI still read the tie. What was
shared with TH-DSI before the grant stays shared."""

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, TIE, VN_SUP

from graphapi.security.access import AccessRequestStore
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _people_their_tie_and_a_phone(store, tmp_path) -> tuple[AccessRequestStore, str]:
    """Two CLEAR people of VN-MPS, its AMBER tie between them, its AMBER phone; TH-DSI's request."""
    await store.clear()
    await grants.write_vn_people_tie_phone(store, tie_tlp="AMBER", phone_tlp="AMBER")
    return await grants.th_asks_for_phone(store, tmp_path)


async def test_a_refused_request_leaves_nothing_a_failed_grant_shared(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _people_their_tie_and_a_phone(empty_store, tmp_path)
    assert await grants.ties_seen_by(empty_store, TH) == []  # TH-DSI sees both people, not VN-MPS's tie
    await grants.cut_off_after_share(empty_store, requests, request_id, monkeypatch)
    after = requests.get(request_id)
    assert (after.status, after.granting, after.granting_nodes, after.granting_ties) == ("pending", [], [], [])
    assert await grants.ties_seen_by(empty_store, TH) == []
    assert (await decide(empty_store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(empty_store, TH) == []


async def test_a_tie_shared_before_a_failed_grant_stays_shared(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _people_their_tie_and_a_phone(empty_store, tmp_path)
    await share(empty_store, VN_SUP, ["per-a", "per-b"], ["TH-DSI"], tlp="AMBER")  # before the grant
    assert await grants.ties_seen_by(empty_store, TH) == [TIE]
    await grants.cut_off_after_share(empty_store, requests, request_id, monkeypatch)
    assert await grants.ties_seen_by(empty_store, TH) == [TIE]


async def test_a_take_back_cut_short_is_finished_by_the_refusal(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _people_their_tie_and_a_phone(empty_store, tmp_path)
    await grants.cut_off_after_share(empty_store, requests, request_id, monkeypatch, take_back_dies=True)
    noted = requests.get(request_id)
    assert (noted.status, noted.granting, [t["id"] for t in noted.granting_ties]) == ("pending", [PHONE], [TIE])
    assert await grants.ties_seen_by(empty_store, TH) == [TIE]  # still shared: the take-back did not run
    assert (await decide(empty_store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(empty_store, TH) == []
