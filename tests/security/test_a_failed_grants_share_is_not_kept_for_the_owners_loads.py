"""A failed grant's take-back also takes back what its share kept for the owner's loads
(``shares``, graphapi/security/kept_shares.py): the owner's loads widen its records by the shares
its items keep (attack round 42a, 4), and a refused request's share must not come back with the
owner's next reload of the phone, reopened to the refused requester."""

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _phone(store) -> dict:
    [node] = await store.read("ingest/existing_nodes", {"ids": [PHONE]})
    return node["props"]


@pytest.mark.parametrize("take_back_dies", [False, True], ids=["in-its-turn", "by-the-refusal"])
async def test_the_owners_reload_after_a_refused_request_keeps_the_phone_from_the_requester(
        empty_store, tmp_path, monkeypatch, take_back_dies):
    store = empty_store
    await grants.write_vn_phone(store, "RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None,
                                     take_back_dies=take_back_dies)
    if take_back_dies:  # the grant's share stands until the refusal takes it back
        assert (await _phone(store))["shares"] == ["TH-DSI|AMBER"]
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    # VN-MPS's record of its phone again, as a MOD: a replace record's level is the item's
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"}, op="replace")],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="graphql:VN-MPS")
    phone = await _phone(store)
    assert (phone["tlp"], phone.get("shares"), PHONE in await get_nodes(store, TH, [PHONE])) == ("RED", None, False)


async def test_a_granted_requests_share_outlives_the_owners_replace_until_it_unshares(empty_store, tmp_path):
    """A grant is a share: VN-MPS's MOD of its RED phone leaves it AMBER to TH-DSI, which it granted;
    after VN-MPS unshares it, the same MOD no longer opens it to TH-DSI."""
    from graphapi.security.share import unshare

    store = empty_store
    await grants.write_vn_phone(store, "RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    assert (await decide(store, requests, VN_SUP, request_id, grant=True, ids=[PHONE])).status == "granted"
    mod = [NodeRecord("Phone", PHONE, {"number": "+84987654321"}, op="replace")]
    await write_records(store, mod, provenance=Provenance(owner="VN-MPS", tlp="RED"), source="graphql:VN-MPS")
    assert PHONE in await get_nodes(store, TH, [PHONE])
    await unshare(store, VN_SUP, [PHONE], ["TH-DSI"])
    await write_records(store, mod, provenance=Provenance(owner="VN-MPS", tlp="RED"), source="graphql:VN-MPS")
    assert (PHONE in await get_nodes(store, TH, [PHONE]), (await _phone(store)).get("shares")) == (False, None)
