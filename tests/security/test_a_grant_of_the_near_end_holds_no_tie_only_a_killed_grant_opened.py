"""A grant holds only ties its own share gives: not one the requester reads only through another, killed grant's
share (attack round 46b, 1). TH-DSI sees per-a (plain share); its request K for per-b is granted and killed after
the share, which opened the RED tie per-a -- per-b. VN-MPS grants TH-DSI's G for per-a (seen already): the tie's
far end per-b is seen only through K, so G does not hold it; the owner's record AMBER [TH-DSI] drops K's entry,
K is refused, and the owner's RED replace of the tie closes it to TH-DSI. Control: G refused."""

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP

from graphapi.ingest import EdgeRecord, NodeRecord, Provenance, write_records
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _vn(store, records, tlp, shared_with=()):
    await write_records(store, records, provenance=Provenance(owner="VN-MPS", tlp=tlp, shared_with=shared_with),
                        source="graphql:VN-MPS")


def _tie(op="merge"):
    return EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"}, op=op)


@pytest.mark.parametrize("g_decision", ["refused", "granted"])
async def test_the_owners_red_replace_closes_a_tie_only_a_refused_grant_opened(
        empty_store, tmp_path, monkeypatch, access_file, g_decision):
    store = empty_store
    await _vn(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")], "RED")
    await _vn(store, [_tie()], "RED")
    requests = AccessRequestStore(tmp_path / "access.json")
    k = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-b", ids=["per-b"])
    g = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-a", ids=["per-a"])
    await share(store, VN_SUP, ["per-a"], ["TH-DSI"], tlp="AMBER")  # TH-DSI sees per-a, not per-b
    await grants.cut_off_after_share(store, requests, k.id, monkeypatch, ids=None, take_back_dies=True)
    assert [t["id"] for t in requests.get(k.id).granting_ties] == [TIE]
    decided = await decide(store, requests, VN_SUP, g.id, grant=g_decision == "granted")
    assert decided.status == g_decision
    # the owner's own records of per-b and the tie name TH-DSI: they speak for the audience from now on
    await _vn(store, [NodeRecord("Person", "per-b", {"name": "per-b"}), _tie()], "AMBER", ("TH-DSI",))
    assert (await decide(store, requests, VN_SUP, k.id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(store, TH) == [TIE]
    await _vn(store, [_tie("replace")], "RED")  # the owner narrows the tie: RED, shared with nobody
    # granted: G held the tie (shared_ties [TIE]) before 46b, 1, and K's entry widened the replace back
    assert await grants.ties_seen_by(store, TH) == []
