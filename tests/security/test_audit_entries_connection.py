"""auditEntries: the audit trail as a Relay connection (new-user trial 7): string cursors both
ways, totalCount of the entries the reader may read, another agency's entries moving no count
or cursor; auditTrail keeps its first shape, deprecated, for one release."""

import pytest

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Mutation, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.audit import AuditLog

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
TH_AUDITOR = Principal("aud-th", agency="TH-DSI", roles=frozenset({"auditor"}))

SCHEMA = LintasSchema(query=Query, mutation=Mutation, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
                      extensions=[PublicErrors])
PAGE = """query ($first: Int, $after: String, $last: Int, $before: String) {
  auditEntries(kind: "query", first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { seq operation } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount
  } }"""


class AuditContext(Context):
    def __init__(self, store, principal, audit):
        super().__init__(store, principal, "req")
        self.audit = audit


@pytest.fixture
def trail(store, tmp_path):
    """Five TH-DSI queries in the log, and a runner of auditEntries pages for TH-DSI's auditor."""
    audit = AuditLog(tmp_path / "audit.jsonl")
    for k in range(5):
        audit.record(TH, f"op{k}", {}, 1)

    async def page(**variables):
        result = await SCHEMA.execute(PAGE, variable_values=variables,
                                      context_value=AuditContext(store, TH_AUDITOR, audit))
        return result.errors, result.data and result.data["auditEntries"]

    page.audit, page.store = audit, store
    return page


async def _walk(page, forward: bool) -> list[dict]:
    pages, cursor = [], None
    while True:
        errors, found = await page(**({"first": 2, "after": cursor} if forward else {"last": 2, "before": cursor}))
        assert errors is None
        pages.append(found)
        info = found["pageInfo"]
        if not (info["hasNextPage"] if forward else info["hasPreviousPage"]):
            return pages
        cursor = info["endCursor"] if forward else info["startCursor"]


def _operations(pages) -> list[str]:
    return [e["node"]["operation"] for p in pages for e in p["edges"]]


async def test_audit_entries_page_backward_through_the_forward_entries_in_reverse(trail):
    forward = await _walk(trail, forward=True)
    backward = await _walk(trail, forward=False)
    assert _operations(forward) == ["op0", "op1", "op2", "op3", "op4"]
    assert _operations(backward[::-1]) == _operations(forward)
    cursors = [e["cursor"] for p in forward for e in p["edges"]]
    assert [e["cursor"] for p in backward[::-1] for e in p["edges"]] == cursors
    assert {p["totalCount"] for p in forward + backward} == {5}
    assert (forward[1]["pageInfo"]["hasPreviousPage"], backward[1]["pageInfo"]["hasNextPage"]) == (True, True)


async def test_another_agencys_entries_change_no_audit_count_or_cursor(trail):
    before = await _walk(trail, forward=True)
    trail.audit.record(VN, "opVN", {}, 1)  # another agency's entries after every TH-DSI one
    trail.audit.record(VN, "opVN", {}, 1)
    after = await _walk(trail, forward=True)
    assert [([e["cursor"] for e in p["edges"]], p["totalCount"]) for p in after] == [
        ([e["cursor"] for e in p["edges"]], p["totalCount"]) for p in before]


async def test_audit_entries_refuse_a_foreign_cursor_and_mixed_directions(trail):
    errors, _ = await trail(last=2, before="bm90LWEtY3Vyc29y")
    assert errors[0].message == "before is not a valid audit cursor"
    assert errors[0].extensions["code"] == "BAD_USER_INPUT"
    _, first = await trail(first=1)
    errors, _ = await trail(first=1, before=first["pageInfo"]["endCursor"])
    assert errors[0].extensions["code"] == "BAD_USER_INPUT" and "not both" in errors[0].message


async def test_audit_trail_keeps_its_first_shape_deprecated(trail):
    result = await SCHEMA.execute('{ auditTrail(kind: "query", first: 2, after: 1) { entries { operation } '
                                  "hasNextPage endCursor } }",
                                  context_value=AuditContext(trail.store, TH_AUDITOR, trail.audit))
    assert result.errors is None
    assert result.data["auditTrail"] == {"entries": [{"operation": "op1"}, {"operation": "op2"}],
                                         "hasNextPage": True, "endCursor": 3}
    field = SCHEMA._schema.query_type.fields["auditTrail"]
    assert field.deprecation_reason.startswith("Use `auditEntries`")


async def test_audit_total_count_asked_by_many_aliases_scans_the_log_once(trail, monkeypatch):
    # attack round 25, F4: each alias rescanned the whole log, on the worker's event loop
    from graphapi.security import trail as trail_module

    scans, real = [], trail_module.count_trail

    def counted(*args, **kwargs):
        scans.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(trail_module, "count_trail", counted)
    aliases = " ".join(f'a{i}: auditEntries(kind: "query", first: 1) {{ totalCount }}' for i in range(5))
    result = await SCHEMA.execute(f"{{ {aliases} }}", context_value=AuditContext(trail.store, TH_AUDITOR, trail.audit))
    assert (result.errors, {v["totalCount"] for v in result.data.values()}, len(scans)) == (None, {5}, 1)

