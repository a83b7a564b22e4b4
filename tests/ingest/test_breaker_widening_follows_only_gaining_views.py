"""A widening's note and count follow a widened holder's links only where an agency gaining the
holder may see them (graphapi/ingest/widened_links.py): another agency's link the gaining views may
not see never changes what the loader's load writes or reads (attack round a-95, 2: LA-POL's MOD
widening its AMBER per-h3 to TH-DSI wrote note_quarantine_ids and clear_pending_recounts only when
VN-MPS had a RED link from per-h3 to its own RED phone). Proofs count writes and rows, never time."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.store_calls import record_store_calls
from tests.ingest.test_a_replace_re_owning_a_node_it_only_refers_to_marks_the_identifier import _p1_with_vn_mps_hiding
from tests.ingest.test_breaker_checks_widenings import LIMIT, PHONE, _load, _o, _scene, _th_dsi

pytestmark = pytest.mark.backends

VN_PHONE = "phone:+66877777777"


async def _per_h3(store, vn_link: str | None, la_link: bool) -> None:
    """TH-DSI at the limit of KH-NP's phone; LA-POL's AMBER per-h3 shared with VN-MPS (with
    ``la_link``, linked to that phone by LA-POL's AMBER link shared with TH-DSI); with ``vn_link`` a
    tlp, VN-MPS's link at that level (shared with TH-DSI) from per-h3 to its own RED phone."""
    await store.clear()
    await _scene(store, LIMIT)
    await _load(store, "LA-POL", "AMBER", "lah3", NodeRecord("Person", "per-h3", {"name": "h3"}, _o("lah3", 1)),
                shared=["VN-MPS"])
    if la_link:
        await _load(store, "LA-POL", "AMBER", "la", EdgeRecord("USES_PHONE", "uses-la-h3", "per-h3", PHONE, {},
                                                               _o("la", 1)), shared=["TH-DSI"])
    if vn_link is not None:
        await _load(store, "VN-MPS", "RED", "vr", NodeRecord("Phone", VN_PHONE, {"number": "+66877777777"},
                                                             _o("vr", 1)))
        await _load(store, "VN-MPS", vn_link, "vl", EdgeRecord("USES_PHONE", "vr-h3", "per-h3", VN_PHONE, {},
                                                               _o("vl", 1)), shared=["TH-DSI"])


async def _mod_widening_per_h3(store, monkeypatch, vn_link: str | None,
                               la_link: bool = True) -> tuple[list[str], list[int], dict]:
    await _per_h3(store, vn_link, la_link)
    with monkeypatch.context() as m:
        calls = record_store_calls(store, m)
        s = await _load(store, "LA-POL", "AMBER", "lah3", NodeRecord("Person", "per-h3", {"name": "h3"},
                                                                     _o("lah3", 1), op="replace"),
                        shared=["VN-MPS", "TH-DSI"])
    return calls.writes, calls.rows_of("ingest/linked_identifiers_gained"), {k: v for k, v in vars(s).items()
                                                                            if k != "seconds"}


async def test_an_owners_mod_widening_its_holder_writes_the_same_whatever_red_link_another_agency_hid_on_it(
        empty_store, monkeypatch):
    without, _, told_without = await _mod_widening_per_h3(empty_store, monkeypatch, None, la_link=False)
    with_link, _, told_with = await _mod_widening_per_h3(empty_store, monkeypatch, "RED", la_link=False)
    assert "ingest/note_quarantine_ids" not in without  # per-h3 links to nothing TH-DSI may see
    assert with_link == without
    assert told_with == told_without


async def test_an_owners_mod_widening_its_holder_reads_the_same_rows_whatever_red_link_another_agency_hid_on_it(
        empty_store, monkeypatch):
    _, without, _ = await _mod_widening_per_h3(empty_store, monkeypatch, None)
    _, with_link, _ = await _mod_widening_per_h3(empty_store, monkeypatch, "RED")
    assert without == with_link == [1]  # per-h3 -> KH-NP's phone, by LA-POL's link TH-DSI sees


async def test_an_owners_mod_widening_its_holder_follows_a_link_the_gaining_agency_may_see(empty_store, monkeypatch):
    _, rows, _ = await _mod_widening_per_h3(empty_store, monkeypatch, "AMBER")  # VN-MPS's, shared with TH-DSI
    assert rows == [2]
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


async def _del_re_owning_p1(store, monkeypatch, hidden_link: bool) -> tuple[list[str], dict]:
    """KH-NP's DEL of its AMBER p-1 (shared with LA-POL and VN-MPS), which re-owns p-1 to VN-MPS's
    AMBER record shared with KH-NP and TH-DSI; with ``hidden_link``, VN-MPS's RED link from p-1 to
    its RED phone. Its writes and what it is told."""
    await _p1_with_vn_mps_hiding(store, hidden_link)
    with monkeypatch.context() as m:
        calls = record_store_calls(store, m)
        s = await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {}, _o("kh", 2), op="delete"),
                        shared=["LA-POL", "VN-MPS"])
    return calls.writes, {k: v for k, v in vars(s).items() if k != "seconds"}


async def test_a_del_re_owning_a_holder_writes_the_same_whatever_red_link_another_agency_hid_on_it(
        empty_store, monkeypatch):
    without = await _del_re_owning_p1(empty_store, monkeypatch, False)
    with_link = await _del_re_owning_p1(empty_store, monkeypatch, True)
    [p] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert p["props"]["owner"] == "VN-MPS"
    assert "ingest/note_quarantine_ids" not in without[0]
    assert with_link == without
