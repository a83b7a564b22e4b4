"""A grant of a tie's near end takes over no level a killed grant noted for a tie its share does not give
(attack round 46b, 3). VN-MPS's tie per-a -- per-b is RED [LA-POL] (closed to LA-POL); TH-DSI's K (per-b) is
killed after its share relaxed the tie to AMBER (toward per-a, which TH-DSI sees by a plain share); VN-MPS grants
TH-DSI's G (per-a) and refuses K: the tie is RED again, closed to LA-POL, which asked for nothing.
Control: G refused too."""

import grant_setups as grants
import pytest
from grant_setups import TIE, VN_SUP, vn_tie, write_vn

from graphapi.ingest import NodeRecord
from graphapi.security import Principal
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

LA = Principal("analyst-la", agency="LA-POL", roles=frozenset({"analyst"}))


@pytest.mark.parametrize("g_decision", ["refused", "granted"])
async def test_a_refused_grants_relaxed_tie_is_red_again_for_every_agency(
        empty_store, tmp_path, monkeypatch, access_file, g_decision):
    store = empty_store
    await write_vn(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")], "AMBER", ("LA-POL",))
    await write_vn(store, [vn_tie()], "RED", ("LA-POL",))
    assert await grants.ties_seen_by(store, LA) == []  # RED: LA-POL is listed, but RED is the owner's alone
    requests, k, g = await grants.per_b_grant_killed_beside_per_a_shared(store, tmp_path, monkeypatch)
    assert [t["id"] for t in requests.get(k.id).granting_ties] == [TIE]
    assert (await decide(store, requests, VN_SUP, g.id, grant=g_decision == "granted")).status == g_decision
    assert (await decide(store, requests, VN_SUP, k.id, grant=False)).status == "refused"
    # granted: before 46b, 3 the tie stayed AMBER [LA-POL, TH-DSI] (G held it and took K's noted RED over)
    assert await grants.ties_seen_by(store, LA) == []
