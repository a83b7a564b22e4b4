"""Every GraphQL operation leaves one audit entry: who, what, arguments, result size, outcome."""

from functools import partial

import pytest

from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_audit import AuditOperations, count_objects
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def _schema(log: AuditLog) -> LintasSchema:
    return LintasSchema(
        query=Query,
        types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        extensions=[partial(AuditOperations, sink=log), PublicErrors],
    )


async def test_audit_operations_records_who_what_and_how_much(fixture_graph, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    schema = _schema(log)
    query = "query Find($t: String!) { search(text: $t) { edges { node { lintasId } } } }"
    result = await schema.execute(query, variable_values={"t": "zhao"}, context_value=Context(fixture_graph, TH, "r1"))
    assert result.errors is None
    await schema.execute('{ entity(id: "nope") { caption } }', context_value=Context(fixture_graph, TH, "r2"))
    await schema.execute("{ entity(id: ", context_value=Context(fixture_graph, TH, "r3"))
    first, second, third = log.entries()
    assert (first["subject"], first["agency"], first["kind"], first["operation"]) == (
        "analyst-th", "TH-DSI", "query", "Find"
    )
    assert first["arguments"]["variables"] == {"t": "zhao"} and first["arguments"]["fields"] == ["search"]
    assert first["resultSize"] == count_objects(result.data) == 3 and first["outcome"] == "ok"
    assert second["operation"] == "entity" and second["outcome"] == "error:NOT_FOUND" and second["requestId"] == "r2"
    assert third["kind"] == "invalid" and third["outcome"] == "error:GRAPHQL_PARSE_FAILED"
    assert verify_log(log.path).ok


def test_audit_count_objects():
    assert count_objects({"a": {"b": [{"c": 1}, {"c": 2}], "d": None}}) == 3
    assert count_objects(None) == 0
