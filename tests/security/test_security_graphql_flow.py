"""The security surface through GraphQL: hit / no-hit, access request, grant, share, audit trail."""

import pytest

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Mutation, Query
from graphapi.schema.security_audit import AuditOperations
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.access import AccessRequestStore
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.victim_ids import victim_ids

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_AUDITOR = Principal("aud-th", agency="TH-DSI", roles=frozenset({"auditor"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
PHONE = "phone:+84987654321"

SCHEMA = LintasSchema(
    query=Query,
    mutation=Mutation,
    types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
    extensions=[AuditOperations, PublicErrors],
)


class SecureContext(Context):
    def __init__(self, store, principal, audit, requests):
        super().__init__(store, principal, "req")
        self.audit = audit
        self.access_requests = requests


@pytest.fixture
def run(fixture_graph, tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")
    requests = AccessRequestStore(tmp_path / "access.json")

    async def run(principal, query, **variables):
        result = await SCHEMA.execute(
            query, variable_values=variables, context_value=SecureContext(fixture_graph, principal, audit, requests)
        )
        return result

    run.audit = audit
    return run


async def test_security_graphql_hit_request_grant_and_audit(run):
    r = await run(TH, "query ($ids: [String!]!) { restrictedLookup(ids: $ids) { owner lintasId } }", ids=[PHONE])
    assert r.errors is None and r.data["restrictedLookup"] == [{"owner": "VN-MPS", "lintasId": PHONE}]
    r = await run(TH, '{ restrictedHits(text: "+84 98 765 4321") { owner lintasId } }')
    assert r.data["restrictedHits"] == [{"owner": "VN-MPS", "lintasId": None}]
    r = await run(TH, 'mutation ($ids: [String!]) { requestAccess(owner: "VN-MPS", reason: "case 0142", ids: $ids) '
                      "{ id status owner } }", ids=[PHONE])
    assert r.errors is None
    request_id = r.data["requestAccess"]["id"]
    # the phone is a victim's (TH-DSI's victim uses it): VN-MPS's supervisor, without victim-data, reads its token
    token = victim_ids().opaque(PHONE)
    r = await run(VN_SUP, "{ accessRequests(status: \"pending\") { id requesterAgency lintasIds } }")
    assert r.data["accessRequests"] == [{"id": request_id, "requesterAgency": "TH-DSI", "lintasIds": [token]}]
    r = await run(VN_SUP, "mutation ($id: String!) { decideAccessRequest(id: $id, grant: true) { status shared } }",
                  id=request_id)
    assert r.errors is None and r.data["decideAccessRequest"] == {"status": "granted", "shared": [token]}
    # the phone is a victim's: now that TH-DSI sees it, its analysts reach it by its token only
    r = await run(TH, "query ($id: String!) { entity(id: $id) { lintasId owner tlp sharedWith } }", id=PHONE)
    assert r.data["entity"] is None
    r = await run(TH, "{ accessRequests { lintasIds shared } }")
    assert r.data["accessRequests"] == [{"lintasIds": [token], "shared": [token]}]
    r = await run(TH, "query ($id: String!) { entity(id: $id) { owner tlp sharedWith } }", id=token)
    assert r.data["entity"] == {"owner": "VN-MPS", "tlp": "AMBER", "sharedWith": ["TH-DSI"]}

    r = await run(TH, "{ auditTrail { entries { seq } } }")
    assert r.errors[0].formatted["extensions"]["code"] == "FORBIDDEN"
    r = await run(TH_AUDITOR, '{ auditTrail(kind: "access") { entries { operation subject arguments } } }')
    operations = [e["operation"] for e in r.data["auditTrail"]["entries"]]
    assert operations == ["accessRequest.file", "accessRequest.granting", "accessRequest.decide", "accessRequest.list"]
    r = await run(TH_AUDITOR, '{ auditTrail(subject: "analyst-th", kind: "query") { entries { operation outcome } } }')
    ops = [(e["operation"], e["outcome"]) for e in r.data["auditTrail"]["entries"]]
    assert ops[:2] == [("restrictedLookup", "ok"), ("restrictedHits", "ok")]
    assert ("auditTrail", "error:FORBIDDEN") in ops
    assert verify_log(run.audit.path).ok


async def test_restricted_hit_agency_is_a_deprecated_name_of_owner(run):
    # clients written against the first name keep working (trial 6: every other type says `owner`)
    r = await run(TH, '{ restrictedHits(text: "+84 98 765 4321") { owner agency } }')
    assert r.errors is None and r.data["restrictedHits"] == [{"owner": "VN-MPS", "agency": "VN-MPS"}]
    r = await run(TH, '{ __type(name: "RestrictedHit") { fields(includeDeprecated: true) '
                      "{ name isDeprecated deprecationReason } } }")
    fields = {f["name"]: (f["isDeprecated"], f["deprecationReason"]) for f in r.data["__type"]["fields"]}
    assert fields["owner"] == (False, None)
    assert fields["agency"] == (True, "Use `owner`, the name the rest of the schema uses.")


async def test_security_graphql_share_and_errors(run):
    r = await run(TH, 'mutation { share(ids: ["per-zhao-wei", "per-aung-kyaw"], agencies: ["VN-MPS"], tlp: AMBER) '
                      "{ nodes relationships refused ineffective } }")
    assert r.errors is None
    result = r.data["share"]
    assert result["nodes"] == ["per-aung-kyaw", "per-zhao-wei"] and len(result["relationships"]) >= 1
    r = await run(VN_SUP, 'mutation { share(ids: ["per-zhao-wei"], agencies: ["MY-PDRM"]) { refused } }')
    assert r.data["share"]["refused"] == ["per-zhao-wei"]
    r = await run(TH, 'mutation { requestAccess(owner: "TH-DSI", reason: "x", ids: ["a"]) { id } }')
    assert r.errors[0].formatted["extensions"]["code"] == "BAD_USER_INPUT"
