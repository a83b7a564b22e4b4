"""A widening's note and count follow a widened holder's links only where an agency gaining the
holder may see them (graphapi/ingest/widened_links.py): another agency's link the gaining views may
not see never changes what the loader's load writes or reads (attack round a-95, 2: LA-POL's MOD
widening its AMBER per-h3 to TH-DSI wrote note_quarantine_ids and clear_pending_recounts only when
VN-MPS had a RED link from per-h3 to its own RED phone). Proofs count writes and rows, never time."""

from __future__ import annotations

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
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


def _recording(store, monkeypatch) -> tuple[list[str], list[int]]:
    """The writes made from now on (the lease's aside), and the rows of each gained-links read."""
    writes, rows = [], []
    write, batches, read = store.write, store.write_batches, store.read

    async def w(name, *a, **k):
        if "write_lease" not in name:
            writes.append(name)
        return await write(name, *a, **k)

    async def wb(name, *a, **k):
        writes.append(name)
        return await batches(name, *a, **k)

    async def r(name, *a, **k):
        out = await read(name, *a, **k)
        if name == "ingest/linked_identifiers_gained":
            rows.append(len(out))
        return out
    monkeypatch.setattr(store, "write", w)
    monkeypatch.setattr(store, "write_batches", wb)
    monkeypatch.setattr(store, "read", r)
    return writes, rows


async def _mod_widening_per_h3(store, monkeypatch, vn_link: str | None,
                               la_link: bool = True) -> tuple[list[str], list[int], dict]:
    await _per_h3(store, vn_link, la_link)
    with monkeypatch.context() as m:
        writes, rows = _recording(store, m)
        s = await _load(store, "LA-POL", "AMBER", "lah3", NodeRecord("Person", "per-h3", {"name": "h3"},
                                                                     _o("lah3", 1), op="replace"),
                        shared=["VN-MPS", "TH-DSI"])
    return writes, rows, {k: v for k, v in vars(s).items() if k != "seconds"}


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
    await store.clear()
    await _scene(store, LIMIT)
    await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {"name": "p one"}, _o("kh", 1)),
                shared=["LA-POL", "VN-MPS"])
    await _load(store, "VN-MPS", "AMBER", "vn", NodeRecord("Person", "p-1", {"name": "p one"}, _o("vn", 1)),
                shared=["KH-NP", "TH-DSI"])
    if hidden_link:
        await _load(store, "VN-MPS", "RED", "vr", NodeRecord("Phone", VN_PHONE, {"number": "+66877777777"},
                                                             _o("vr", 1)),
                    EdgeRecord("USES_PHONE", "vr-p1", "p-1", VN_PHONE, {}, _o("vr", 2)))
    with monkeypatch.context() as m:
        writes, _ = _recording(store, m)
        s = await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {}, _o("kh", 2), op="delete"),
                        shared=["LA-POL", "VN-MPS"])
    return writes, {k: v for k, v in vars(s).items() if k != "seconds"}


async def test_a_del_re_owning_a_holder_writes_the_same_whatever_red_link_another_agency_hid_on_it(
        empty_store, monkeypatch):
    without = await _del_re_owning_p1(empty_store, monkeypatch, False)
    with_link = await _del_re_owning_p1(empty_store, monkeypatch, True)
    [p] = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert p["props"]["owner"] == "VN-MPS"
    assert "ingest/note_quarantine_ids" not in without[0]
    assert with_link == without
