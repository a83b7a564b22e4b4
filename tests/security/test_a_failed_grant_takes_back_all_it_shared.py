"""A grant that fails after its share takes back everything that share gave the requester, not only
the ids it did not see: attack round 39a, 4. TH-DSI asks VN-MPS for a hidden phone; VN-MPS grants
the phone and two CLEAR people TH-DSI sees. The share also shared VN-MPS's AMBER tie between them;
taken back were the phone alone, so after the owner refused TH-DSI still read the tie. What was
shared with TH-DSI before the grant stays shared."""

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
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
TIE = "associate_of:per-a:per-b"
PHONE = "phone:+84987654321"


async def _tie_of(store) -> list[str]:
    [page] = await relationships_of(store, TH, ["per-a"])
    return [e.relationship.id for e in page.edges]


async def _people_their_tie_and_a_phone(store, tmp_path) -> tuple[AccessRequestStore, str]:
    """Two CLEAR people of VN-MPS, its AMBER tie between them, its AMBER phone; TH-DSI's request."""
    await store.clear()
    await write_records(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")],
                        provenance=Provenance(owner="VN-MPS", tlp="CLEAR"), source="graphql:VN-MPS")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"})],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER"), source="graphql:VN-MPS")
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER"), source="graphql:VN-MPS")
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142", ids=[PHONE])
    return requests, request.id


async def _grant_cut_off_after_its_share(store, requests, request_id, monkeypatch) -> None:
    real_share = decide_module.share

    async def share_then_cut_off(*args, **kwargs):
        await real_share(*args, **kwargs)
        raise asyncio.CancelledError  # a 504, or a lost reply on the share's last write

    with monkeypatch.context() as m:
        m.setattr(decide_module, "share", share_then_cut_off)
        with pytest.raises(asyncio.CancelledError):
            await decide(store, requests, VN_SUP, request_id, grant=True, ids=[PHONE, "per-a", "per-b"])
    await settled()


async def test_a_refused_request_leaves_nothing_a_failed_grant_shared(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _people_their_tie_and_a_phone(empty_store, tmp_path)
    assert await _tie_of(empty_store) == []  # TH-DSI sees both people, not VN-MPS's tie
    await _grant_cut_off_after_its_share(empty_store, requests, request_id, monkeypatch)
    after = requests.get(request_id)
    assert (after.status, after.granting, after.granting_nodes, after.granting_ties) == ("pending", [], [], [])
    assert await _tie_of(empty_store) == []
    assert (await decide(empty_store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _tie_of(empty_store) == []


async def test_a_tie_shared_before_a_failed_grant_stays_shared(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _people_their_tie_and_a_phone(empty_store, tmp_path)
    await share(empty_store, VN_SUP, ["per-a", "per-b"], ["TH-DSI"], tlp="AMBER")  # before the grant
    assert await _tie_of(empty_store) == [TIE]
    await _grant_cut_off_after_its_share(empty_store, requests, request_id, monkeypatch)
    assert await _tie_of(empty_store) == [TIE]


async def test_a_take_back_cut_short_is_finished_by_the_refusal(empty_store, tmp_path, monkeypatch):
    requests, request_id = await _people_their_tie_and_a_phone(empty_store, tmp_path)

    async def dies(*args, **kwargs):
        raise OSError("the store went away while taking back")

    with monkeypatch.context() as m:
        m.setattr(decide_module, "take_back_also", dies)
        await _grant_cut_off_after_its_share(empty_store, requests, request_id, monkeypatch)
    noted = requests.get(request_id)
    assert (noted.status, noted.granting, [t["id"] for t in noted.granting_ties]) == ("pending", [PHONE], [TIE])
    assert await _tie_of(empty_store) == [TIE]  # still shared: the take-back did not run
    assert (await decide(empty_store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _tie_of(empty_store) == []
