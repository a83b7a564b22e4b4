"""A grant of VN-MPS's RED phone is killed after its share (the phone AMBER, TH-DSI on it) and its
take-back fails: the phone's RED stays noted for the refusal to put back. VN-MPS's later share of the
phone at a level stricter than AMBER relaxes nothing, so the noted level stays (at the looser of the
two): a share at RED dropped it, and the refusal left the phone AMBER to KH-NPA (attack round 42a, 1).
A share at AMBER or wider still drops it (the owner opened it itself: the refusal keeps that)."""

import grant_setups as grants
import pytest
from grant_setups import KH, PHONE, TH, VN_SUP

from graphapi.investigate.entities import get_nodes
from graphapi.security.access_decide import decide
from graphapi.security.access_notes import level_after
from graphapi.security.audit import AuditLog

pytestmark = pytest.mark.backends


async def _share_with_kh(store, requests, tmp_path, level: str) -> None:
    """VN-MPS shares the phone with KH-NPA at ``level`` through the share mutation."""
    from test_security_graphql_flow import SCHEMA, SecureContext

    context = SecureContext(store, VN_SUP, AuditLog(tmp_path / "audit.jsonl"), requests)
    r = await SCHEMA.execute(f'mutation {{ share(ids: ["{PHONE}"], agencies: ["KH-NPA"], tlp: {level}) '
                             "{ nodes } }", context_value=context)
    assert r.errors is None and r.data["share"]["nodes"] == [PHONE], r.errors


async def _phone_after_refusal(store, requests, request_id) -> tuple[str, list[str], bool, bool]:
    """The refusal of TH-DSI's request, then the phone's level, its agencies, and whether KH-NPA and TH-DSI read it."""
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    [phone] = await store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    return (phone["tlp"], phone["sharedWith"], PHONE in await get_nodes(store, KH, [PHONE]),
            PHONE in await get_nodes(store, TH, [PHONE]))


@pytest.mark.parametrize(("level", "put_back"), [("RED", "RED"), ("AMBER_STRICT", "AMBER+STRICT")])
async def test_a_share_stricter_than_amber_after_a_killed_grant_leaves_the_phone_closed_after_the_refusal(
        empty_store, tmp_path, monkeypatch, level, put_back):
    store = empty_store
    requests, request_id = await grants.th_phone_grant_killed(store, tmp_path, monkeypatch)
    await _share_with_kh(store, requests, tmp_path, level)
    assert requests.get(request_id).granting_levels == [{"id": PHONE, "tlp": put_back}]
    # was ('AMBER', ['KH-NPA'], True, False): KH-NPA read the phone its owner only ever shared at RED
    assert await _phone_after_refusal(store, requests, request_id) == (put_back, ["KH-NPA"], False, False)


async def test_a_share_at_amber_after_a_killed_grant_is_kept_by_the_refusal(empty_store, tmp_path, monkeypatch):
    store = empty_store
    requests, request_id = await grants.th_phone_grant_killed(store, tmp_path, monkeypatch)
    await _share_with_kh(store, requests, tmp_path, "AMBER")
    assert requests.get(request_id).granting_levels == []
    assert await _phone_after_refusal(store, requests, request_id) == ("AMBER", ["KH-NPA"], True, False)


async def test_a_share_at_red_keeps_the_refused_requester_out_of_a_phone_shared_with_it_before(
        empty_store, tmp_path, monkeypatch):
    """The phone RED and shared with TH-DSI before (closed to it by its level alone): the killed grant
    notes its level, not TH-DSI's place; the later share at RED keeps the level noted, so the refusal
    closes the phone to TH-DSI again (it kept reading the AMBER phone)."""
    from graphapi.security.share import share

    store = empty_store
    await grants.write_vn_phone(store, "RED")
    await share(store, VN_SUP, [PHONE], ["TH-DSI"])
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    await _share_with_kh(store, requests, tmp_path, "RED")
    assert await _phone_after_refusal(store, requests, request_id) == ("RED", ["TH-DSI", "KH-NPA"], False, False)


@pytest.mark.parametrize(("noted", "said", "put_back"), [
    ("RED", None, "RED"), ("RED", "RED", "RED"), ("RED", "AMBER+STRICT", "AMBER+STRICT"),
    ("AMBER+STRICT", "RED", "AMBER+STRICT"), ("RED", "AMBER", None), ("AMBER+STRICT", "GREEN", None),
    ("RED", "CLEAR", None)])
def test_the_level_a_refusal_puts_back_is_the_looser_of_the_noted_and_the_owners_later_one_below_amber(
        noted, said, put_back):
    assert level_after(noted, said) == put_back
