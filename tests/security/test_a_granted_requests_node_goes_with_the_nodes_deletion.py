"""A granted request's node id is held only against the killed grants that had noted it when it was granted: the
owner may delete the node and assert it again (same id), and a later killed grant's entry on the NEW node must not
count as the granted request's, outliving the owner's record and its refusal (attack round 47, 1). TH-DSI files K
and G for VN-MPS's RED phone; G is granted; VN-MPS deletes the phone and asserts it again RED; K is granted and
killed after its share; VN-MPS records the phone AMBER [TH-DSI], refuses K and replaces the phone RED: closed to
TH-DSI. Control: G withdrawn. A file an older version wrote (no ``shared_against``) holds G's id against nothing
(the closed side). And G granted after a killed K0 holds the phone against K0: K0's refusal leaves it."""

import json

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP, vn_says_phone

from graphapi.investigate.entities import get_nodes
from graphapi.security.access import AccessRequestStore, file_request, withdraw
from graphapi.security.access_decide import decide
from graphapi.security.access_index import index_path, read_index

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _th_reads_phone(store):
    return PHONE in await get_nodes(store, TH, [PHONE])


def _as_an_older_version_wrote(requests):
    doc = json.loads(requests.path.read_text(encoding="utf-8"))
    for row in doc.values():
        row.pop("shared_against", None)
    requests.path.write_text(json.dumps(doc), encoding="utf-8")


async def _k0_killed_before_g(store, tmp_path, monkeypatch):
    """VN-MPS's RED phone; TH-DSI files K0 and G for it, K0's grant killed after its share (G pending)."""
    await vn_says_phone(store, "RED")
    requests = AccessRequestStore(tmp_path / "access.json")
    k0 = await file_request(store, requests, TH, "VN-MPS", "case DSI-1", ids=[PHONE])
    g = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, again", ids=[PHONE])
    await grants.cut_off_after_share(store, requests, k0.id, monkeypatch, ids=None, take_back_dies=True)
    return requests, k0, g


@pytest.mark.parametrize("g", ["withdrawn", "granted before the delete", "granted, in an older file"])
async def test_the_owners_red_replace_closes_a_re_created_phone_a_refused_grant_opened(
        empty_store, tmp_path, monkeypatch, access_file, g):
    store = empty_store
    await vn_says_phone(store, "RED")
    requests = AccessRequestStore(tmp_path / "access.json")
    k = await file_request(store, requests, TH, "VN-MPS", "case DSI-1", ids=[PHONE])
    g_request = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, again", ids=[PHONE])
    if g == "withdrawn":
        withdraw(requests, TH, g_request.id)
    else:
        granted = await decide(store, requests, VN_SUP, g_request.id, grant=True)
        assert (granted.shared, granted.shared_against) == ([PHONE], {})  # no killed grant noted it
        if g == "granted, in an older file":
            _as_an_older_version_wrote(requests)
    await vn_says_phone(store, "RED", op="delete")  # the owner deletes the phone...
    await vn_says_phone(store, "RED")  # ...and asserts it again, RED: a new item
    assert not await _th_reads_phone(store)
    await grants.cut_off_after_share(store, requests, k.id, monkeypatch, ids=None, take_back_dies=True)
    assert await _th_reads_phone(store)  # K's share opened the new phone
    await vn_says_phone(store, "AMBER", ("TH-DSI",))  # the owner's own record names TH-DSI
    assert (await decide(store, requests, VN_SUP, k.id, grant=False)).status == "refused"
    await vn_says_phone(store, "RED", op="replace")  # the owner narrows the phone: RED, shared with nobody
    assert not await _th_reads_phone(store)  # granted: TH-DSI read it still (K's entry counted as G's)


async def test_a_refusal_leaves_a_phone_a_grant_made_after_the_killed_one_shared(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, k0, g = await _k0_killed_before_g(store, tmp_path, monkeypatch)
    granted = await decide(store, requests, VN_SUP, g.id, grant=True)
    assert (granted.shared, granted.shared_against) == ([PHONE], {PHONE: [k0.id]})
    assert (await decide(store, requests, VN_SUP, k0.id, grant=False)).status == "refused"
    assert await _th_reads_phone(store)


async def test_the_side_index_lists_the_held_ids_and_one_written_before_them_is_built_again(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, k0, g = await _k0_killed_before_g(store, tmp_path, monkeypatch)
    await decide(store, requests, VN_SUP, g.id, grant=True)
    assert read_index(requests).held_ids("VN-MPS", "TH-DSI", k0.id) == frozenset({PHONE})
    assert read_index(requests).held_ids("VN-MPS", "TH-DSI", g.id) == frozenset()
    grants.as_the_index_was_before(requests, "held")
    assert read_index(requests).held_ids("VN-MPS", "TH-DSI", k0.id) == frozenset({PHONE})
    rebuilt = json.loads(index_path(requests.path).read_text(encoding="utf-8"))
    assert [g["held"] for g in rebuilt["granted"]] == [[[PHONE, k0.id]]]


async def test_a_killed_grant_killed_again_after_the_delete_is_no_longer_held_against(
        empty_store, tmp_path, monkeypatch, access_file):
    """G holds the phone against K0's take-back as noted at G's grant; K0 granted again notes anew (the
    phone deleted and asserted again since): G's hold on K0 goes with K0's old notes."""
    store = empty_store
    requests, k0, g = await _k0_killed_before_g(store, tmp_path, monkeypatch)
    assert (await decide(store, requests, VN_SUP, g.id, grant=True)).shared_against == {PHONE: [k0.id]}
    await vn_says_phone(store, "RED", op="delete")
    await vn_says_phone(store, "RED")
    assert not await _th_reads_phone(store)
    await grants.cut_off_after_share(store, requests, k0.id, monkeypatch, ids=None, take_back_dies=True)
    assert requests.get(g.id).shared_against == {}
    assert await _th_reads_phone(store)  # K0's second share opened the new phone
    await vn_says_phone(store, "AMBER", ("TH-DSI",))
    assert (await decide(store, requests, VN_SUP, k0.id, grant=False)).status == "refused"
    await vn_says_phone(store, "RED", op="replace")
    assert not await _th_reads_phone(store)
