"""A grant of a tie's near end takes over no level a killed grant noted for a tie its share does not give
(attack round 46b, 3). VN-MPS's tie per-a -- per-b is RED [LA-POL] (closed to LA-POL); TH-DSI's K (per-b) is
killed after its share relaxed the tie to AMBER (toward per-a, which TH-DSI sees by a plain share); VN-MPS grants
TH-DSI's G (per-a) and refuses K: the tie is RED again, closed to LA-POL, which asked for nothing.
Control: G refused too."""

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP

from graphapi.ingest import EdgeRecord, NodeRecord, Provenance, write_records
from graphapi.security import Principal
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

LA = Principal("analyst-la", agency="LA-POL", roles=frozenset({"analyst"}))


async def _vn(store, records, tlp, shared_with=()):
    await write_records(store, records, provenance=Provenance(owner="VN-MPS", tlp=tlp, shared_with=shared_with),
                        source="graphql:VN-MPS")


@pytest.mark.parametrize("g_decision", ["refused", "granted"])
async def test_a_refused_grants_relaxed_tie_is_red_again_for_every_agency(
        empty_store, tmp_path, monkeypatch, access_file, g_decision):
    store = empty_store
    await _vn(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")], "AMBER", ("LA-POL",))
    await _vn(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"})], "RED",
              ("LA-POL",))
    assert await grants.ties_seen_by(store, LA) == []  # RED: LA-POL is listed, but RED is the owner's alone
    requests = AccessRequestStore(tmp_path / "access.json")
    k = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-b", ids=["per-b"])
    g = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-a", ids=["per-a"])
    await share(store, VN_SUP, ["per-a"], ["TH-DSI"], tlp="AMBER")  # TH-DSI sees per-a, not per-b
    await grants.cut_off_after_share(store, requests, k.id, monkeypatch, ids=None, take_back_dies=True)
    assert [t["id"] for t in requests.get(k.id).granting_ties] == [TIE]
    assert (await decide(store, requests, VN_SUP, g.id, grant=g_decision == "granted")).status == g_decision
    assert (await decide(store, requests, VN_SUP, k.id, grant=False)).status == "refused"
    # granted: before 46b, 3 the tie stayed AMBER [LA-POL, TH-DSI] (G held it and took K's noted RED over)
    assert await grants.ties_seen_by(store, LA) == []
