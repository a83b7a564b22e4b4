"""The free text of an access request that the other agency wrote (the requester's reason, the
owner's note) is masked as the audit trail masks it: a third agency's hidden id reads <hidden> to
the owner's supervisor as it does to its auditor, and the writer reads its own text as typed
(attack round 19, A4: the supervisor read in clear what the auditor read masked)."""

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import Principal
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
KH_SUP = Principal("sup-kh", agency="KH-NP", roles=frozenset({"supervisor"}))
LIST = "{ accessRequests { reason note } }"


class Requests(Context):
    def __init__(self, store, principal, requests):
        super().__init__(store, principal, "r")
        self.access_requests = requests


async def _graph(store) -> None:
    await store.clear()
    for owner, node in (("KH-NP", "per-kh-1"), ("LA-MPS", "per-la-sec-1"), ("TH-DSI", "per-pub-1")):
        tlp = "GREEN" if owner == "TH-DSI" else "RED"
        await write_records(store, [NodeRecord("Person", node, {"name": node})],
                            provenance=Provenance(owner=owner, tlp=tlp), source="texts-test")


async def test_the_owner_reads_a_third_agencys_hidden_id_in_the_requesters_reason_masked(store, tmp_path):
    await _graph(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, VN, "KH-NP", "tied to per-la-sec-1 and per-pub-1", ids=["per-kh-1"])
    await decide(store, requests, KH_SUP, request.id, grant=False, note="ask per-kh-1's handler; not per-pub-1")
    owner = await schema.execute(LIST, context_value=Requests(store, KH_SUP, requests))
    requester = await schema.execute(LIST, context_value=Requests(store, VN, requests))
    assert owner.data["accessRequests"] == [{"reason": "tied to <hidden> and per-pub-1",
                                             "note": "ask per-kh-1's handler; not per-pub-1"}]
    assert requester.data["accessRequests"] == [{"reason": "tied to per-la-sec-1 and per-pub-1",
                                                 "note": "ask <hidden>'s handler; not per-pub-1"}]


async def test_an_access_requests_id_in_the_others_text_reads_as_written_whatever_a_third_agency_named(store, tmp_path):
    # attack round 21, C4: a third agency's RED person named after a request's id blanked it in both texts
    await _graph(store)
    requests = AccessRequestStore(tmp_path / "access.json")
    first = await file_request(store, requests, VN, "KH-NP", "case 0142", ids=["per-kh-1"])
    await write_records(store, [NodeRecord("Person", first.id, {"name": "decoy"})],
                        provenance=Provenance(owner="LA-MPS", tlp="RED"), source="texts-test")
    second = await file_request(store, requests, VN, "KH-NP", f"follow-up of request {first.id}", ids=["per-kh-1"])
    await decide(store, requests, KH_SUP, second.id, grant=False, note=f"see {first.id}")
    owner = await schema.execute(LIST, context_value=Requests(store, KH_SUP, requests))
    requester = await schema.execute(LIST, context_value=Requests(store, VN, requests))
    assert owner.data["accessRequests"][1]["reason"] == f"follow-up of request {first.id}"
    assert requester.data["accessRequests"][1]["note"] == f"see {first.id}"
