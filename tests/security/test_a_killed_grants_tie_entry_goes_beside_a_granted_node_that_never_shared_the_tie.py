"""A killed grant's share entry on a relationship goes once the owner's record names its requester, even
where the relationship touches an id another granted request of that agency lists: that granted request
never shared the relationship, so the entry is the killed grant's alone (attack round 45b, 1). TH-DSI's
granted request G lists per-a (RED); the grant of its request K for per-b (RED) is killed after its share,
which opened the RED tie per-a -- per-b to TH-DSI (toward per-a, which TH-DSI sees). VN-MPS records per-b and
the tie AMBER [TH-DSI], refuses K, then narrows the tie to RED with a replace: K's entry 'TH-DSI|AMBER' widened
the record back to AMBER [TH-DSI] (access_notes.places_named kept every tie touching an id G lists), and
TH-DSI kept reading a tie its owner said RED. A plain share of per-a closed it already."""

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP, vn_tie, write_vn

from graphapi.ingest import NodeRecord
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


@pytest.mark.parametrize("per_a_by", ["share", "granted-request"])
async def test_the_owners_red_replace_of_the_tie_closes_it_to_the_refused_requester(
        empty_store, tmp_path, monkeypatch, access_file, per_a_by):
    store = empty_store
    await grants.write_vn_red_people_and_tie(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    if per_a_by == "share":
        await share(store, VN_SUP, ["per-a"], ["TH-DSI"], tlp="AMBER")
    else:
        granted = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-a", ids=["per-a"])
        assert (await decide(store, requests, VN_SUP, granted.id, grant=True)).shared == ["per-a"]
    assert await grants.ties_seen_by(store, TH) == []  # per-b is hidden: the tie too
    killed = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-b", ids=["per-b"])
    await grants.cut_off_after_share(store, requests, killed.id, monkeypatch, ids=None, take_back_dies=True)
    assert [t["id"] for t in requests.get(killed.id).granting_ties] == [TIE]
    await write_vn(store, [NodeRecord("Person", "per-b", {"name": "per-b"}), vn_tie()], "AMBER", ("TH-DSI",))
    assert (await decide(store, requests, VN_SUP, killed.id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(store, TH) == [TIE]  # the owner's record outlives the refusal
    await write_vn(store, [vn_tie("replace")], "RED")  # the owner narrows the tie: RED, shared with nobody
    assert await grants.ties_seen_by(store, TH) == []  # was [TIE] beside the granted request
