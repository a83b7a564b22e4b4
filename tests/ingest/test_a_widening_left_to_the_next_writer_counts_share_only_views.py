"""What a writer leaves noted for the next writer's recount (graphapi.ingest.pending_widenings: an
FtM MOD's re-own, a DEL or share killed before the breaker's count) is counted for the agencies that
see the identifier's holders only through shares too. The recount counted everyone and the owners
of holders and links: TH-DSI, seeing 5 holders of KH-NP's phone only as VN-MPS's or KH-NP's AMBER
items shared with it, was left at 6 of the limit of 5, unmarked, for good, with nothing killed
after a MOD (attack round a-89, 2) and after any kill of a share (a-89, 5)."""

from __future__ import annotations

import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.security.principal import Principal
from graphapi.security.share import share
from tests.ingest.test_breaker_checks_widenings import LIMIT, PHONE, _load, _o, _th_dsi
from tests.store_kills import killed_after_write

pytestmark = pytest.mark.backends

NUMBER = "+66811111111"


async def _phone_with_holders_shared_with_th_dsi(store, owner: str) -> None:
    """KH-NP's GREEN phone, and ``owner``'s 5 AMBER holders of it shared with TH-DSI (it owns none)."""
    await _load(store, "KH-NP", "GREEN", "khp", NodeRecord("Phone", PHONE, {"number": NUMBER}, _o("khp", 1)))
    await _load(store, owner, "AMBER", "vt", *(r for i in range(LIMIT) for r in (
        NodeRecord("Person", f"per-t-{i}", {"name": f"t {i}"}, _o("vt", i + 1)),
        EdgeRecord("USES_PHONE", f"uses-t-{i}", f"per-t-{i}", PHONE, {}, _o("vt", i + 1)))), shared=["TH-DSI"])


async def _next_writer(store) -> None:
    """Another agency's load, unrelated: its turn recounts what was left noted."""
    await _load(store, "KH-NP", "RED", "kx", NodeRecord("Person", "kx", {"name": "x"}, _o("kx", 1)))


async def _ftm(store, tmp_path, agency: str, tlp: str, docs: list[dict], shared=()) -> None:
    path = tmp_path / f"{agency}-{len(list(tmp_path.iterdir()))}.ftm.json"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    source = agency.lower()
    await run_load(store, FtmReader([path], source=source), source=source, viewer=agency,
                   correlation_limit=LIMIT, provenance=Provenance(agency, tlp, tuple(shared)))


async def test_an_ftm_mod_re_owning_its_phone_link_wider_is_marked_for_an_agency_seeing_the_holders_through_shares(
        empty_store, tmp_path):
    # KH-NP's AMBER line of p-1 with the phone, shared with LA-POL; LA-POL's GREEN line of it; the
    # MOD dropping the phone hands the link to LA-POL's GREEN statement: every agency sees a 6th holder
    await _phone_with_holders_shared_with_th_dsi(empty_store, "VN-MPS")
    await _load(empty_store, "KH-NP", "AMBER", "khn", NodeRecord("Person", "p-1", {"name": "Pat One"}, _o("khn", 1)),
                shared=["LA-POL", "TH-DSI"])
    line = {"id": "p-1", "schema": "Person", "properties": {"name": ["Pat One"], "phone": [NUMBER]}}
    await _ftm(empty_store, tmp_path, "KH-NP", "AMBER", [line], ["LA-POL"])
    await _ftm(empty_store, tmp_path, "LA-POL", "GREEN", [line])
    assert await _th_dsi(empty_store) == (LIMIT, False)
    mod = {"op": "MOD", "entity": {"id": "p-1", "schema": "Person", "properties": {"name": ["Pat One"]}}}
    await _ftm(empty_store, tmp_path, "KH-NP", "AMBER", [mod], ["LA-POL"])
    await _next_writer(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)


@pytest.fixture
def policy_limit(tmp_path, monkeypatch):
    """The policy's correlation limit is LIMIT (a share reads the policy's)."""
    path = tmp_path / "limit.yaml"
    path.write_text(f"policy:\n  correlation_limit: {LIMIT}\n")
    monkeypatch.setenv("LINTAS_EXCLUSIONS", str(path))


async def test_a_share_killed_after_sharing_its_link_is_marked_by_the_next_writer_for_an_agency_seeing_the_holders_through_shares(  # noqa: E501
        empty_store, monkeypatch, policy_limit):
    # LA-POL's RED holder per-h and RED link to the phone, shared with TH-DSI at AMBER: its 6th holder
    la = Principal("analyst-la", agency="LA-POL", roles=frozenset({"analyst"}))
    await _phone_with_holders_shared_with_th_dsi(empty_store, "KH-NP")
    await _load(empty_store, "LA-POL", "RED", "la", NodeRecord("Person", "per-h", {"name": "h"}, _o("la", 1)),
                EdgeRecord("USES_PHONE", "uses-h", "per-h", PHONE, {}, _o("la", 2)))
    await killed_after_write(empty_store, monkeypatch, "security/share_relationships",
                             lambda: share(empty_store, la, ["per-h"], ["TH-DSI"], "AMBER"))
    await _next_writer(empty_store)
    assert await _th_dsi(empty_store) == (LIMIT + 1, True)
