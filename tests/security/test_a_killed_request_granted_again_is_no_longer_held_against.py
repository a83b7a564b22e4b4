"""A granted request holds a tie (or id) against a killed grant's take-back as noted at its grant; the killed
request granted again notes anew, so the holds against it go (attack round 47, 1, as for ties in 46b, 2). TH-DSI's
K0 (per-a, per-b) is killed after its share; G (per-a, per-b) is granted (the tie held against K0); VN-MPS deletes
the tie and asserts it again RED; K0 is granted again and killed after its share, which opened the new tie;
VN-MPS records the tie AMBER [TH-DSI], refuses K0 and replaces the tie RED: closed to TH-DSI."""

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP, vn_tie, write_vn

from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def test_the_owners_red_replace_closes_a_re_created_tie_a_killed_grant_killed_again_opened(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    await grants.write_vn_red_people_and_tie(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    k0 = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both first", ids=["per-a", "per-b"])
    g = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both", ids=["per-a", "per-b"])
    await grants.cut_off_after_share(store, requests, k0.id, monkeypatch, ids=None, take_back_dies=True)
    granted = await decide(store, requests, VN_SUP, g.id, grant=True)
    assert [(t["id"], t["against"]) for t in granted.shared_ties] == [(TIE, [k0.id])]
    await write_vn(store, [vn_tie("delete")], "RED")
    await write_vn(store, [vn_tie()], "RED")
    assert await grants.ties_seen_by(store, TH) == []
    await grants.cut_off_after_share(store, requests, k0.id, monkeypatch, ids=None, take_back_dies=True)
    assert [t["id"] for t in requests.get(k0.id).granting_ties] == [TIE]  # K0's second share opened it
    assert [(t["id"], t["against"]) for t in requests.get(g.id).shared_ties] == [(TIE, [])]
    await write_vn(store, [vn_tie()], "AMBER", ("TH-DSI",))
    assert (await decide(store, requests, VN_SUP, k0.id, grant=False)).status == "refused"
    await write_vn(store, [vn_tie("replace")], "RED")
    assert await grants.ties_seen_by(store, TH) == []
