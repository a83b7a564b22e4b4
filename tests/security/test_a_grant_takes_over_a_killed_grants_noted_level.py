"""A grant of VN-MPS's RED phone for TH-DSI is killed after its share (the phone AMBER) and its
take-back fails: the RED stays noted on TH-DSI's request. KH-NPA then asks for the phone (hidden from
it) and VN-MPS grants it: that grant opens the phone at AMBER itself, so it notes the RED the killed
grant relaxed and takes it over. The refusal of TH-DSI's request put the RED back over KH-NPA's
grant; and had KH-NPA's grant been killed and refused too, nothing noted the RED any more, the phone
staying AMBER (round 42a, 1: every way a noted level is dropped or put back wrongly)."""

import grant_setups as grants
import pytest
from grant_setups import KH, PHONE, TH, VN_SUP

from graphapi.investigate.entities import get_nodes
from graphapi.security.access import file_request
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _killed_grant_then_kh_asks(store, tmp_path, monkeypatch):
    await grants.write_vn_phone(store, "RED")
    requests, th_request = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, th_request, monkeypatch, ids=None, take_back_dies=True)
    kh_request = (await file_request(store, requests, KH, "VN-MPS", "case NPA-7", ids=[PHONE])).id
    return requests, th_request, kh_request


async def _phone(store) -> tuple[str, list[str], bool, bool]:
    """The phone's level and agencies, and whether TH-DSI and KH-NPA read it."""
    [phone] = await store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    return (phone["tlp"], phone["sharedWith"], PHONE in await get_nodes(store, TH, [PHONE]),
            PHONE in await get_nodes(store, KH, [PHONE]))


async def test_a_refusal_after_a_killed_grant_leaves_the_phone_open_to_an_agency_granted_it_since(
        empty_store, tmp_path, monkeypatch):
    store = empty_store
    requests, th_request, kh_request = await _killed_grant_then_kh_asks(store, tmp_path, monkeypatch)
    assert (await decide(store, requests, VN_SUP, kh_request, grant=True)).status == "granted"
    assert requests.get(th_request).granting_levels == []  # taken over by KH-NPA's grant, which stood
    assert (await decide(store, requests, VN_SUP, th_request, grant=False)).status == "refused"
    # was ('RED', ['KH-NPA'], False, False): the refusal closed the phone VN-MPS granted KH-NPA
    assert await _phone(store) == ("AMBER", ["KH-NPA"], False, True)


@pytest.mark.parametrize("first", ["TH-DSI", "KH-NPA"])
async def test_two_killed_grants_of_a_red_phone_leave_it_red_once_both_are_refused(
        empty_store, tmp_path, monkeypatch, first):
    store = empty_store
    requests, th_request, kh_request = await _killed_grant_then_kh_asks(store, tmp_path, monkeypatch)
    await grants.cut_off_after_share(store, requests, kh_request, monkeypatch, ids=None, take_back_dies=True)
    assert requests.get(kh_request).granting_levels == [{"id": PHONE, "tlp": "RED"}]
    order = [th_request, kh_request] if first == "TH-DSI" else [kh_request, th_request]
    for request_id in order:
        assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _phone(store) == ("RED", [], False, False)
