"""A killed grant's share entry ('TH-DSI|AMBER', graphapi/security/kept_shares.py) goes once the
owner's own record names the requester: that record speaks for the item's audience from then on
(graphapi/security/grant_entries.py). The take-back removed the entry only with the notes it left,
and the owner's record took the requester's place out of them: after the refusal the owner's
narrowing MOD (RED, shared with nobody) was widened by the entry and the refused requester kept
reading the phone (attack round 43b, 2)."""


import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP
from store_kills import converges_after_each_kill, whole_graph

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _vn_says_phone(store, tlp, shared_with=(), op="merge"):
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"}, op=op)],
                        provenance=Provenance(owner="VN-MPS", tlp=tlp, shared_with=shared_with, seen=grants.SEEN),
                        source="graphql:VN-MPS")


async def _phone(store):
    [node] = await store.read("ingest/existing_nodes", {"ids": [PHONE]})
    props = node["props"]
    seen = PHONE in await get_nodes(store, TH, [PHONE])
    return props["tlp"], props.get("sharedWith") or [], props.get("shares"), seen


async def _killed_grant_then_the_owners_record(store, tmp_path, monkeypatch):
    await grants.write_vn_phone(store, "RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    await _vn_says_phone(store, "AMBER", ("TH-DSI",))  # the owner's own record, since
    return requests, request_id


async def test_the_owners_record_naming_the_requester_removes_the_grants_entry(
        empty_store, tmp_path, monkeypatch, access_file):
    requests, _ = await _killed_grant_then_the_owners_record(empty_store, tmp_path, monkeypatch)
    assert await _phone(empty_store) == ("AMBER", ["TH-DSI"], None, True)  # the record's audience
    assert requests.all()[0].granting == []


async def test_the_owners_narrowing_mod_after_the_refusal_closes_the_phone_to_the_requester(
        empty_store, tmp_path, monkeypatch, access_file):
    requests, request_id = await _killed_grant_then_the_owners_record(empty_store, tmp_path, monkeypatch)
    assert (await decide(empty_store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _phone(empty_store) == ("AMBER", ["TH-DSI"], None, True)  # the owner's record outlives it
    await _vn_says_phone(empty_store, "RED", op="replace")  # the owner narrows its record: RED, nobody
    assert await _phone(empty_store) == ("RED", [], None, False)


async def test_the_owners_narrowing_mod_before_the_decision_closes_the_phone_to_the_requester(
        empty_store, tmp_path, monkeypatch, access_file):
    requests, request_id = await _killed_grant_then_the_owners_record(empty_store, tmp_path, monkeypatch)
    await _vn_says_phone(empty_store, "RED", op="replace")
    await decide(empty_store, requests, VN_SUP, request_id, grant=False)
    assert await _phone(empty_store) == ("RED", [], None, False)


async def test_a_record_not_naming_the_requester_leaves_the_entry_to_the_refusal(
        empty_store, tmp_path, monkeypatch, access_file):
    await grants.write_vn_phone(empty_store, "RED")
    requests, request_id = await grants.th_asks_for_phone(empty_store, tmp_path)
    await grants.cut_off_after_share(empty_store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    await _vn_says_phone(empty_store, "RED", ("KH-NPA",), op="replace")
    assert await _phone(empty_store) == ("AMBER", ["KH-NPA", "TH-DSI"], ["TH-DSI|AMBER"], True)  # the grant stands
    await decide(empty_store, requests, VN_SUP, request_id, grant=False)
    assert await _phone(empty_store) == ("RED", ["KH-NPA"], None, False)


async def test_the_owners_record_killed_after_any_write_settles_the_entry_once_run_again(
        empty_store, tmp_path, monkeypatch, access_file):
    """Killed between the entry's removal and the notes' update, the load run again finds the
    requester's place still noted, and ends as one uninterrupted load does."""
    store = empty_store

    async def start():
        await store.clear()
        (tmp_path / "access.json").unlink(missing_ok=True)
        await grants.write_vn_phone(store, "RED")
        requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
        await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)

    async def graph():
        [request] = grants.AccessRequestStore(tmp_path / "access.json").all()
        return await whole_graph(store), request.granting, request.granting_levels

    writes = await converges_after_each_kill(store, monkeypatch, start, lambda: _vn_says_phone(
        store, "AMBER", ("TH-DSI",)), graph, replay_start=False)  # start resets the access file too
    assert "security/drop_grant_entry_nodes" in writes
    assert (await graph())[1:] == ([], [])
