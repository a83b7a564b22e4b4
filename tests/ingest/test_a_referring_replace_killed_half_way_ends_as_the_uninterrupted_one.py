"""A replace whose new version only refers to a node its old one stated, killed half-way, ends (once
run again, or finished by another agency's load) as the uninterrupted replace does. Its rebuild
mark names the nodes it only refers to and its source, and keeps what it re-owns
(:mod:`graphapi.ingest.referred_holds`):

- killed after deleting its statements (or a rebuild), the rerun no longer found v-1 stated and
  the mark's finish only rebuilt it: v-1 stayed KH-NP's with no name, not a placeholder, against
  VN-MPS's placeholder uninterrupted (attack round a-103, 2);
- killed after re-owning p-1, the rerun re-owned nothing and withdrew nothing: "kh" stayed in p-1's
  sources, and VN-MPS's later DEL left p-1 VN-MPS's against KH-NP's (a-103, 3; a-98, 4)."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_del_of_a_nodes_last_statement_leaves_no_value_whatever_source_remains import (
    _v1,
    _vn_mps_states_kh_nps_placeholder,
)
from tests.ingest.test_a_replace_re_owning_a_node_it_only_refers_to_marks_the_identifier import (
    _kh_np_replace_referring_to_p1,
    _la_pol_load,
    _p1_of_kh_np_held_by_vn_mps_for_th_dsi,
)
from tests.ingest.test_breaker_checks_widenings import LIMIT, _load, _o
from tests.store_kills import die_after

pytestmark = pytest.mark.backends


async def _killed_after(store, monkeypatch, write: str, nth: int, work) -> None:
    """Run ``work`` killed straight after its ``nth`` write named ``write``."""
    seen: list[str] = []
    with monkeypatch.context() as m:
        die_after(store, m, lambda name: name == write and (seen.append(name) or len(seen) == nth))
        with pytest.raises(OSError):
            await work()


async def _vn_mps_replace_referring_to_v1(store) -> None:
    vs = "csv@VN-MPS"
    await run_load(store, Records(NodeRecord("Person", "v-3", {"name": "v three"}, _o(vs, 1)),
                                  NodeRecord("Person", "v-1", {}, _o(vs, 2), unresolved=True),
                                  EdgeRecord("ASSOCIATE_OF", "v3", "v-3", "v-1", {}, _o(vs, 2))),
                   source=vs, viewer="VN-MPS", correlation_limit=LIMIT, replace=True,
                   provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=["KH-NP"]))


@pytest.mark.parametrize("after", ["rerun", "other"])
@pytest.mark.parametrize("write, nth", [("provenance/delete_statements", 1), ("ingest/replace_node_properties", 1),
                                        ("ingest/replace_node_properties", 2)],
                         ids=["delete", "rebuild", "referred-rebuild"])
async def test_a_referring_replace_killed_after_taking_v1s_last_statement_holds_v1_as_uninterrupted(
        empty_store, monkeypatch, write, nth, after):
    await _vn_mps_states_kh_nps_placeholder(empty_store, "csv@KH-NP", "csv@VN-MPS")
    await _killed_after(empty_store, monkeypatch, write, nth, lambda: _vn_mps_replace_referring_to_v1(empty_store))
    if after == "other":
        await _la_pol_load(empty_store)
    await _vn_mps_replace_referring_to_v1(empty_store)
    node, statements = await _v1(empty_store)
    assert ({k: node[k] for k in ("owner", "name", "unresolved")}, statements) == (
        {"owner": "VN-MPS", "name": None, "unresolved": True}, [])


@pytest.mark.parametrize("after", ["rerun", "other"])
@pytest.mark.parametrize("write", ["ingest/relevel_nodes", "ingest/replace_node_properties"])
async def test_a_referring_replace_killed_after_re_owning_p1_leaves_it_kh_nps_placeholder_after_vn_mps_del(
        empty_store, monkeypatch, write, after):
    await _p1_of_kh_np_held_by_vn_mps_for_th_dsi(empty_store)
    nth = 1 if write == "ingest/relevel_nodes" else 2  # the rebuild of what it re-owned
    await _killed_after(empty_store, monkeypatch, write, nth, lambda: _kh_np_replace_referring_to_p1(empty_store))
    await (_la_pol_load if after == "other" else _kh_np_replace_referring_to_p1)(empty_store)
    await _load(empty_store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "p-1", {}, _o("vn", 1), op="delete"),
                shared=["KH-NP", "TH-DSI"])
    [p] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert ({k: p["props"].get(k) for k in ("owner", "name", "unresolved")},
            await empty_store.read("provenance/statements_of", {"ids": ["p-1"]})) == (
        {"owner": "KH-NP", "name": None, "unresolved": True}, [])
