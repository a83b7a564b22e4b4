"""Access requests for a victim's phone: readers without ``victim-data`` read its token in
``accessRequests`` (and in what the mutations answer), never its id, which spells the number; a
supervisor grants by the token. Fixture: ``phone:+84987654321`` is VN-MPS's AMBER phone, hidden
from TH-DSI, used by TH-DSI's victim (the link asserted by VN-MPS, so it is protected for all)."""

import pytest

from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.access import AccessRequestStore
from graphapi.security.audit import AuditLog
from graphapi.security.victim_ids import victim_ids

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
VN_SUP_VICTIMS = Principal("sup-vn-2", agency="VN-MPS", roles=frozenset({"supervisor", "victim-data"}))
PHONE = "phone:+84987654321"
TOKEN = victim_ids().opaque(PHONE)
SCHEMA = build_schema()


class _Context(Context):
    def __init__(self, store, principal, audit, requests):
        super().__init__(store, principal, "r")
        self.audit = audit
        self.access_requests = requests


@pytest.fixture
def run(backend_store, tmp_path):
    audit, requests = AuditLog(tmp_path / "audit.jsonl"), AccessRequestStore(tmp_path / "access.json")

    async def run(principal, query, **variables):
        result = await SCHEMA.execute(query, variable_values=variables,
                                      context_value=_Context(backend_store, principal, audit, requests))
        assert result.errors is None, result.errors
        return result.data

    return run


async def _file(run) -> str:
    data = await run(TH, 'mutation ($ids: [String!]) { requestAccess(owner: "VN-MPS", reason: "case 0142", '
                         "ids: $ids) { id lintasIds } }", ids=[PHONE])
    assert data["requestAccess"]["lintasIds"] == [PHONE]  # hidden from TH-DSI: as typed, no victim known
    return data["requestAccess"]["id"]


async def test_the_owner_reads_a_victims_phone_in_access_requests_as_its_token(run):
    await _file(run)
    listed = await run(VN_SUP, "{ accessRequests { lintasIds } }")
    assert listed["accessRequests"] == [{"lintasIds": [TOKEN]}]
    officer = await run(VN_SUP_VICTIMS, "{ accessRequests { lintasIds } }")
    assert officer["accessRequests"] == [{"lintasIds": [PHONE]}]


async def test_a_grant_by_the_victims_token_shares_the_phone_and_answers_tokens(run):
    request_id = await _file(run)
    decided = await run(VN_SUP, "mutation ($id: String!, $ids: [String!]) { decideAccessRequest(id: $id, "
                                "grant: true, ids: $ids) { status lintasIds shared } }", id=request_id, ids=[TOKEN])
    assert decided["decideAccessRequest"] == {"status": "granted", "lintasIds": [TOKEN], "shared": [TOKEN]}
    requester = await run(TH, "{ accessRequests { lintasIds shared } }")
    assert requester["accessRequests"] == [{"lintasIds": [TOKEN], "shared": [TOKEN]}]
    shared = await run(TH, "query ($id: String!) { entity(id: $id) { tlp sharedWith } }", id=TOKEN)
    assert shared["entity"] == {"tlp": "AMBER", "sharedWith": ["TH-DSI"]}
