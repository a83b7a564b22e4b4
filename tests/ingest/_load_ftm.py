"""Shared helpers of the tests of the owner-narrowing rule: an FtM load by one agency, and what an agency reads."""
import json

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

SEEN = "2026-01-01T00:00:00Z"
PHONE = "+66812345678"
ANNA = {"name": ["Anna Lee"]}
TH_RECORD = {"name": ["Anna Lee"], "phone": [PHONE]}
#: KH-NP's organisation and its valueless Membership of p-1 in it (the echo tests), and the query of p-1's links.
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'
#: KH-NP's Membership of p-1 in o-1 (o-1 its placeholder) and another agency's of t-1 in o-1
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"],
                                                          "role": ["clerk"]}}
T1 = {"id": "t-1", "schema": "Person", "properties": {"name": ["Tom Lee"]}}
M2 = {"id": "m-2", "schema": "Membership", "properties": {"member": ["t-1"], "organization": ["o-1"],
                                                          "role": ["boss"]}}


def person(props, pid="p-1", op=None):
    doc = {"id": pid, "schema": "Person", "properties": props}
    return {"op": op, "entity": doc} if op else doc


async def load(store, tmp_path, agency, level, docs, source, *, replace=False, shared=()):
    f = tmp_path / f"{source}-{agency}-{level}-{len(list(tmp_path.iterdir()))}.ftm.json"
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, replace=replace,
                          viewer=agency, provenance=Provenance(agency, level, tuple(shared), SEEN))


async def reads(store, agency, query):
    principal = Principal(f"analyst-{agency.lower()}", agency=agency, roles=frozenset({"analyst"}))
    result = await graphql_schema.execute(query, context_value=Context(store, principal, "a-40a"))
    assert result.errors is None, result.errors
    return result.data


P1 = """{ entities(ids: ["p-1"]) { tlp ... on Person { name }
  relationships { totalCount edges { node { lintasId } } } } }"""
