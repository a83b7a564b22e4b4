"""A link (or holder) a load widens in place after the same load counted its identifier is counted
again for the partners it widens to: the breaker's bounds skipped a partner's view at every holder
the loader's own views had counted, so LA-POL's RED link to the phone, widened to TH-DSI in a later
flush of the load that counted the phone for a new link, was never counted for TH-DSI, who saw 6
holders of the limit of 5, unmarked, for good (attack round a-98, 1)."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_breaker_checks_widenings import LIMIT, PHONE, _link, _load, _o, _scene, _th_dsi

pytestmark = pytest.mark.backends


def _h3(op: str = "merge") -> NodeRecord:
    return NodeRecord("Person", "per-h3", {"name": "h3"}, _o("lah3", 1), op=op)


def _h3_link(op: str = "merge") -> EdgeRecord:
    return EdgeRecord("USES_PHONE", "uses-la-h3", "per-h3", PHONE, {}, _o("lah3", 2), op=op)


async def _la_pol_load(store, *recs, shared: list[str], batch_size: int) -> None:
    await run_load(store, Records(*recs), source="lah3", viewer="LA-POL", correlation_limit=LIMIT,
                   batch_size=batch_size, provenance=Provenance(owner="LA-POL", tlp="AMBER", shared_with=shared))


async def _per_h3_and_per_x(store, h3_shared: list[str]) -> None:
    """TH-DSI at the limit; LA-POL's per-h3 (AMBER shared with ``h3_shared``) with its RED link to the
    phone, and LA-POL's RED per-x."""
    await _scene(store, LIMIT)
    await _load(store, "LA-POL", "RED", "lah3", _h3(), _h3_link())
    await _load(store, "LA-POL", "AMBER", "lah3", _h3("replace"), shared=h3_shared)
    await _load(store, "LA-POL", "RED", "lax", NodeRecord("Person", "per-x", {"name": "x"}, _o("lax", 1)))


@pytest.mark.parametrize("batch_size", [1, 1000])
async def test_a_link_widened_after_a_new_link_counted_its_identifier_marks_it_for_the_partner_past_the_limit(
        empty_store, batch_size):
    # per-x's new link counts the phone (TH-DSI sees neither per-x nor uses-la-h3: 5); then uses-la-h3
    # is widened to TH-DSI (a later flush at batch 1, after the count in the same flush at 1000)
    await _per_h3_and_per_x(empty_store, ["TH-DSI"])
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await _la_pol_load(empty_store, _link("uses-x", "per-x", 3), _h3_link("replace"), shared=["TH-DSI"],
                       batch_size=batch_size)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


@pytest.mark.parametrize("batch_size", [1, 1000])
async def test_a_holder_and_its_link_widened_after_a_gainer_counted_the_identifier_mark_it_for_the_partner(
        empty_store, batch_size):
    # KH-NP gains per-h3 and sees VN-MPS's link from it: the holder's check counts the phone while
    # uses-la-h3 is still RED; the same load then widens uses-la-h3 to TH-DSI
    await _per_h3_and_per_x(empty_store, ["VN-MPS"])
    await _load(empty_store, "VN-MPS", "AMBER", "vnl", EdgeRecord("USES_PHONE", "uses-vn-h3", "per-h3", PHONE, {},
                                                                  _o("vnl", 1)), shared=["KH-NP"])
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await _la_pol_load(empty_store, _h3("replace"), _h3_link("replace"), shared=["VN-MPS", "TH-DSI", "KH-NP"],
                       batch_size=batch_size)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


async def test_a_holder_widened_after_a_new_link_counted_its_identifier_marks_it_for_the_partner_past_the_limit(
        empty_store):
    # per-h3 RED behind LA-POL's link AMBER shared with TH-DSI: TH-DSI sees the link, not its holder;
    # per-x's new link counts the phone, then a later flush of the same load widens per-h3 to TH-DSI
    # (in one flush the holder's own check comes after its widening)
    await _scene(empty_store, LIMIT)
    await _load(empty_store, "LA-POL", "RED", "lah3", _h3())
    await _load(empty_store, "LA-POL", "AMBER", "lah3", _h3_link(), shared=["TH-DSI"])
    await _load(empty_store, "LA-POL", "RED", "lax", NodeRecord("Person", "per-x", {"name": "x"}, _o("lax", 1)))
    assert await _th_dsi(empty_store) == (LIMIT, False)
    await _la_pol_load(empty_store, _link("uses-x", "per-x", 3), _h3("replace"), shared=["TH-DSI"], batch_size=1)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)
