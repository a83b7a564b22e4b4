"""A replace whose new version only refers to a node its old one stated (a link's placeholder end)
takes its statement away and re-owns the node at the widest statement left
(``replacement._unsay_referenced``). That statement may be seen by an agency that did not see the
node: KH-NP's AMBER p-1 (shared with LA-POL and VN-MPS) also held by VN-MPS's AMBER record shared
with KH-NP and TH-DSI, with VN-MPS's link to the phone TH-DSI sees 5 holders of; KH-NP's replace
re-owns p-1 to VN-MPS's statement, and TH-DSI sees a sixth holder. It was neither checked nor
noted: TH-DSI at 6 of a limit of 5, unmarked, for good (b-fix60; docs/security.md had it open)."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.ingest_helpers import Records
from tests.ingest.store_calls import record_store_calls
from tests.ingest.test_breaker_checks_widenings import LIMIT, PHONE, _load, _o, _scene, _th_dsi
from tests.store_kills import killed_after_write

pytestmark = pytest.mark.backends


async def _p1_of_kh_np_held_by_vn_mps_for_th_dsi(store) -> None:
    await _scene(store, LIMIT)
    await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {"name": "p one"}, _o("kh", 1)),
                shared=["LA-POL", "VN-MPS"])
    await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "p-1", {"name": "p one"}, _o("vn", 1)),
                EdgeRecord("USES_PHONE", "uses-p1", "p-1", PHONE, {}, _o("vn", 2)), shared=["KH-NP", "TH-DSI"])


async def _kh_np_replace_referring_to_p1(store) -> None:
    """KH-NP's replace of "kh": p-2, and its link to p-1, now only a placeholder end."""
    await run_load(store, Records(NodeRecord("Person", "p-2", {"name": "p two"}, _o("kh", 1)),
                                  NodeRecord("Person", "p-1", {}, _o("kh", 2), unresolved=True),
                                  EdgeRecord("ASSOCIATE_OF", "kh-a", "p-1", "p-2", {}, _o("kh", 2))),
                   source="kh", viewer="KH-NP", correlation_limit=LIMIT, replace=True,
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=["LA-POL", "VN-MPS"]))


async def _la_pol_load(store) -> None:
    await _load(store, "LA-POL", "RED", "lax", NodeRecord("Person", "per-x", {"name": "x"}, _o("lax", 1)))


async def test_a_replace_re_owning_a_node_it_only_refers_to_marks_the_identifier_for_the_view_it_widened(
        empty_store):
    await _p1_of_kh_np_held_by_vn_mps_for_th_dsi(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await _kh_np_replace_referring_to_p1(empty_store)
    [p] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert ((p["props"]["owner"], p["props"]["sharedWith"]), await _th_dsi(empty_store)) == (
        ("VN-MPS", ["KH-NP", "TH-DSI"]), (LIMIT + 1, True))


@pytest.mark.parametrize("after", [None, _la_pol_load], ids=["rerun", "other-load"])
async def test_that_replace_killed_after_the_re_own_marks_the_identifier_for_the_view_it_widened(
        empty_store, monkeypatch, after):
    await _p1_of_kh_np_held_by_vn_mps_for_th_dsi(empty_store)
    await killed_after_write(empty_store, monkeypatch, "ingest/relevel_nodes",
                             lambda: _kh_np_replace_referring_to_p1(empty_store))
    await (after or _kh_np_replace_referring_to_p1)(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


HIDDEN_PHONE = "phone:+66899999999"


async def _p1_with_vn_mps_hiding(store, hidden_link: bool) -> None:
    """KH-NP's AMBER p-1 also held by VN-MPS's AMBER record shared with KH-NP and TH-DSI, with no
    link of VN-MPS's TH-DSI sees; with ``hidden_link``, VN-MPS's RED link from p-1 to its RED phone."""
    await store.clear()
    await _scene(store, LIMIT)
    await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {"name": "p one"}, _o("kh", 1)),
                shared=["LA-POL", "VN-MPS"])
    await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "p-1", {"name": "p one"}, _o("vn", 1)),
                shared=["KH-NP", "TH-DSI"])
    if hidden_link:
        await _load(store, "VN-MPS", "RED", "vr", NodeRecord("Phone", HIDDEN_PHONE, {"number": "+66899999999"},
                                                             _o("vr", 1)),
                    EdgeRecord("USES_PHONE", "vr-p1", "p-1", HIDDEN_PHONE, {}, _o("vr", 2)))


async def _replace_recorded(store, monkeypatch, hidden_link: bool) -> tuple[list[str], dict, list[tuple[str, int]]]:
    """The writes of KH-NP's replace referring to p-1 (the lease's aside), what it is told, and
    each read it makes with its rows."""
    await _p1_with_vn_mps_hiding(store, hidden_link)
    with monkeypatch.context() as m:
        calls = record_store_calls(store, m)
        told = await run_load(store, Records(NodeRecord("Person", "p-2", {"name": "p two"}, _o("kh", 1)),
                                             NodeRecord("Person", "p-1", {}, _o("kh", 2), unresolved=True),
                                             EdgeRecord("ASSOCIATE_OF", "kh-a", "p-1", "p-2", {}, _o("kh", 2))),
                              source="kh", viewer="KH-NP", correlation_limit=LIMIT, replace=True,
                              provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=["LA-POL", "VN-MPS"]))
    return calls.writes, {k: v for k, v in vars(told).items() if k != "seconds"}, calls.reads


async def test_the_replace_writes_and_is_told_the_same_whatever_vn_mps_hides_on_p1(empty_store, monkeypatch):
    # (attack round a-95, 1: the note followed VN-MPS's hidden link, 2 writes more)
    without = await _replace_recorded(empty_store, monkeypatch, False)
    with_link = await _replace_recorded(empty_store, monkeypatch, True)
    assert "ingest/note_quarantine_ids" not in without[0]
    assert with_link[:2] == without[:2]


async def test_the_replace_reads_the_same_rows_whatever_vn_mps_hides_on_p1(empty_store, monkeypatch):
    # (a-95, 1: the count after it read the hidden phone's holders)
    without = await _replace_recorded(empty_store, monkeypatch, False)
    with_link = await _replace_recorded(empty_store, monkeypatch, True)
    assert ("ingest/linked_identifiers_gained", 0) in without[2]
    assert with_link[2] == without[2]


async def test_the_new_owners_del_of_a_node_the_replace_re_owned_to_it_leaves_its_links_placeholder(empty_store):
    # a-95, 4: the replace's source stayed in p-1's sources, holding VN-MPS's name on it, owned by
    # VN-MPS with no statement, after VN-MPS's DEL; as for a node KH-NP only ever referred to, p-1
    # ends as KH-NP's link's placeholder with no value
    await _p1_of_kh_np_held_by_vn_mps_for_th_dsi(empty_store)
    await _kh_np_replace_referring_to_p1(empty_store)
    await _load(empty_store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "p-1", {}, _o("vn", 1), op="delete"),
                shared=["KH-NP", "TH-DSI"])
    [p] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert ({k: p["props"].get(k) for k in ("owner", "name", "unresolved")},
            await empty_store.read("provenance/statements_of", {"ids": ["p-1"]})) == (
        {"owner": "KH-NP", "name": None, "unresolved": True}, [])
