"""``requestAccess`` files only bounded requests for ids hidden from the requester and held by
the owner asked (issue 10, adversarial items 3-5): a request naming a third agency's ids showed
them to the owner in clear, any owner string and any size was accepted (access.json grew to 23 MB
and stalled the event loop), and the access steps' audit entries had no request id."""

import threading

import pytest

from graphapi.errors import InvalidArgument
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal, access
from graphapi.security.access import IDS_REFUSED, MAX_PENDING, AccessRequestStore, file_request, list_requests
from graphapi.security.audit import AuditLog

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst", "auditor"}))
KH_SUP = Principal("sup-kh", agency="KH-NP", roles=frozenset({"supervisor"}))
KH_ACCOUNT = "account:KH:ABA:9990001112"


@pytest.fixture
async def graph(empty_store):
    """RED items of KH-NP, of VN-MPS, and of TH-DSI itself."""
    for owner, ids in (("KH-NP", ["kh-secret-1"]), ("VN-MPS", ["vn-secret-1"]), ("TH-DSI", ["th-own"])):
        await write_records(empty_store, [NodeRecord("Person", i, {"name": f"Person {i}"}) for i in ids],
                            provenance=Provenance(owner=owner, tlp="RED"), source=owner.lower())
    account = NodeRecord("BankAccount", KH_ACCOUNT, {"accountKey": KH_ACCOUNT.removeprefix("account:")})
    await write_records(empty_store, [account], provenance=Provenance(owner="KH-NP", tlp="RED"), source="kh-np")
    return empty_store


@pytest.fixture
def requests(tmp_path) -> AccessRequestStore:
    return AccessRequestStore(tmp_path / "access.json")


async def test_request_naming_a_third_agencys_ids_is_refused_and_the_owner_never_sees_them(graph, requests):
    with pytest.raises(InvalidArgument) as refused:
        await file_request(graph, requests, TH, "KH-NP", "case 1", ids=["kh-secret-1", "vn-secret-1", KH_ACCOUNT])
    assert str(refused.value) == IDS_REFUSED
    assert list_requests(requests, KH_SUP) == []


@pytest.mark.parametrize("ids", [["kh-secret-1", "no-such-id"], ["kh-secret-1", "th-own"], ["vn-secret-1"]])
async def test_request_for_unknown_visible_or_other_owners_ids_gets_one_error_naming_no_id(graph, requests, ids):
    with pytest.raises(InvalidArgument) as refused:
        await file_request(graph, requests, TH, "KH-NP", "case 1", ids=ids)
    assert str(refused.value) == IDS_REFUSED and not any(i in str(refused.value) for i in ids)


async def test_request_for_ids_hidden_and_held_by_the_owner_is_filed(graph, requests):
    filed = await file_request(graph, requests, TH, "KH-NP", "case 1", ids=["kh-secret-1", KH_ACCOUNT])
    assert [(r.id, r.ids) for r in list_requests(requests, KH_SUP)] == [(filed.id, ["kh-secret-1", KH_ACCOUNT])]


@pytest.mark.parametrize("owner", ["\x01", "", "KH NP", "K" * 65, "-KH"])
async def test_request_owner_must_be_an_agency_id(graph, requests, owner):
    with pytest.raises(InvalidArgument, match="owner must be an agency id"):
        await file_request(graph, requests, TH, owner, "case 1", text="Person kh-secret-1")


async def test_request_reason_and_text_are_bounded(graph, requests):
    with pytest.raises(InvalidArgument, match="reason"):
        await file_request(graph, requests, TH, "KH-NP", "r" * 2_001, text="x")
    with pytest.raises(InvalidArgument, match="text"):
        await file_request(graph, requests, TH, "KH-NP", "case 1", text="t" * 2_001)


async def test_request_ids_are_at_most_100_canonical_ids(graph, requests):
    with pytest.raises(InvalidArgument, match="at most 100 ids"):
        await file_request(graph, requests, TH, "KH-NP", "case 1", ids=[f"kh-{i}" for i in range(101)])
    with pytest.raises(InvalidArgument, match=r"ids\[0\]"):
        await file_request(graph, requests, TH, "KH-NP", "case 1", ids=["kh\x00secret"])


async def test_a_principal_has_at_most_20_pending_requests(graph, requests):
    for i in range(MAX_PENDING):
        await file_request(graph, requests, TH, "KH-NP", f"case {i}", text="Person kh-secret-1")
    with pytest.raises(InvalidArgument, match="at most 20 pending"):
        await file_request(graph, requests, TH, "KH-NP", "one more", text="Person kh-secret-1")
    assert len(list_requests(requests, KH_SUP)) == MAX_PENDING


async def test_filing_writes_the_request_file_off_the_event_loop(graph, requests, monkeypatch):
    writers: list[threading.Thread] = []
    add = access._add
    monkeypatch.setattr(access, "_add", lambda *a: (writers.append(threading.current_thread()), add(*a)))
    await file_request(graph, requests, TH, "KH-NP", "case 1", text="Person kh-secret-1")
    assert len(writers) == 1 and writers[0] is not threading.current_thread()


async def test_security_operations_audit_the_graphql_request_id(graph, requests, tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")
    context = Context(graph, TH, "req-42", audit=audit, access_requests=requests)
    for query in ('{ restrictedHits(text: "Person kh-secret-1") { agency } }',
                  '{ restrictedLookup(ids: ["kh-secret-1"]) { agency } }',
                  'mutation { requestAccess(owner: "KH-NP", reason: "case 1", ids: ["kh-secret-1"]) { id } }',
                  "{ accessRequests { id } }",
                  "{ auditTrail(first: 1) { totalShown: entries { seq } } }"):
        result = await graphql_schema.execute(query, context_value=context)
        assert result.errors is None, query
    entries = list(audit.entries())
    assert {e["operation"] for e in entries} >= {"restrictedHits", "lookup", "accessRequest.file",
                                                 "accessRequest.list", "auditTrail"}
    assert {e["requestId"] for e in entries} == {"req-42"}
