"""``expand``, ``edgesAmong`` and ``paths`` as GraphQL fields: the planted answers, victims' ids as
`vid:` tokens through the redaction extension (and taken back as arguments), over-large requests
refused by the cost limit before any resolver runs."""

import base64
from functools import partial

import pytest

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import limit_extensions
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_audit import AuditOperations
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.victim_ids import victim_ids
from graphapi.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")

LA = Principal("analyst-la", agency="LA-MPS", roles=frozenset({"analyst"}))


def _schema(log: AuditLog) -> LintasSchema:
    return LintasSchema(
        query=Query,
        types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        extensions=[partial(AuditOperations, sink=log), PublicErrors, RedactVictims, *limit_extensions(Settings())],
    )


async def _run(store, tmp_path, query, variables=None):
    log = AuditLog(tmp_path / "audit.jsonl")
    result = await _schema(log).execute(query, variable_values=variables, context_value=Context(store, LA, "r"))
    return result, list(log.entries())


EXPAND = """query X($ids: [String!]!, $per: Int) {
  expand(ids: $ids, limitPerNode: $per) {
    truncated
    nodes { lintasId }
    edges { sourceId targetId type }
    truncatedNodes { id lintasId shown total entity { lintasId caption } }
  }
}"""


async def test_expand_field_answers_the_supernode_cut_and_is_audited(planted_store, tmp_path):
    store, p = planted_store
    result, entries = await _run(store, tmp_path, EXPAND, {"ids": [p.identifiers["hotline"]], "per": 3})
    assert result.errors is None, result.errors
    data = result.data["expand"]
    assert len(data["nodes"]) == 4 and data["truncated"] is True
    assert data["truncatedNodes"] == [{"id": base64.b64encode(f"Phone:{p.identifiers['hotline']}".encode()).decode(),
                                       "lintasId": p.identifiers["hotline"], "shown": 3, "total": 13,
                                       "entity": {"lintasId": p.identifiers["hotline"], "caption": "+66191"}}]
    (entry,) = entries
    assert entry["arguments"]["fields"] == ["expand"] and entry["outcome"] == "ok"


async def test_expand_field_shows_a_truncated_victim_as_its_token(planted_store, tmp_path):
    store, p = planted_store
    # Without victim-data the victim is reached by its token only (its real id answers "no entity").
    token = victim_ids().opaque(p.people["T2"])
    result, _ = await _run(store, tmp_path, EXPAND, {"ids": [token], "per": 1})
    assert result.errors is None, result.errors
    (cut,) = result.data["expand"]["truncatedNodes"]
    assert cut["lintasId"].startswith("vid:") and cut["entity"]["lintasId"] == cut["lintasId"]
    assert base64.b64decode(cut["id"]).decode() == f"Person:{cut['lintasId']}"
    assert (cut["shown"], cut["total"]) == (1, 2)
    assert p.people["T2"] not in str(result.data) and cut["lintasId"] == token
    # The token is taken back as a seed.
    again, _ = await _run(store, tmp_path, EXPAND, {"ids": [cut["lintasId"]], "per": 1})
    assert again.data["expand"]["truncatedNodes"][0]["lintasId"] == cut["lintasId"]


async def test_expand_field_too_deep_and_wide_is_refused_by_the_cost_limit(planted_store, tmp_path):
    store, p = planted_store
    before = store.stats.round_trips
    query = '{ expand(ids: ["x"], depth: 4, limit: 1000) { truncated } }'
    result, _ = await _run(store, tmp_path, query)
    assert result.data is None
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "exceeds the limit of 100000" in result.errors[0].message
    assert store.stats.round_trips == before


async def test_expand_field_bad_country_is_a_graphql_error(planted_store, tmp_path):
    store, p = planted_store
    query = 'query X($id: String!) { expand(ids: [$id], countries: ["Narnia"]) { truncated } }'
    result, _ = await _run(store, tmp_path, query, {"id": p.people["R1"]})
    assert list(result.data.values()) == [None] and result.errors[0].extensions["code"] == "BAD_USER_INPUT"
    assert "countries must be ISO 3166-1 alpha-2 codes" in result.errors[0].message


