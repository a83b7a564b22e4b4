"""The Python TLP rule answers exactly as the Cypher fragment every read applies."""

import itertools

import pytest

from graphapi.ontology.tlp import visible_to

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", None]
OWNERS = ["TH-DSI", None]
SHARED = [["VN-MPS"], []]
AGENCIES = ["TH-DSI", "VN-MPS", "KH-GDI", None]


async def test_python_rule_agrees_with_the_visible_fragment_for_every_combination(empty_store):
    rows, expected = [], {}
    for i, (tlp, owner, shared, agency) in enumerate(itertools.product(TLPS, OWNERS, SHARED, AGENCIES)):
        props = {k: v for k, v in {"tlp": tlp, "owner": owner, "sharedWith": shared}.items() if v not in (None, [])}
        nid = f"per-tlp-{i}"
        rows.append({"id": nid, "props": {"name": nid, **props}})
        expected.setdefault(agency, {})[nid] = visible_to(props, agency)
    await empty_store.write_batches("ingest/create_nodes", rows, labels="Person")
    for agency, want in expected.items():
        got = await empty_store.read("ingest/visible_ids", {"ids": list(want), "agency": agency})
        assert {r["id"] for r in got} == {nid for nid, ok in want.items() if ok}, agency


def test_amber_is_visible_to_the_agencies_it_is_shared_with_only():
    item = {"tlp": "AMBER", "owner": "TH-DSI", "sharedWith": ["VN-MPS"]}
    assert [visible_to(item, a) for a in ("TH-DSI", "VN-MPS", "KH-GDI")] == [True, True, False]


def test_red_shared_with_an_agency_stays_with_its_owner():
    assert not visible_to({"tlp": "RED", "owner": "TH-DSI", "sharedWith": ["VN-MPS"]}, "VN-MPS")
