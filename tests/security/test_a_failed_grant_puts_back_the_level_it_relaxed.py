"""A failed grant's take-back puts back the level its share relaxed (RED/AMBER+STRICT -> AMBER) and
withdraws only what the share gave (attack round 41a, 1): an item shared earlier at RED (an
ineffective share: the owner kept it closed) was AMBER after the failed grant, read by every agency on
its sharedWith, the refused requester or a third agency; a granted id hidden only by being RED lost
the requester's earlier place on its sharedWith."""

import asyncio

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal
from graphapi.security import access_decide as decide_module
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.share import share
from graphapi.security.turns import settled

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
KH = Principal("analyst-kh", agency="KH-NPA", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
TIE = "associate_of:per-a:per-b"
PHONE = "phone:+84987654321"


async def _ties(store, who) -> list[str]:
    [page] = await relationships_of(store, who, ["per-a"])
    return [e.relationship.id for e in page.edges]


async def _setup(store, tmp_path, red_tie_shared_with: str, phone_tlp: str = "AMBER") -> tuple[AccessRequestStore, str]:
    """Two CLEAR people of VN-MPS, a RED tie between them that VN-MPS shared (at its level, RED:
    ineffective) with ``red_tie_shared_with``; an AMBER phone TH-DSI asks for."""
    await store.clear()
    await write_records(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")],
                        provenance=Provenance(owner="VN-MPS", tlp="CLEAR"), source="graphql:VN-MPS")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"})],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="graphql:VN-MPS")
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp=phone_tlp), source="graphql:VN-MPS")
    done = await share(store, VN_SUP, ["per-a", "per-b"], [red_tie_shared_with])  # tlp None: stays RED
    assert done.ineffective == [TIE]
    if phone_tlp == "RED":
        assert (await share(store, VN_SUP, [PHONE], [red_tie_shared_with])).ineffective == [PHONE]
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142", ids=[PHONE])
    return requests, request.id


async def _grant_fails_after_its_share(store, requests, request_id, monkeypatch) -> None:
    real_share = decide_module.share

    async def share_then_cut_off(*args, **kwargs):
        await real_share(*args, **kwargs)
        raise asyncio.CancelledError  # a 504 or a lost reply on the share's last write

    with monkeypatch.context() as m:
        m.setattr(decide_module, "share", share_then_cut_off)
        with pytest.raises(asyncio.CancelledError):
            await decide(store, requests, VN_SUP, request_id, grant=True, ids=[PHONE, "per-a", "per-b"])
    await settled()
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"


async def test_a_refused_requester_does_not_read_a_red_tie_a_failed_grant_relaxed(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _setup(empty_store, tmp_path, "TH-DSI")
    assert await _ties(empty_store, TH) == []  # RED: closed to TH-DSI though on its sharedWith
    await _grant_fails_after_its_share(empty_store, requests, request_id, monkeypatch)
    assert await _ties(empty_store, TH) == []  # was [TIE]: AMBER, TH-DSI still on sharedWith


async def test_a_third_agency_does_not_read_a_red_tie_after_a_failed_grant(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _setup(empty_store, tmp_path, "KH-NPA")
    assert await _ties(empty_store, KH) == []
    await _grant_fails_after_its_share(empty_store, requests, request_id, monkeypatch)
    assert await _ties(empty_store, KH) == []  # was [TIE]


async def test_a_failed_grant_of_a_red_id_shared_before_keeps_it_red_and_shared(empty_store, tmp_path, monkeypatch):
    """The phone hidden from TH-DSI only by being RED: the take-back puts RED back and leaves TH-DSI
    on its sharedWith, where VN-MPS's earlier share put it."""
    requests, request_id = await _setup(empty_store, tmp_path, "TH-DSI", phone_tlp="RED")
    await _grant_fails_after_its_share(empty_store, requests, request_id, monkeypatch)
    [phone] = await empty_store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    assert (phone["tlp"], phone["sharedWith"]) == ("RED", ["TH-DSI"])
    assert await _ties(empty_store, TH) == []


async def test_a_granted_request_keeps_the_level_its_share_opened(empty_store, tmp_path):
    requests, request_id = await _setup(empty_store, tmp_path, "KH-NPA")
    granted = await decide(empty_store, requests, VN_SUP, request_id, grant=True, ids=[PHONE, "per-a", "per-b"])
    assert granted.status == "granted"
    assert await _ties(empty_store, TH) == [TIE]
    assert await _ties(empty_store, KH) == [TIE]  # AMBER now: the owner granted it
