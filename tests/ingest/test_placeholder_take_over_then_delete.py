"""KH-NP's AMBER link per-kh -> per-x (KH-NP's placeholder). TH-DSI loads per-x (takes it over), then
deletes it (DEL) or reloads it with replace. KH-NP's link must survive (KH-NP's data, its placeholder
end back), and a later GREEN per-x by VN-MPS must show KH-NP its link as when TH-DSI never touched it."""
import pytest
from ingest_helpers import Records, graph_counts

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = pytest.mark.backends
M = load_model()
RID = M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x")
Q = """query { entities(ids: ["per-kh"]) { relationships { totalCount edges { node { id caption } } } } }"""


async def load(store, owner, *recs, tlp="GREEN", replace=False):
    return await run_load(store, Records(*recs), source=f"ftm@{owner}",
                          provenance=Provenance(owner, tlp, seen="2026-01-01T00:00:00Z"), viewer=owner, replace=replace)


def px(owner, op="merge", label="Person"):
    props = {} if op == "delete" else {"name": "Somchai"}
    return NodeRecord(label, "per-x", props, Origin(f"ftm@{owner}", "t", 1), op=op)


async def kh_view(store):
    r = await graphql_schema.execute(Q, context_value=Context(store, Principal("a-kh", agency="KH-NP",
                                     roles=frozenset({"analyst"})), "apart"))
    assert r.errors is None, r.errors
    return r.data


async def world(store, th_steps):
    await store.clear()
    await load(store, "KH-NP", NodeRecord("Person", "per-kh", {"name": "Sok"}, Origin("ftm@KH-NP", "k", 1)),
               EdgeRecord("ASSOCIATE_OF", RID, "per-kh", "per-x", {}, Origin("ftm@KH-NP", "k", 2)), tlp="AMBER")
    for step in th_steps:
        await step(store)
    await load(store, "VN-MPS", px("VN-MPS"))
    return await kh_view(store), await graph_counts(store)


async def th_person(store):
    return await load(store, "TH-DSI", px("TH-DSI"))


async def th_company(store):
    return await load(store, "TH-DSI", px("TH-DSI", label="Company"))


async def th_delete(store):
    return await load(store, "TH-DSI", px("TH-DSI", op="delete"))


async def th_delete_company(store):
    return await load(store, "TH-DSI", px("TH-DSI", op="delete", label="Company"))


async def th_replace_empty(store):
    return await load(store, "TH-DSI", NodeRecord("Person", "per-other", {"name": "x"}, Origin("ftm@TH-DSI", "t", 1)),
                      replace=True)


@pytest.mark.parametrize("steps", [[th_person, th_delete], [th_company, th_delete_company],
                                   [th_person, th_replace_empty]], ids=["del", "company-del", "replace"])
async def test_another_agencys_link_survives_the_owners_take_over_and_delete(empty_store, steps):
    base = await world(empty_store, [])
    got = await world(empty_store, steps)
    assert got[0] == base[0]
