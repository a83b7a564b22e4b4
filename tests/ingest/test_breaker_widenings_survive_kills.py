"""A widening killed between its write and the breaker's count of it is still counted: noted in the
store before the write (graphapi.ingest.pending_widenings), recounted by the next writer (attack
round a-82, 4 and 5: the rerun found nothing left to re-own, or the link stored, and TH-DSI saw 6
holders of the limit of 5, unmarked). The kills are at the writes that matter, not at every one."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.test_breaker_checks_widenings import (
    LIMIT,
    PHONE,
    _kh_np_replace_stating_p2_alone,
    _link,
    _load,
    _o,
    _p1_of_kh_np_held_by_la_pol,
    _scene,
    _th_dsi,
)
from tests.store_kills import killed_after_write

pytestmark = pytest.mark.backends

KH_DEL = NodeRecord("Person", "p-1", {}, _o("kh", 2), op="delete")


@pytest.mark.parametrize("write", ["provenance/retract_statements", "ingest/relevel_nodes",
                                   "ingest/clear_pending_retraction"])
async def test_a_re_owning_del_killed_after_a_write_and_rerun_marks_the_identifier_for_the_view_it_widened(
        empty_store, monkeypatch, write):
    # before the re-own (its mark's finish re-owns), at it (the mark keeps what it re-owned), and
    # once its mark went (the widening noted before)
    await _p1_of_kh_np_held_by_la_pol(empty_store)
    await killed_after_write(empty_store, monkeypatch, write,
                             lambda: _load(empty_store, "KH-NP", "AMBER", "kh", KH_DEL, shared=["LA-POL"]))
    await _load(empty_store, "KH-NP", "AMBER", "kh", KH_DEL, shared=["LA-POL"])  # the rerun
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


@pytest.mark.parametrize("tlp", ["GREEN", "AMBER"])
async def test_a_load_killed_after_writing_its_links_and_rerun_marks_the_identifier_for_a_view_past_the_limit(
        empty_store, monkeypatch, tlp):
    # LA-POL's person and link to the phone, GREEN (every agency's view) or AMBER shared with TH-DSI
    await _scene(empty_store, LIMIT)
    recs = (NodeRecord("Person", "per-a", {"name": "a"}, _o("la", 1)),
            EdgeRecord("USES_PHONE", "uses-a", "per-a", PHONE, {}, _o("la", 1)))
    await killed_after_write(empty_store, monkeypatch, "ingest/add_relationships",
                             lambda: _load(empty_store, "LA-POL", tlp, "la", *recs, shared=["TH-DSI"]))
    await _load(empty_store, "LA-POL", tlp, "la", *recs, shared=["TH-DSI"])  # the rerun
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


def _kh_np_link(line: int, op: str = "merge") -> EdgeRecord:
    """KH-NP's valueless link per-h -> phone, at line ``line`` of its source "kh"."""
    return EdgeRecord("USES_PHONE", "uses-x", "per-h", PHONE, {}, _o("kh", line), op=op)


async def _kh_np_del_of_its_link(store) -> None:
    await _load(store, "KH-NP", "AMBER", "kh", _kh_np_link(2, "delete"), shared=["LA-POL"])


async def _vn_mps_load(store) -> None:
    await _load(store, "VN-MPS", "RED", "vn", NodeRecord("Person", "per-v", {"name": "v"}, _o("vn", 1)))


@pytest.mark.parametrize(("work", "after"), [(_kh_np_del_of_its_link, None), (_kh_np_del_of_its_link, _vn_mps_load),
                                             (_kh_np_replace_stating_p2_alone, None),
                                             (_kh_np_replace_stating_p2_alone, _vn_mps_load)],
                         ids=["del-rerun", "del-other-load", "replace-rerun", "replace-other-load"])
async def test_a_link_re_owned_to_an_echo_killed_after_the_re_own_marks_the_identifier_for_the_view_it_widened(
        empty_store, monkeypatch, work, after):
    # a-86, 1: KH-NP's valueless AMBER link (shared with LA-POL), echoed by LA-POL at GREEN, goes to
    # LA-POL's GREEN echo by KH-NP's DEL of it or its replace of "kh" (graphapi.ingest.echoes): TH-DSI
    # sees a sixth holder. Killed right after that write, the rerun found it re-owned already, and
    # nothing was noted before it
    await _scene(empty_store, LIMIT)
    await _load(empty_store, "KH-NP", "AMBER", "kh", _kh_np_link(1), shared=["LA-POL"])
    await _load(empty_store, "LA-POL", "GREEN", "la", EdgeRecord("USES_PHONE", "uses-x", "per-h", PHONE, {},
                                                                 _o("la", 1)))
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await killed_after_write(empty_store, monkeypatch, "ingest/relevel_relationships", lambda: work(empty_store))
    await (after or work)(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


async def _la_pol_mod_widening_its_holder(store) -> None:
    await _load(store, "LA-POL", "AMBER", "lah3", NodeRecord("Person", "per-h3", {"name": "h3"}, _o("lah3", 1),
                                                             op="replace"), shared=["TH-DSI"])


@pytest.mark.parametrize("after", [None, _vn_mps_load], ids=["rerun", "other-load"])
async def test_an_owners_mod_widening_its_holder_killed_after_the_widening_marks_the_identifier_for_the_view(
        empty_store, monkeypatch, after):
    # LA-POL's RED per-h3, behind its link AMBER shared with TH-DSI, MOD'd at AMBER shared with
    # TH-DSI: a sixth holder for TH-DSI (graphapi.ingest.write_correlation._check_widened_holders).
    # Killed right after the write that widens it, the rerun found it widened already and nothing
    # was noted: (6, unmarked) for good
    await _scene(empty_store, LIMIT)
    await _load(empty_store, "LA-POL", "RED", "lah3", NodeRecord("Person", "per-h3", {"name": "h3"}, _o("lah3", 1)))
    await _load(empty_store, "LA-POL", "AMBER", "la", _link("uses-la-h3", "per-h3", 1), shared=["TH-DSI"])
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await killed_after_write(empty_store, monkeypatch, "ingest/set_node_levels",
                             lambda: _la_pol_mod_widening_its_holder(empty_store))
    await (after or _la_pol_mod_widening_its_holder)(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)