async def test_edges_among_field_relinks_the_chart(planted_store, tmp_path):
    store, p = planted_store
    ppl = p.people
    query = "query E($ids: [String!]!) { edgesAmong(ids: $ids) { nodes { lintasId } edges { sourceId targetId } } }"
    result, _ = await _run(store, tmp_path, query, {"ids": [ppl["R1"], ppl["R2"], p.identifiers["ring-phone"]]})
    assert result.errors is None, result.errors
    data = result.data["edgesAmong"]
    assert [n["lintasId"] for n in data["nodes"]] == [ppl["R1"], ppl["R2"], p.identifiers["ring-phone"]]
    assert sorted(e["sourceId"] for e in data["edges"]) == sorted([ppl["R1"], ppl["R2"]])


PATHS = """query P($from: String!, $to: String!, $avoid: [String!], $cross: Boolean!) {
  paths(fromId: $from, toId: $to, mode: K_SHORTEST, k: 4, avoidIds: $avoid, crossBorder: $cross) {
    truncated
    paths { length nodes { lintasId } borders { hop kind fromCountries toCountries } }
  }
}"""


async def test_paths_field_answers_the_cross_border_route_with_its_borders(planted_store, tmp_path):
    store, p = planted_store
    ppl = p.people
    result, entries = await _run(store, tmp_path, PATHS, {"from": ppl["victim"], "to": ppl["boss"], "cross": True})
    assert result.errors is None, result.errors
    (path,) = result.data["paths"]["paths"]
    assert [n["lintasId"] for n in path["nodes"]] == [ppl["victim"], ppl["recruiter"], "cmp-pl-1", ppl["boss"]]
    assert path["borders"] == [
        {"hop": 0, "kind": "COUNTRY_CHANGE", "fromCountries": ["VN"], "toCountries": ["TH"]},
        {"hop": 1, "kind": "COUNTRY_CHANGE", "fromCountries": ["TH"], "toCountries": ["MM"]},
    ]
    assert entries[0]["arguments"]["fields"] == ["paths"]


async def test_paths_field_shows_a_victim_as_its_token_and_takes_it_back(planted_store, tmp_path):
    store, p = planted_store
    ppl = p.people
    token = victim_ids().opaque(ppl["T2"])  # the victim's real id answers "no entity" without victim-data
    result, _ = await _run(store, tmp_path, PATHS, {"from": ppl["T1"], "to": token, "cross": False})
    assert result.errors is None, result.errors
    ends = {path["nodes"][-1]["lintasId"] for path in result.data["paths"]["paths"]}
    assert ends == {token} and ppl["T2"] not in str(result.data)
    typed, _ = await _run(store, tmp_path, PATHS, {"from": ppl["T1"], "to": ppl["T2"], "cross": False})
    assert list(typed.data.values()) == [None] and typed.errors[0].message == f"no entity with id {ppl['T2']!r}"


async def test_paths_field_unknown_mode_is_a_graphql_error(planted_store, tmp_path):
    store, p = planted_store
    query = 'query P($a: String!) { paths(fromId: $a, toId: $a, mode: LONGEST) { truncated } }'
    result, _ = await _run(store, tmp_path, query, {"a": p.people["R1"]})
    assert result.data is None and result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


SYNDICATES = """query S($ids: [String!]!) {
  syndicates(ids: $ids, depth: 2) {
    members { entity { lintasId } community betweenness }
    communities { id size brokers { lintasId } }
    subgraph { truncated }
  }
}"""


