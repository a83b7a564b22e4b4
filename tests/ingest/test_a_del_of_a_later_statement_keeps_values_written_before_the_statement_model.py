"""A node written before the statement model (values, no statement) that a load then states keeps
the values it held when that load's statement goes: a DEL of it, or a replace whose new version
only refers to the node, takes only what the statement said. Before, the DEL took the node's last
statement and emptied it whatever source remained, so VN-MPS's DEL of its nationality on KH-NP's
k-1 erased KH-NP's own name and birthPlace (attack round a-103, 1). The node's values are adopted
as its owner's statements (one per source it had) once, when the store starts on the old graph
(:mod:`graphapi.ingest.premodel_adoption`): each scene writes the old node, then runs that repair."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.premodel_adoption import repair_premodel_values
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_breaker_checks_widenings import LIMIT, _load, _o

pytestmark = pytest.mark.backends


async def _kh_nps_premodel_k1(store) -> None:
    """KH-NP's "old" k-1 as the store held it before the statement model (its values, no
    statement), then the store's start on that graph (the one-off adoption)."""
    await _load(store, "KH-NP", "AMBER", "old", NodeRecord("Person", "k-1", {"name": "k one", "birthPlace": "Hue"},
                                                            _o("old", 1)), shared=["VN-MPS"])
    await store.write("provenance/delete_statements_about", {"ids": ["k-1"]})
    await repair_premodel_values(store)


async def _states_k1(store, owner: str, source: str, op: str = "merge") -> None:
    """``owner``'s ``source`` states k-1 (its name and a nationality) at AMBER shared with the other."""
    other = "VN-MPS" if owner == "KH-NP" else "KH-NP"
    values = {"name": "k one", "nationality": ["VN"]} if op == "merge" else {}
    await _load(store, owner, "AMBER", source, NodeRecord("Person", "k-1", values, _o(source, 1), op=op),
                shared=[other])


async def _k1(store) -> dict:
    [row] = await store.read("ingest/existing_nodes", {"ids": ["k-1"]})
    return {k: row["props"].get(k) for k in ("owner", "name", "birthPlace", "nationality", "unresolved")}


@pytest.mark.parametrize("source", ["vn", "csv@VN-MPS"], ids=["plain", "scoped"])
async def test_another_agencys_del_of_its_statement_keeps_a_premodel_nodes_own_values(empty_store, source):
    await _kh_nps_premodel_k1(empty_store)
    await _states_k1(empty_store, "VN-MPS", source)
    await _states_k1(empty_store, "VN-MPS", source, op="delete")
    assert await _k1(empty_store) == {"owner": "KH-NP", "name": "k one", "birthPlace": ["Hue"],
                                      "nationality": None, "unresolved": None}


async def test_a_del_of_the_owners_later_source_keeps_what_its_earlier_source_gave_before_the_model(empty_store):
    await _kh_nps_premodel_k1(empty_store)
    await _states_k1(empty_store, "KH-NP", "new")
    await _states_k1(empty_store, "KH-NP", "new", op="delete")
    assert await _k1(empty_store) == {"owner": "KH-NP", "name": "k one", "birthPlace": ["Hue"],
                                      "nationality": None, "unresolved": None}


@pytest.mark.parametrize("source", ["vn", "csv@VN-MPS"], ids=["plain", "scoped"])
async def test_a_replace_only_referring_to_a_premodel_node_it_stated_keeps_the_nodes_own_values(empty_store, source):
    await _kh_nps_premodel_k1(empty_store)
    await _states_k1(empty_store, "VN-MPS", source)
    await run_load(empty_store, Records(NodeRecord("Person", "v-3", {"name": "v three"}, _o(source, 1)),
                                        NodeRecord("Person", "k-1", {}, _o(source, 2), unresolved=True),
                                        EdgeRecord("ASSOCIATE_OF", "v3", "v-3", "k-1", {}, _o(source, 2))),
                   source=source, viewer="VN-MPS", correlation_limit=LIMIT, replace=True,
                   provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=["KH-NP"]))
    assert await _k1(empty_store) == {"owner": "KH-NP", "name": "k one", "birthPlace": ["Hue"],
                                      "nationality": None, "unresolved": None}


async def test_a_premodel_nodes_values_are_its_owners_statement_once_another_agency_states_it(empty_store):
    await _kh_nps_premodel_k1(empty_store)
    await _states_k1(empty_store, "VN-MPS", "vn")
    said = {(r["props"]["owner"], r["props"]["source"]): sorted(zip(r["props"]["property"], r["props"]["value"],
                                                                     strict=True))
            for r in await empty_store.read("provenance/statements_of", {"ids": ["k-1"]})}
    assert said == {("KH-NP", "old"): [("birthPlace", "Hue"), ("name", "k one")],
                    ("VN-MPS", "vn"): [("name", "k one"), ("nationality", "VN")]}
