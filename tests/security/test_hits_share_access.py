"""Hit / no-hit, share, and the access-request workflow on the fixture graph (every step audited)."""

import pytest

from graphapi.errors import Forbidden, InvalidArgument, NotFound
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import DEMO_PRINCIPAL, Principal
from graphapi.security.access import AccessRequestStore, file_request, list_requests, withdraw
from graphapi.security.access_decide import decide
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.hits import RestrictedHit, lookup, restricted_hits
from graphapi.security.share import share, unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_SUP = Principal("sup-th", agency="TH-DSI", roles=frozenset({"supervisor"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
MY = Principal("analyst-my", agency="MY-PDRM", roles=frozenset({"analyst"}))
PHONE = "phone:+84987654321"  # AMBER, owned by VN-MPS
RED_REL_ENDS = ("per-zhao-wei", "per-aung-kyaw")  # RED ASSOCIATE_OF owned by TH-DSI


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


async def test_hits_lookup_reports_only_the_owner_of_a_hidden_id(fixture_graph, audit):
    result = await lookup(fixture_graph, TH, [PHONE, "per-somchai", "no-such-id"], audit=audit)
    assert set(result.found) == {"per-somchai"}
    assert result.restricted == [RestrictedHit(agency="VN-MPS", id=PHONE)]
    (entry,) = audit.entries()
    assert entry["kind"] == "hit" and entry["arguments"]["restricted"] == [[PHONE, "VN-MPS"]]


async def test_hits_lookup_of_a_visible_id_is_no_hit(fixture_graph):
    result = await lookup(fixture_graph, VN, [PHONE])
    assert set(result.found) == {PHONE} and result.restricted == []


async def test_hits_search_names_the_owner_and_nothing_else(fixture_graph, audit):
    hits = await restricted_hits(fixture_graph, TH, "+84 98 765 4321", audit=audit)
    assert hits == [RestrictedHit(agency="VN-MPS")]
    assert await restricted_hits(fixture_graph, VN, "+84 98 765 4321") == []
    assert await restricted_hits(fixture_graph, DEMO_PRINCIPAL, "Zhao Wei") == []
    assert next(audit.entries())["operation"] == "restrictedHits"


async def test_hits_search_rejects_text_without_tokens(fixture_graph):
    with pytest.raises(InvalidArgument):
        await restricted_hits(fixture_graph, TH, "!!!")


async def test_share_opens_an_amber_entity_to_another_agency(fixture_graph, audit):
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])
    result = await share(fixture_graph, VN, [PHONE, "per-somchai"], ["TH-DSI"], audit=audit)
    assert result.nodes == [PHONE] and result.refused == ["per-somchai"] and result.ineffective == []
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])
    assert PHONE not in await get_nodes(fixture_graph, MY, [PHONE])
    (entry,) = audit.entries()
    assert entry["kind"] == "share" and entry["arguments"]["agencies"] == ["TH-DSI"]


async def test_share_subgraph_opens_red_relationship_only_when_relaxed(fixture_graph):
    before, = await relationships_of(fixture_graph, VN, [RED_REL_ENDS[0]])
    result = await share(fixture_graph, TH, list(RED_REL_ENDS), ["VN-MPS"])
    assert len(result.relationships) == 1 and result.ineffective == result.relationships
    still, = await relationships_of(fixture_graph, VN, [RED_REL_ENDS[0]])
    assert still.total == before.total
    relaxed = await share(fixture_graph, TH, list(RED_REL_ENDS), ["VN-MPS"], tlp="AMBER")
    assert relaxed.ineffective == []
    after, = await relationships_of(fixture_graph, VN, [RED_REL_ENDS[0]])
    assert after.total == before.total + 1
    assert (await get_nodes(fixture_graph, MY, ["per-zhao-wei"]))["per-zhao-wei"].properties["tlp"] == "GREEN"


