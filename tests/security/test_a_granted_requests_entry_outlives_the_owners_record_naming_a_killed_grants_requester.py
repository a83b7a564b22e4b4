"""The owner's record naming a killed grant's requester removes that grant's share entry
'<requester>|AMBER' (grant_entries.drop_entries, attack round 43b, 2). That string is also the entry of
a GRANTED request of the same agency for the same item: TH-DSI files two requests for VN-MPS's RED
phone, the grant of one is killed after its share, the other granted. VN-MPS's record AMBER [TH-DSI]
removed the granted request's entry too; its routine RED MOD then closed the phone TH-DSI's granted
request still lists, with no unshare recorded (attack round 44b, 3). Like the take-back
(access_decide._Decision._takeable), the entry's removal leaves the ids another granted request of that
agency lists (access_notes.places_named)."""

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP, vn_says_phone

from graphapi.investigate.entities import get_nodes
from graphapi.security.access import file_request
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _phone(store):
    [node] = await store.read("ingest/existing_nodes", {"ids": [PHONE]})
    props = node["props"]
    return props["tlp"], props.get("sharedWith") or [], PHONE in await get_nodes(store, TH, [PHONE])


@pytest.mark.parametrize("killed_first", [False, True], ids=["no-killed-grant", "a-killed-grant-too"])
async def test_a_granted_phone_stays_the_requesters_after_the_owners_red_mod(
        empty_store, tmp_path, monkeypatch, access_file, killed_first):
    store = empty_store
    await grants.write_vn_phone(store, "RED")
    requests, killed = await grants.th_asks_for_phone(store, tmp_path)
    second = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142, again", ids=[PHONE])
    if killed_first:
        await grants.cut_off_after_share(store, requests, killed, monkeypatch, ids=None, take_back_dies=True)
    assert (await decide(store, requests, VN_SUP, second.id, grant=True)).status == "granted"
    await vn_says_phone(store, "AMBER", ("TH-DSI",))  # the owner's record naming the requester
    if killed_first:
        assert (await decide(store, requests, VN_SUP, killed, grant=False)).status == "refused"
    await vn_says_phone(store, "RED", op="replace")  # the owner's routine narrowing MOD
    assert requests.get(second.id).shared == [PHONE]
    assert await _phone(store) == ("AMBER", ["TH-DSI"], True)  # was ('RED', [], False) with the killed grant
