"""Injection attempts through every string argument (issue 4).

Every ``String``/``ID`` argument of every root field, and of ``Entity.relationships``, found by
walking the schema (so a new argument is covered without editing this file), receives Cypher,
full-text (RediSearch / Lucene), template and control-character payloads as a variable. Each
answer must be data or an expected error (never INTERNAL), must not contain the AMBER phone the
TH-DSI viewer may not see, and the graph must be unchanged afterwards. The security services'
string arguments get the same payloads; a payload stored by ``share`` is stored literally.
"""

import json

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLScalarType, get_named_type

from graphapi.errors import InvalidArgument, LintasError
from graphapi.investigate.entities import get_nodes
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.limits import limit_extensions
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.audit import AuditLog
from graphapi.security.hits import Lookup, lookup, restricted_hits
from graphapi.security.share import ShareResult, share
from graphapi.security.trail import read_trail
from graphapi.settings import Settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst", "auditor"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
HIDDEN = "84987654321"  # the AMBER phone of VN-MPS
EXPECTED_CODES = {"NOT_FOUND", "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}

PAYLOADS = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "x') WITH n MATCH (m) SET m.tlp = 'CLEAR' RETURN m //",
    "per-zhao-wei' OR n.tlp = 'RED",
    "$agency",
    "{{visible(n)}}",
    "*",
    "@caption:(zhao) | -@searchText:x",
    "zhao* OR tlp:RED OR owner:VN-MPS",
    "phone:+84987654321",
    "+84 98 765 4321",
    "Boss Zhao'; CALL db.labels() YIELD label RETURN label //",
    "\x00\x01\x1b[31m",
    "\\u0027 \\\\ % _ ` ´",
    "<script>alert(1)</script>",
    "ДЖ 張偉 ง ṇ " * 3,
    "a" * 5000,
]

SELECTIONS = {"SearchConnection": "edges { node { lintasId caption } }", "Subgraph": "nodes { lintasId caption }",
              "Path": "nodes { lintasId }"}


def _schema() -> LintasSchema:
    return LintasSchema(
        query=Query,
        types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        extensions=[PublicErrors, *limit_extensions(Settings())],
    )


def _type_str(t) -> str:
    if isinstance(t, GraphQLNonNull):
        return _type_str(t.of_type) + "!"
    if isinstance(t, GraphQLList):
        return f"[{_type_str(t.of_type)}]"
    return t.name


def _string_arg_cases(schema: LintasSchema) -> list[tuple[str, str, bool]]:
    """(operation text with $v, description, list-valued) for every string argument."""
    gql = schema._schema
    cases = []
    for fname, field in gql.query_type.fields.items():
        for aname, arg in field.args.items():
            named = get_named_type(arg.type)
            if not (isinstance(named, GraphQLScalarType) and named.name in ("String", "ID")):
                continue
            others = []
            for oname, other in field.args.items():
                if oname != aname and isinstance(other.type, GraphQLNonNull) and other.default_value is None:
                    others.append(f'{oname}: "per-somchai"' if oname != "toId" else f'{oname}: "per-zhao-wei"')
            args = ", ".join([f"{aname}: $v", *others])
            selection = SELECTIONS.get(get_named_type(field.type).name, "__typename")
            cases.append((f"query ($v: {_type_str(arg.type)}) {{ {fname}({args}) {{ {selection} }} }}",
                          f"{fname}.{aname}", isinstance(getattr(arg.type, "of_type", arg.type), GraphQLList)))
    entity = gql.get_type("Entity")
    for aname, arg in entity.fields["relationships"].args.items():
        if get_named_type(arg.type).name == "String":
            cases.append((
                f'query ($v: {_type_str(arg.type)}) {{ entity(id: "per-nguyen-van-an") '
                f"{{ relationships({aname}: $v) {{ totalCount edges {{ node {{ lintasId }} }} }} }} }}",
                f"Entity.relationships.{aname}", False,
            ))
    return cases


async def _counts(store) -> dict:
    (row,) = await store.read("ingest/count_graph")
    return row


async def test_injection_through_every_graphql_string_argument(fixture_graph):
    schema = _schema()
    cases = _string_arg_cases(schema)
    names = {c[1] for c in cases}
    assert {"entity.id", "entities.ids", "node.id", "search.text", "search.countries", "search.after",
            "neighborhood.id", "shortestPaths.fromId", "shortestPaths.toId",
            "Entity.relationships.since", "Entity.relationships.after"} <= names
    before = await _counts(fixture_graph)
    for query, name, is_list in cases:
        for payload in PAYLOADS:
            value = [payload] if is_list else payload
            result = await schema.execute(query, variable_values={"v": value},
                                          context_value=Context(fixture_graph, TH, "inj"))
            for error in result.errors or []:
                code = error.formatted["extensions"]["code"]
                assert code in EXPECTED_CODES, (name, payload[:40], error.formatted)
            assert HIDDEN not in json.dumps(result.data), (name, payload[:40])
    assert await _counts(fixture_graph) == before
    # The TLP of everything is as loaded: nothing was opened up.
    assert "phone:+84987654321" not in await get_nodes(fixture_graph, TH, ["phone:+84987654321"])


async def test_injection_through_the_security_services(fixture_graph, tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")
    requests = AccessRequestStore(tmp_path / "access.json")
    before = await _counts(fixture_graph)
    for payload in [p for p in PAYLOADS if "\x00" not in p]:  # NUL is refused at the GraphQL edge
        for call in (
            lambda p=payload: restricted_hits(fixture_graph, TH, p, audit=audit),
            lambda p=payload: lookup(fixture_graph, TH, [p], audit=audit),
            lambda p=payload: share(fixture_graph, TH, [p], ["VN-MPS"], audit=audit),
        ):
            try:
                result = await call()
            except LintasError:
                continue
            # A lookup names the id it was given, and share the ids it refused: only the rest counts.
            if isinstance(result, Lookup):
                shown = result.found
            elif isinstance(result, ShareResult):
                shown = result.nodes + result.relationships
            else:
                shown = result
            assert HIDDEN not in repr(shown), payload[:40]
        try:
            await file_request(fixture_graph, requests, TH, "VN-MPS", payload, ids=[payload], text=payload, audit=audit)
        except LintasError:
            pass
        read_trail(audit, TH, subject=payload, kind=payload, operation=payload, since=payload)
    assert await _counts(fixture_graph) == before
    weird = PAYLOADS[1]  # not an agency id: refused before any statement runs
    with pytest.raises(InvalidArgument, match="is not an agency id"):
        await share(fixture_graph, VN, ["phone:+84987654321"], [weird])
    node = (await get_nodes(fixture_graph, VN, ["phone:+84987654321"]))["phone:+84987654321"]
    assert weird not in (node.properties.get("sharedWith") or [])
    assert await _counts(fixture_graph) == before


@pytest.mark.parametrize("payload", ["phone:+84987654321", "+84 98 765 4321"])
async def test_injection_hidden_identifiers_answer_only_hit_no_hit(fixture_graph, payload):
    hits = await restricted_hits(fixture_graph, TH, payload) if payload.startswith("+") else (
        await lookup(fixture_graph, TH, [payload])
    ).restricted
    assert [h.agency for h in hits] == ["VN-MPS"]
