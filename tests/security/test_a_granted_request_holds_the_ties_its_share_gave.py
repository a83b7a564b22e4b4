"""A granted request lists the owner's relationships its share gave the requester that a pending killed grant
noted (``shared_ties``, each against those grants), whether the requester was on them already or not: those,
with its ``shared`` ids, are what a killed grant's take-back leaves as the standing grant's, in place of every
relationship touching a granted id (attack round 45b, 1); no other tie is at stake (46b, 4). An unshare of a
node takes its relationships out of the list, as it withdraws them."""

import json

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP

from graphapi.security.access import AccessRequestStore, file_request, note_unshared
from graphapi.security.access_decide import decide
from graphapi.security.access_index import index_path, read_index
from graphapi.security.share import share, unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TIE_ROW = {"id": TIE, "start": "per-a", "end": "per-b"}


async def _killed_before_both(store, tmp_path, monkeypatch):
    """VN-MPS's RED people and tie; TH-DSI files two requests for both people, the first one's grant
    killed after its share (the second pending)."""
    await grants.write_vn_red_people_and_tie(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    killed = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both", ids=["per-a", "per-b"])
    both = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both again", ids=["per-a", "per-b"])
    await grants.cut_off_after_share(store, requests, killed.id, monkeypatch, ids=None, take_back_dies=True)
    return requests, killed, both


async def test_a_grant_lists_no_tie_when_no_killed_grant_noted_one(empty_store, tmp_path, access_file):
    store = empty_store
    await grants.write_vn_red_people_and_tie(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    alone = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-a", ids=["per-a"])
    both = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both", ids=["per-a", "per-b"])
    assert (await decide(store, requests, VN_SUP, alone.id, grant=True)).shared_ties == []
    assert (await decide(store, requests, VN_SUP, both.id, grant=True)).shared_ties == []
    assert await grants.ties_seen_by(store, TH) == [TIE]  # given all the same


async def test_a_grant_lists_the_tie_among_its_ids_a_killed_grant_noted_against_that_grant(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, killed, both = await _killed_before_both(store, tmp_path, monkeypatch)
    assert (await decide(store, requests, VN_SUP, both.id, grant=True)).shared_ties == [
        {**TIE_ROW, "against": [killed.id]}]


async def test_a_refusal_of_a_killed_grant_leaves_the_tie_a_later_grant_gave_though_it_was_on_it_already(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    await grants.write_vn_red_people_and_tie(store)
    await share(store, VN_SUP, ["per-a"], ["TH-DSI"], tlp="AMBER")  # TH-DSI sees per-a
    requests = AccessRequestStore(tmp_path / "access.json")
    killed = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-b", ids=["per-b"])
    standing = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, per-b again", ids=["per-b"])
    await grants.cut_off_after_share(store, requests, killed.id, monkeypatch, ids=None, take_back_dies=True)
    assert [t["id"] for t in requests.get(killed.id).granting_ties] == [TIE]
    assert (await decide(store, requests, VN_SUP, standing.id, grant=True)).shared_ties == [
        {**TIE_ROW, "against": [killed.id]}]
    assert (await decide(store, requests, VN_SUP, killed.id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(store, TH) == [TIE]


async def test_an_unshare_of_a_granted_node_takes_its_ties_out_of_the_granted_request(
        empty_store, tmp_path, access_file):
    store = empty_store
    await grants.write_vn_red_people_and_tie(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    both = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both", ids=["per-a", "per-b"])
    await decide(store, requests, VN_SUP, both.id, grant=True)
    await unshare(store, VN_SUP, ["per-b"], ["TH-DSI"],  # as the unshare mutation does
                  noted=lambda agencies, ids: note_unshared(requests, "VN-MPS", agencies, ids))
    after = requests.get(both.id)
    assert (after.shared, after.shared_ties) == (["per-a"], [])


async def test_the_side_index_lists_the_granted_ties_and_one_written_before_them_is_built_again(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, killed, both = await _killed_before_both(store, tmp_path, monkeypatch)
    await decide(store, requests, VN_SUP, both.id, grant=True)
    assert read_index(requests).granted_tie_ids("VN-MPS", "TH-DSI", killed.id) == frozenset({TIE})
    grants.as_the_index_was_before(requests, "ties")
    assert read_index(requests).granted_tie_ids("VN-MPS", "TH-DSI", killed.id) == frozenset({TIE})
    rebuilt = json.loads(index_path(requests.path).read_text(encoding="utf-8"))
    assert [g["ties"] for g in rebuilt["granted"]] == [[[TIE, "per-a", "per-b", killed.id]]]
