"""A grant killed part way (its take-back failed too) leaves granting / granting_ties noted. The owner
then shares the two people directly with TH-DSI (its answer: the tie is shared) and later refuses the
old request for the phone: the refusal's take-back withdrew the tie (and TH-DSI from the people) that
the owner's own later share gave (attack round 41a, 2). The share mutation now takes what it shares
out of what is noted (graphapi.security.access.note_shared)."""

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, TIE, VN_SUP

from graphapi.investigate.entities import get_nodes
from graphapi.security.access import AccessRequestStore, note_shared
from graphapi.security.access_decide import decide
from graphapi.security.share import share

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _killed_grant(store, tmp_path, monkeypatch) -> tuple[AccessRequestStore, str]:
    """A grant of [phone, per-a, per-b] for TH-DSI's request for the phone killed after its share,
    its take-back failed too: the AMBER tie between the two CLEAR people stays noted."""
    await grants.write_vn_people_tie_phone(store, tie_tlp="AMBER", phone_tlp="AMBER")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    # grant killed part way: the take-back of the ties did not run
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, take_back_dies=True)
    assert [t["id"] for t in requests.get(request_id).granting_ties] == [TIE]
    return requests, request_id


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
    assert await grants.ties_seen_by(store, TH) == [TIE]  # was []: the refusal undid the owner's direct share
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
    assert await grants.ties_seen_by(store, TH) == [TIE]


async def test_a_later_share_at_a_level_keeps_that_level_and_the_requesters_earlier_place(empty_store, tmp_path,
                                                                                          monkeypatch):
    """The phone RED and shared with TH-DSI before (hidden by its level only): a killed grant notes its
    level, not TH-DSI's place; VN-MPS then shares it with KH-NPA at AMBER. The refusal leaves it AMBER
    (VN-MPS chose that since) and TH-DSI on it, where the earlier share put it."""
    store = empty_store
    await grants.write_vn_phone(store, "RED")
    assert (await share(store, VN_SUP, [PHONE], ["TH-DSI"])).ineffective == [PHONE]
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    noted = requests.get(request_id)
    assert (noted.granting, noted.granting_nodes, noted.granting_levels) == ([PHONE], [], [{"id": PHONE, "tlp": "RED"}])
    await share(store, VN_SUP, [PHONE], ["KH-NPA"], tlp="AMBER",
                noted=lambda agencies, nodes, rels: note_shared(requests, "VN-MPS", agencies, "AMBER", nodes, rels))
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    [phone] = await store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    assert (phone["tlp"], phone["sharedWith"]) == ("AMBER", ["TH-DSI", "KH-NPA"])
