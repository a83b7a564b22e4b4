"""A DEL that takes a node's last statement leaves none of its values, whatever source remains in
its ``sources``: the node ends as its links' placeholder (``unresolved``, no value). A source that
only ever referred to the node (a placeholder's, which asserted no value) stayed in ``sources``, the
rebuild took the node for one written before the statement model, and VN-MPS's deleted name stayed
on v-1 with no statement, read by KH-NP's analyst as KH-NP's (attack round a-102, 2). A node no
statement ever said (written before the model) keeps its values, as before. A replace whose new
version only refers to the node it stated leaves it so too."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_breaker_checks_widenings import LIMIT, _load, _o
from tests.store_kills import killed_after_write

pytestmark = pytest.mark.backends


async def _vn_mps_states_its_placeholder(store) -> None:
    """VN-MPS's "shared" load links its v-2 to v-1 (v-1 its placeholder); its "vn" load states v-1."""
    await _load(store, "VN-MPS", "AMBER", "shared", NodeRecord("Person", "v-2", {"name": "v two"}, _o("shared", 1)),
                NodeRecord("Person", "v-1", {}, _o("shared", 2), unresolved=True),
                EdgeRecord("ASSOCIATE_OF", "va", "v-2", "v-1", {}, _o("shared", 2)), shared=["KH-NP"])
    await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "v-1", {"name": "v one"}, _o("vn", 1)),
                shared=["KH-NP"])


async def _vn_mps_states_kh_nps_placeholder(store, ks: str, vs: str) -> None:
    """KH-NP's ``ks`` links its k-9 to v-1 (KH-NP's AMBER placeholder, shared with VN-MPS); VN-MPS's
    ``vs`` states v-1 at AMBER shared with KH-NP: v-1 stays KH-NP's, named by VN-MPS's statement."""
    await _load(store, "KH-NP", "AMBER", ks, NodeRecord("Person", "k-9", {"name": "k nine"}, _o(ks, 1)),
                NodeRecord("Person", "v-1", {}, _o(ks, 2), unresolved=True),
                EdgeRecord("ASSOCIATE_OF", "k9", "k-9", "v-1", {}, _o(ks, 2)), shared=["VN-MPS"])
    await _load(store, "VN-MPS", "AMBER", vs, NodeRecord("Person", "v-1", {"name": "v one"}, _o(vs, 1)),
                shared=["KH-NP"])


async def _vn_mps_deletes_v1(store, vs: str) -> None:
    await _load(store, "VN-MPS", "AMBER", vs, NodeRecord("Person", "v-1", {}, _o(vs, 1), op="delete"),
                shared=["KH-NP"])


async def _v1(store) -> tuple[dict, list]:
    [p] = await store.read("ingest/existing_nodes", {"ids": ["v-1"]})
    return ({k: p["props"].get(k) for k in ("owner", "name", "sources", "unresolved")},
            await store.read("provenance/statements_of", {"ids": ["v-1"]}))


async def test_a_del_of_its_own_placeholders_last_statement_leaves_it_a_placeholder_with_no_name(empty_store):
    await _vn_mps_states_its_placeholder(empty_store)
    await _vn_mps_deletes_v1(empty_store, "vn")
    assert await _v1(empty_store) == (
        {"owner": "VN-MPS", "name": None, "sources": ["shared"], "unresolved": True}, [])


@pytest.mark.parametrize("ks, vs", [("kshared", "vn"), ("csv@KH-NP", "csv@VN-MPS")], ids=["plain", "scoped"])
async def test_a_del_of_the_last_statement_of_another_agencys_placeholder_leaves_it_no_name(empty_store, ks, vs):
    await _vn_mps_states_kh_nps_placeholder(empty_store, ks, vs)
    await _vn_mps_deletes_v1(empty_store, vs)
    node, statements = await _v1(empty_store)
    assert ({k: node[k] for k in ("owner", "name", "unresolved")}, statements) == (
        {"owner": "KH-NP", "name": None, "unresolved": True}, [])


@pytest.mark.parametrize("ks, vs", [("kshared", "vn"), ("csv@KH-NP", "csv@VN-MPS")], ids=["plain", "scoped"])
async def test_kh_nps_analyst_reads_no_name_vn_mps_deleted_from_kh_nps_placeholder(empty_store, ks, vs):
    await _vn_mps_states_kh_nps_placeholder(empty_store, ks, vs)
    await _vn_mps_deletes_v1(empty_store, vs)
    kh_np = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
    query = '{ entity(id: "v-1") { owner ... on Person { name } } }'
    answer = await build_schema().execute(query, context_value=Context(empty_store, kh_np, "r",
                                                                       lookup_budget=hourly_budget(0)))
    assert (answer.errors, answer.data) == (None, {"entity": {"owner": "KH-NP", "name": None}})


async def test_a_del_taking_no_statement_from_a_node_written_before_the_statement_model_keeps_its_values(
        empty_store):
    # v-1 as a node written before statements: its values, no statement, VN-MPS's "old" source with "vn"
    await _load(empty_store, "VN-MPS", "AMBER", "old", NodeRecord("Person", "v-1", {"name": "v one"}, _o("old", 1)),
                shared=["KH-NP"])
    await _load(empty_store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "v-1", {"name": "v one"}, _o("vn", 1)),
                shared=["KH-NP"])
    await empty_store.write("provenance/delete_statements_about", {"ids": ["v-1"]})
    await _vn_mps_deletes_v1(empty_store, "vn")
    assert await _v1(empty_store) == (
        {"owner": "VN-MPS", "name": "v one", "sources": ["old"], "unresolved": None}, [])


@pytest.mark.parametrize("write", ["ingest/replace_node_properties", "ingest/hold_as_placeholders"])
async def test_a_del_killed_after_emptying_its_last_statement_is_finished_as_a_placeholder_by_the_next_load(
        empty_store, monkeypatch, write):
    # the emptied node is kept on the DEL's mark (its `said`): the next writer's finish holds it too
    await _vn_mps_states_kh_nps_placeholder(empty_store, "csv@KH-NP", "csv@VN-MPS")
    await killed_after_write(empty_store, monkeypatch, write, lambda: _vn_mps_deletes_v1(empty_store, "csv@VN-MPS"))
    await _load(empty_store, "LA-POL", "RED", "lax", NodeRecord("Person", "per-x", {"name": "x"}, _o("lax", 1)))
    assert await _v1(empty_store) == (
        {"owner": "KH-NP", "name": None, "sources": ["csv@KH-NP"], "unresolved": True}, [])


async def test_a_replace_only_referring_to_the_node_it_stated_leaves_it_a_placeholder_with_no_name(empty_store):
    vs = "csv@VN-MPS"
    await _vn_mps_states_kh_nps_placeholder(empty_store, "csv@KH-NP", vs)
    await run_load(empty_store, Records(NodeRecord("Person", "v-3", {"name": "v three"}, _o(vs, 1)),
                                        NodeRecord("Person", "v-1", {}, _o(vs, 2), unresolved=True),
                                        EdgeRecord("ASSOCIATE_OF", "v3", "v-3", "v-1", {}, _o(vs, 2))),
                   source=vs, viewer="VN-MPS", correlation_limit=LIMIT, replace=True,
                   provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=["KH-NP"]))
    node, statements = await _v1(empty_store)
    assert ({k: node[k] for k in ("name", "unresolved")}, statements) == ({"name": None, "unresolved": True}, [])