async def test_syndicates_field_answers_the_planted_communities(planted_store, tmp_path):
    store, p = planted_store
    result, entries = await _run(store, tmp_path, SYNDICATES, {"ids": [p.people["broker"]]})
    assert result.errors is None, result.errors
    data = result.data["syndicates"]
    assert [(c["id"], c["size"]) for c in data["communities"]] == [(0, 6), (1, 5)]
    assert data["communities"][0]["brokers"][0]["lintasId"] == p.people["broker"]
    assert len(data["members"]) == 11 and data["subgraph"]["truncated"] is False
    assert entries[0]["arguments"]["fields"] == ["syndicates"]


async def test_syndicates_field_shows_victims_as_tokens(planted_store, tmp_path):
    store, p = planted_store
    result, _ = await _run(store, tmp_path, SYNDICATES, {"ids": [p.people["T1"]]})
    assert result.errors is None, result.errors
    shown = [m["entity"]["lintasId"] for m in result.data["syndicates"]["members"]]
    assert any(i.startswith("vid:") for i in shown) and p.people["T2"] not in str(result.data)


async def test_brokers_field_ranks_the_planted_broker_first(planted_store, tmp_path):
    store, p = planted_store
    query = """query B($a: [String!]!, $b: [String!]!) {
      brokers(groupA: $a, groupB: $b, depth: 3, first: 1) { brokers { score entity { lintasId } } } }"""
    result, _ = await _run(store, tmp_path, query, {"a": [p.people["N3"]], "b": [p.people["S3"]]})
    assert result.errors is None, result.errors
    assert result.data["brokers"]["brokers"] == [{"score": 1.0, "entity": {"lintasId": p.people["broker"]}}]


async def test_brokers_scope_limit_is_the_scope_and_limit_its_deprecated_former_name(planted_store, tmp_path):
    store, p = planted_store
    query = """query B($a: [String!]!, $b: [String!]!, $scope: Int, $limit: Int) {
      brokers(groupA: $a, groupB: $b, depth: 3, first: 1, scopeLimit: $scope, limit: $limit) {
        brokers { entity { lintasId } } subgraph { truncated } } }"""
    groups = {"a": [p.people["N3"]], "b": [p.people["S3"]]}
    by_scope, _ = await _run(store, tmp_path, query, {**groups, "scope": 2})
    by_limit, _ = await _run(store, tmp_path, query, {**groups, "limit": 2})
    assert by_scope.errors is None and by_scope.data == by_limit.data
    assert by_scope.data["brokers"]["subgraph"]["truncated"] is True  # two entities: the scope was cut
    both, _ = await _run(store, tmp_path, query, {**groups, "scope": 2, "limit": 2})
    assert both.errors[0].extensions["code"] == "BAD_USER_INPUT"
    nought, _ = await _run(store, tmp_path, query, {**groups, "scope": 0})  # said by the name given (round 25, F6)
    assert nought.errors[0].message.startswith("scopeLimit must be between 1 and ")


async def test_brokers_scope_limit_is_paid_for_as_limit_was(planted_store, tmp_path):
    store, p = planted_store
    # Two scopes of 50,000 entities, by either name: over the cost limit
    for name in ("scopeLimit", "limit"):
        query = (f'{{ a: brokers(groupA: ["x"], groupB: ["y"], {name}: 50000) {{ brokers {{ score }} }} '
                 f'b: brokers(groupA: ["x"], groupB: ["y"], {name}: 50000) {{ brokers {{ score }} }} }}')
        result, _ = await _run(store, tmp_path, query)
        assert result.data is None and "exceeds the limit of 100000" in result.errors[0].message


async def test_syndicates_field_too_large_a_scope_is_refused_by_the_cost_limit(planted_store, tmp_path):
    store, p = planted_store
    # Two scopes of 50,000 entities: each entity is read once, 2 x 50,000 of work and their answers.
    query = ('{ a: syndicates(ids: ["x"], depth: 3, limit: 50000) { communities { id } } '
             'b: syndicates(ids: ["y"], depth: 3, limit: 50000) { communities { id } } }')
    result, _ = await _run(store, tmp_path, query)
    assert result.data is None and "exceeds the limit of 100000" in result.errors[0].message
