"""A replace whose new version only refers to a node takes its source out of the node's
``sources`` once no statement left on it comes from that source (``replacement._withdraw_from_stated``):
left there, it held the values of a node it no longer states (attack round a-95, 4). Only then: a
plain source name two agencies load from ("shared") still states the other agency's node, and a
rerun after a kill withdraws what the killed run did not."""

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
