"""A victim-blind DEL whose guess's link goes to a wider echo is counted by the breaker in its own
turn: TH-DSI's blind feed said per-vic-1 USES_PHONE KH-NP's GREEN phone (AMBER), LA-POL states the
link at GREEN; the blind DEL of per-vic-1 takes the feed's statement, the link goes to LA-POL's
GREEN statement and every agency sees a 6th holder. ``blind_replace.untold`` dropped the links it
re-owned and the writer never checked what ``withdraw_shadowed_links`` re-owned: VN-MPS was left at 6
of the limit of 5, unmarked, and (seeing the holders only through shares) for good, the next
writer's recount skipping it (attack round a-89, 1)."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_a_load_is_told_nothing_of_its_own_victims_hidden_values import _victim
from tests.ingest.test_breaker_checks_widenings import LIMIT, PHONE, _load, _o

pytestmark = pytest.mark.backends

AGENCY, RIGHT = "TH-DSI", "per-vic-1"
FEED = f"feed-a@{AGENCY}"


async def _blind(store, *recs, colleague=False):
    """A load of the feed by TH-DSI without victim-data (``colleague``: a colleague's, with it)."""
    return await run_load(store, Records(*recs), source=FEED, viewer=AGENCY, victim_blind=not colleague,
                          correlation_limit=LIMIT,
                          provenance=Provenance(AGENCY, "AMBER", ["LA-POL"], "2026-05-01T00:00:00Z"))


async def _vn_mps(store) -> tuple[int, bool]:
    """(holders VN-MPS sees, counted from scratch; the phone marked for VN-MPS)."""
    [row] = await store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                           "agencies": ["VN-MPS"]})
    return row["audience"][0]["holders"], row["audience"][0]["quarantined"]


@pytest.mark.parametrize(("via_share", "colleague"), [(False, False), (True, False), (True, True)],
                         ids=["own-holders", "shared-holders", "colleagues-del"])
async def test_a_blind_del_handing_its_guess_link_to_a_wider_echo_marks_the_phone_for_the_view_it_widened(
        empty_store, via_share, colleague):
    store = empty_store
    await _victim(store)
    await _load(store, "KH-NP", "GREEN", "khp", NodeRecord("Phone", PHONE, {"number": "+66811111111"}, _o("khp", 1)))
    # VN-MPS's 5 holders: its own RED ones, or KH-NP's AMBER ones shared with it
    owner, tlp, shared = ("KH-NP", "AMBER", ["VN-MPS"]) if via_share else ("VN-MPS", "RED", [])
    await _load(store, owner, tlp, "vn", *(r for i in range(LIMIT) for r in (
        NodeRecord("Person", f"per-v-{i}", {"name": f"v {i}"}, _o("vn", i + 1)),
        EdgeRecord("USES_PHONE", f"uses-v-{i}", f"per-v-{i}", PHONE, {}, _o("vn", i + 1)))), shared=shared)
    await _blind(store, NodeRecord("Person", RIGHT, {"name": "Chan Dara"}, Origin(FEED, "f.csv", 1)),
                 EdgeRecord("USES_PHONE", "uses-v", RIGHT, PHONE, {}, Origin(FEED, "f.csv", 1)))
    await _load(store, "LA-POL", "GREEN", "la", EdgeRecord("USES_PHONE", "uses-v", RIGHT, PHONE, {}, _o("la", 1)))
    assert await _vn_mps(store) == (LIMIT, False)
    await _blind(store, NodeRecord("Person", RIGHT, {}, Origin(FEED, "d.csv", 1), op="delete"), colleague=colleague)
    [link] = await store.read("ingest/existing_relationships", {"ids": ["uses-v"]}, type="USES_PHONE")
    assert (link["props"]["owner"], link["props"]["tlp"]) == ("LA-POL", "GREEN")
    assert await _vn_mps(store) == (LIMIT + 1, True)
    assert await store.read("ingest/pending_recounts", {"id": "widened"}) == []  # counted: none left noted
