"""A grant killed part way (its take-back failed too) leaves granting / granting_ties noted. The owner
then shares the two people directly with TH-DSI (its answer: the tie is shared) and later refuses the
old request for the phone: the refusal's take-back withdrew the tie (and TH-DSI from the people) that
the owner's own later share gave (attack round 41a, 2). The share mutation now takes what it shares
out of what is noted (graphapi.security.access.note_shared)."""

import asyncio

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal
from graphapi.security import access_decide as decide_module
from graphapi.security.access import AccessRequestStore, file_request, note_shared
from graphapi.security.access_decide import decide
from graphapi.security.share import share
from graphapi.security.turns import settled

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
TIE = "associate_of:per-a:per-b"
PHONE = "phone:+84987654321"


async def _ties(store) -> list[str]:
    [page] = await relationships_of(store, TH, ["per-a"])
    return [e.relationship.id for e in page.edges]


async def _killed_grant(store, tmp_path, monkeypatch) -> tuple[AccessRequestStore, str]:
    """A grant of [phone, per-a, per-b] for TH-DSI's request for the phone killed after its share,
    its take-back failed too: the AMBER tie between the two CLEAR people stays noted."""
    await write_records(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")],
                        provenance=Provenance(owner="VN-MPS", tlp="CLEAR"), source="graphql:VN-MPS")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"})],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER"), source="graphql:VN-MPS")
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER"), source="graphql:VN-MPS")
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142", ids=[PHONE])
    real_share = decide_module.share

    async def share_then_cut_off(*args, **kwargs):
        await real_share(*args, **kwargs)
        raise asyncio.CancelledError

    async def dies(*args, **kwargs):
        raise OSError("the store went away while taking back")

    with monkeypatch.context() as m:  # grant killed part way: the take-back of the ties did not run
        m.setattr(decide_module, "share", share_then_cut_off)
        m.setattr(decide_module, "take_back_also", dies)
        with pytest.raises(asyncio.CancelledError):
            await decide(store, requests, VN_SUP, request.id, grant=True, ids=[PHONE, "per-a", "per-b"])
    await settled()
    assert [t["id"] for t in requests.get(request.id).granting_ties] == [TIE]
    return requests, request.id


async def test_a_refusal_leaves_what_the_owner_shared_directly_since_a_killed_grant(empty_store, tmp_path, monkeypatch):
    store = empty_store
    requests, request_id = await _killed_grant(store, tmp_path, monkeypatch)
    # the owner decides to share the two people (and their tie) directly instead
    direct = await share(store, VN_SUP, ["per-a", "per-b"], ["TH-DSI"], tlp="AMBER",  # as the share mutation does
                         noted=lambda agencies, nodes, rels: note_shared(requests, "VN-MPS", agencies, "AMBER",
                                                                         nodes, rels))
    assert direct.relationships == [TIE]
    # ... and refuses the request for the phone
    assert [t["id"] for t in requests.get(request_id).granting_ties] == []
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _ties(store) == [TIE]  # was []: the refusal undid the owner's direct share
    assert PHONE not in await get_nodes(store, TH, [PHONE])  # what the killed grant alone opened


async def test_the_share_mutation_keeps_what_it_shares_from_a_killed_grants_take_back(empty_store, tmp_path,
                                                                                     monkeypatch):
    from test_security_graphql_flow import SCHEMA, SecureContext

    from graphapi.security.audit import AuditLog

    store = empty_store
    requests, request_id = await _killed_grant(store, tmp_path, monkeypatch)
    context = SecureContext(store, VN_SUP, AuditLog(tmp_path / "audit.jsonl"), requests)
    r = await SCHEMA.execute('mutation { share(ids: ["per-a", "per-b"], agencies: ["TH-DSI"], tlp: AMBER) '
                             "{ relationships } }", context_value=context)
    assert r.errors is None and r.data["share"]["relationships"] == [TIE]
    noted = requests.get(request_id)
    assert (noted.granting, noted.granting_nodes, noted.granting_ties) == ([PHONE], [PHONE], [])
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    assert await _ties(store) == [TIE]


async def test_a_later_share_at_a_level_keeps_that_level_and_the_requesters_earlier_place(empty_store, tmp_path,
                                                                                          monkeypatch):
    """The phone RED and shared with TH-DSI before (hidden by its level only): a killed grant notes its
    level, not TH-DSI's place; VN-MPS then shares it with KH-NPA at AMBER. The refusal leaves it AMBER
    (VN-MPS chose that since) and TH-DSI on it, where the earlier share put it."""
    store = empty_store
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), source="graphql:VN-MPS")
    assert (await share(store, VN_SUP, [PHONE], ["TH-DSI"])).ineffective == [PHONE]
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142", ids=[PHONE])
    real_share = decide_module.share

    async def share_then_cut_off(*args, **kwargs):
        await real_share(*args, **kwargs)
        raise asyncio.CancelledError

    async def dies(*args, **kwargs):
        raise OSError("the store went away while taking back")

    with monkeypatch.context() as m:
        m.setattr(decide_module, "share", share_then_cut_off)
        m.setattr(decide_module, "take_back_also", dies)
        with pytest.raises(asyncio.CancelledError):
            await decide(store, requests, VN_SUP, request.id, grant=True)
    await settled()
    noted = requests.get(request.id)
    assert (noted.granting, noted.granting_nodes, noted.granting_levels) == ([PHONE], [], [{"id": PHONE, "tlp": "RED"}])
    await share(store, VN_SUP, [PHONE], ["KH-NPA"], tlp="AMBER",
                noted=lambda agencies, nodes, rels: note_shared(requests, "VN-MPS", agencies, "AMBER", nodes, rels))
    assert (await decide(store, requests, VN_SUP, request.id, grant=False)).status == "refused"
    [phone] = await store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    assert (phone["tlp"], phone["sharedWith"]) == ("AMBER", ["TH-DSI", "KH-NPA"])
