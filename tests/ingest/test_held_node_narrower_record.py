"""Differential on a held-apart node taken over under another label (b-held H1, take_over_label):
TH-DSI GREEN person per-x, VN-MPS's AMBER record on it (kept apart), TH-DSI DEL: per-x is held apart
for VN-MPS. KH-NP then loads per-x as a Company at RED (only KH-NP may see it) or loads nothing.
VN-MPS's view of per-x (and of TH-DSI, a third agency) must not change with KH-NP's hidden load."""
import pytest
from ingest_helpers import Records

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = pytest.mark.backends
Q = """query { entities(ids: ["per-x"]) { id caption __typename sources
  values(property: "alias") { value } relationships { totalCount } }
  search(text: "Kraisorn") { totalCount } }"""


async def load(store, owner, *recs, tlp="GREEN"):
    return await run_load(store, Records(*recs), source=f"ftm@{owner}",
                          provenance=Provenance(owner, tlp, seen="2026-01-01T00:00:00Z"), viewer=owner)


def px(owner, label="Person", props=None, op="merge"):
    return NodeRecord(label, "per-x", props or {}, Origin(f"ftm@{owner}", "x", 1), op=op)


async def read(store, agency):
    r = await graphql_schema.execute(Q, context_value=Context(store, Principal(f"a-{agency}", agency=agency,
                                     roles=frozenset({"analyst"})), "apart"))
    return {"errors": [e.message for e in r.errors or []], "data": r.data}


async def world(store, kh):
    await store.clear()
    await load(store, "TH-DSI", px("TH-DSI", props={"name": "Somchai Jaidee"}))
    await load(store, "VN-MPS", px("VN-MPS", props={"name": "Somchai Jaidee", "alias": ["Kraisorn"]}), tlp="AMBER")
    await load(store, "TH-DSI", px("TH-DSI", op="delete"))
    if kh:
        label, tlp = kh
        await load(store, "KH-NP", px("KH-NP", label, {"name": "Somchai Co"}), tlp=tlp)
    return {a: await read(store, a) for a in ("VN-MPS", "TH-DSI")}


@pytest.mark.parametrize("kh", [("Company", "RED"), ("Person", "RED")], ids=lambda t: "-".join(t))
async def test_a_narrower_record_on_a_held_node_leaves_its_holders_view_as_it_was(empty_store, kh):
    base = await world(empty_store, None)
    got = await world(empty_store, kh)
    assert got == base
