"""A grant holds only ties its own share gives: not one the requester reads only through another, killed grant's
share (attack round 46b, 1). TH-DSI sees per-a (plain share); its request K for per-b is granted and killed after
the share, which opened the RED tie per-a -- per-b. VN-MPS grants TH-DSI's G for per-a (seen already): the tie's
far end per-b is seen only through K, so G does not hold it; the owner's record AMBER [TH-DSI] drops K's entry,
K is refused, and the owner's RED replace of the tie closes it to TH-DSI. Control: G refused."""

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP, vn_tie, write_vn

from graphapi.ingest import NodeRecord
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


@pytest.mark.parametrize("g_decision", ["refused", "granted"])
async def test_the_owners_red_replace_closes_a_tie_only_a_refused_grant_opened(
        empty_store, tmp_path, monkeypatch, access_file, g_decision):
    store = empty_store
    await grants.write_vn_red_people_and_tie(store)
    requests, k, g = await grants.per_b_grant_killed_beside_per_a_shared(store, tmp_path, monkeypatch)
    assert [t["id"] for t in requests.get(k.id).granting_ties] == [TIE]
    decided = await decide(store, requests, VN_SUP, g.id, grant=g_decision == "granted")
    assert decided.status == g_decision
    # the owner's own records of per-b and the tie name TH-DSI: they speak for the audience from now on
    await write_vn(store, [NodeRecord("Person", "per-b", {"name": "per-b"}), vn_tie()], "AMBER", ("TH-DSI",))
    assert (await decide(store, requests, VN_SUP, k.id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(store, TH) == [TIE]
    await write_vn(store, [vn_tie("replace")], "RED")  # the owner narrows the tie: RED, shared with nobody
    # granted: G held the tie (shared_ties [TIE]) before 46b, 1, and K's entry widened the replace back
    assert await grants.ties_seen_by(store, TH) == []
