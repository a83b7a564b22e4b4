"""A replace whose new version only refers to a node takes its source out of the node's
``sources`` once no statement left on it comes from that source (``replacement._withdraw_from_stated``):
left there, it held the values of a node it no longer states (attack round a-95, 4). Only then: a
plain source name two agencies load from ("shared") still states the other agency's node, and a
node the replace only refers to and never owned keeps its sources (attack round a-102, 1: withdrawn
from every node the replace referred to, VN-MPS's "shared" left VN-MPS's own v-1, which its
"shared" load only linked to, so KH-NP's load decided how VN-MPS's later DEL of v-1 ended).
Open (a-98, 4): a replace killed after its re-own leaves the source on the re-owned node."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_breaker_checks_widenings import LIMIT, PHONE, _load, _o, _scene

pytestmark = pytest.mark.backends


async def _p1_of_kh_np_and_vn_mps(store, kh: str, vn: str) -> None:
    """KH-NP's AMBER p-1 from ``kh`` (shared with LA-POL and VN-MPS), also VN-MPS's AMBER p-1 from
    ``vn`` shared with KH-NP and TH-DSI, with VN-MPS's link to the phone."""
    await _scene(store, LIMIT)
    await _load(store, "KH-NP", "AMBER", kh, NodeRecord("Person", "p-1", {"name": "p one"}, _o(kh, 1)),
                shared=["LA-POL", "VN-MPS"])
    await _load(store, "VN-MPS", "AMBER", vn, NodeRecord("Person", "p-1", {"name": "p one"}, _o(vn, 1)),
                EdgeRecord("USES_PHONE", "uses-p1", "p-1", PHONE, {}, _o(vn, 2)), shared=["KH-NP", "TH-DSI"])


async def _kh_np_replace_referring_to_p1(store, source: str) -> None:
    await run_load(store, Records(NodeRecord("Person", "p-2", {"name": "p two"}, _o(source, 1)),
                                  NodeRecord("Person", "p-1", {}, _o(source, 2), unresolved=True),
                                  EdgeRecord("ASSOCIATE_OF", "kh-a", "p-1", "p-2", {}, _o(source, 2))),
                   source=source, viewer="KH-NP", correlation_limit=LIMIT, replace=True,
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=["LA-POL", "VN-MPS"]))


async def _p1(store) -> dict:
    [p] = await store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    return {k: p["props"].get(k) for k in ("owner", "sources")}


async def test_a_replace_of_a_plain_source_keeps_it_on_the_node_another_agencys_statement_of_it_holds(
        empty_store):
    # a-98, 5: KH-NP's replace of "shared" re-owned p-1 to VN-MPS's statement, itself from "shared",
    # and took "shared" out of VN-MPS's node (sources [])
    await _p1_of_kh_np_and_vn_mps(empty_store, "shared", "shared")
    await _kh_np_replace_referring_to_p1(empty_store, "shared")
    assert await _p1(empty_store) == {"owner": "VN-MPS", "sources": ["shared"]}


@pytest.mark.parametrize("vn_tlp", ["AMBER", "RED"])
async def test_a_replace_referring_to_another_agencys_node_leaves_its_sources(empty_store, vn_tlp):
    shared = ["KH-NP"] if vn_tlp == "AMBER" else []
    await _load(empty_store, "VN-MPS", vn_tlp, "shared",
                NodeRecord("Person", "v-2", {"name": "v two"}, _o("shared", 1)),
                NodeRecord("Person", "v-1", {}, _o("shared", 2), unresolved=True),
                EdgeRecord("ASSOCIATE_OF", "va", "v-2", "v-1", {}, _o("shared", 2)), shared=shared)
    await _load(empty_store, "VN-MPS", vn_tlp, "vn", NodeRecord("Person", "v-1", {"name": "v one"}, _o("vn", 1)),
                shared=shared)
    await run_load(empty_store, Records(NodeRecord("Person", "k-2", {"name": "k two"}, _o("shared", 1)),
                                        NodeRecord("Person", "v-1", {}, _o("shared", 2), unresolved=True),
                                        EdgeRecord("ASSOCIATE_OF", "ka", "k-2", "v-1", {}, _o("shared", 2))),
                   source="shared", viewer="KH-NP", correlation_limit=LIMIT, replace=True,
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=["LA-POL"]))
    [v1] = await empty_store.read("ingest/existing_nodes", {"ids": ["v-1"]})
    assert sorted(v1["props"]["sources"]) == ["shared", "vn"]  # was ["vn"]: KH-NP's replace took VN-MPS's