async def test_unshare_closes_it_again(fixture_graph):
    await share(fixture_graph, VN, [PHONE], ["TH-DSI", "MY-PDRM"])
    result = await unshare(fixture_graph, VN, [PHONE], ["TH-DSI"])
    assert result.nodes == [PHONE]
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])
    assert PHONE in await get_nodes(fixture_graph, MY, [PHONE])


async def test_share_needs_an_agency_and_a_role(fixture_graph):
    with pytest.raises(Forbidden):
        await share(fixture_graph, DEMO_PRINCIPAL, [PHONE], ["TH-DSI"])
    with pytest.raises(Forbidden):
        await share(fixture_graph, Principal("x", agency="VN-MPS", roles=frozenset({"loader"})), [PHONE], ["TH-DSI"])
    with pytest.raises(InvalidArgument):
        await share(fixture_graph, VN, [PHONE], ["TH-DSI"], tlp="PURPLE")


async def test_access_request_granted_shares_the_ids_and_every_step_is_audited(fixture_graph, tmp_path, audit):
    requests = AccessRequestStore(tmp_path / "access.json")
    hit = (await lookup(fixture_graph, TH, [PHONE], audit=audit)).restricted[0]
    req = await file_request(fixture_graph, requests, TH, hit.agency, "case DSI-2025-0142: victim's second phone",
                             ids=[PHONE], audit=audit)
    assert req.status == "pending" and req.owner == "VN-MPS"
    assert [r.id for r in list_requests(requests, VN_SUP)] == [req.id]
    assert list_requests(requests, MY) == []
    with pytest.raises(Forbidden):
        await decide(fixture_graph, requests, VN, req.id, grant=True)
    with pytest.raises(Forbidden):
        await decide(fixture_graph, requests, TH_SUP, req.id, grant=True)
    done = await decide(fixture_graph, requests, VN_SUP, req.id, grant=True, note="ok for DSI", audit=audit)
    assert done.status == "granted" and done.shared == [PHONE] and done.decided_by == "sup-vn"
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])
    with pytest.raises(InvalidArgument, match="already granted"):
        await decide(fixture_graph, requests, VN_SUP, req.id, grant=False)
    ops = [e["operation"] for e in audit.entries()]
    # the request's ids are looked up again (a hit for their owner) before it is filed
    assert ops == ["lookup", "lookup", "accessRequest.file", "accessRequest.granting", "share", "accessRequest.decide"]
    assert verify_log(audit.path).ok


async def test_access_request_refused_shares_nothing(fixture_graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    req = await file_request(fixture_graph, requests, TH, "VN-MPS", "need it", text="+84 98 765 4321")
    done = await decide(fixture_graph, requests, VN_SUP, req.id, grant=False, note="not now")
    assert done.status == "refused" and done.note == "not now"
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])


async def test_access_request_for_a_text_needs_ids_to_grant(fixture_graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    req = await file_request(fixture_graph, requests, TH, "VN-MPS", "need it", text="+84 98 765 4321")
    with pytest.raises(InvalidArgument, match="ids"):
        await decide(fixture_graph, requests, VN_SUP, req.id, grant=True)
    assert (await decide(fixture_graph, requests, VN_SUP, req.id, grant=True, ids=[PHONE])).shared == [PHONE]


async def test_access_request_checks(fixture_graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    with pytest.raises(InvalidArgument):
        await file_request(fixture_graph, requests, TH, "TH-DSI", "mine", ids=["x"])
    with pytest.raises(InvalidArgument):
        await file_request(fixture_graph, requests, TH, "VN-MPS", "  ", ids=["x"])
    with pytest.raises(Forbidden):
        await file_request(fixture_graph, requests, DEMO_PRINCIPAL, "VN-MPS", "why", ids=["x"])
    req = await file_request(fixture_graph, requests, TH, "VN-MPS", "why", ids=[PHONE])
    with pytest.raises(NotFound):
        await decide(fixture_graph, requests, Principal("s", agency="MY-PDRM", roles=frozenset({"supervisor"})),
                     req.id, grant=True)
    with pytest.raises(NotFound):
        withdraw(requests, VN, req.id)
    assert withdraw(requests, TH, req.id).status == "withdrawn"
