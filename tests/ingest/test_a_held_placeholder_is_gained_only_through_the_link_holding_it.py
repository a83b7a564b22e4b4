"""A node a replace or a DEL leaves with no statement, only the end of links, is held as the
placeholder of the link it is held at (``placeholder_holds.holds_for_links``) and seen at that
link's level: only the agencies that see that link and did not see the node gain it. It was taken
as gained by every agency that did not see it, so the note and the breaker's check followed another
agency's hidden link from it: VN-MPS's RED link from KH-NP's p-1, held at KH-NP's own AMBER link
shared with LA-POL (nobody gains it), added ``note_quarantine_ids`` and ``clear_pending_recounts``
to KH-NP's writes and a count of VN-MPS's hidden phone, and so told KH-NP the link was there
(attack round a-98, 2)."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from tests.ingest.ingest_helpers import Records
from tests.ingest.store_calls import record_store_calls
from tests.ingest.test_breaker_checks_widenings import LIMIT, _load, _o, _scene

pytestmark = pytest.mark.backends

HIDDEN_PHONE = "phone:+66899999999"


async def _p1_narrowed_by_kh_np(store, hidden_link: bool) -> None:
    """KH-NP's AMBER p-1 (shared with LA-POL and VN-MPS), with ``hidden_link`` VN-MPS's RED link to
    its RED phone from it, then narrowed by KH-NP to LA-POL: VN-MPS no longer sees p-1."""
    await store.clear()
    await _scene(store, LIMIT)
    await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {"name": "p one"}, _o("kh", 1)),
                shared=["LA-POL", "VN-MPS"])
    if hidden_link:
        await _load(store, "VN-MPS", "RED", "vr", NodeRecord("Phone", HIDDEN_PHONE, {"number": "+66899999999"},
                                                             _o("vr", 1)),
                    NodeRecord("Person", "p-1", {}, _o("vr", 2), unresolved=True),
                    EdgeRecord("USES_PHONE", "vr-p1", "p-1", HIDDEN_PHONE, {}, _o("vr", 2)))
    await _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {"name": "p one"}, _o("kh", 1),
                                                          op="replace"), shared=["LA-POL"])


async def _kh_np_replace_referring_to_p1(store):
    return await run_load(store, Records(NodeRecord("Person", "p-2", {"name": "p two"}, _o("kh", 1)),
                                         NodeRecord("Person", "p-1", {}, _o("kh", 2), unresolved=True),
                                         EdgeRecord("ASSOCIATE_OF", "kh-a", "p-1", "p-2", {}, _o("kh", 2))),
                          source="kh", viewer="KH-NP", correlation_limit=LIMIT, replace=True,
                          provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=["LA-POL"]))


async def _kh_np_del_of_p1_linked_from_kh2(store):
    """KH-NP's AMBER link kh-a (shared with LA-POL) to p-1 from "kh2", then its DEL of p-1's record."""
    await _load(store, "KH-NP", "AMBER", "kh2", NodeRecord("Person", "p-2", {"name": "p two"}, _o("kh2", 3)),
                NodeRecord("Person", "p-1", {}, _o("kh2", 4), unresolved=True),
                EdgeRecord("ASSOCIATE_OF", "kh-a", "p-1", "p-2", {}, _o("kh2", 4)), shared=["LA-POL"])
    return lambda: _load(store, "KH-NP", "AMBER", "kh", NodeRecord("Person", "p-1", {}, _o("kh", 1), op="delete"),
                         shared=["LA-POL"])


async def _recorded(store, monkeypatch, hidden_link: bool, del_record: bool):
    """The writes (the lease's aside) and reads KH-NP's replace (or DEL) holding p-1 makes, what it
    is told, and p-1's level after."""
    await _p1_narrowed_by_kh_np(store, hidden_link)
    work = (await _kh_np_del_of_p1_linked_from_kh2(store)) if del_record else (
        lambda: _kh_np_replace_referring_to_p1(store))
    with monkeypatch.context() as m:
        calls = record_store_calls(store, m)
        told = await work()
    [p] = await store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    level = {k: p["props"].get(k) for k in ("owner", "tlp", "sharedWith", "unresolved")}
    return calls.writes, calls.read_names, {k: v for k, v in vars(told).items() if k != "seconds"}, level


@pytest.mark.parametrize("del_record", [False, True], ids=["replace", "del"])
async def test_a_node_held_at_the_loaders_own_narrow_link_writes_and_reads_the_same_whatever_another_agency_hides(
        empty_store, monkeypatch, del_record):
    without = await _recorded(empty_store, monkeypatch, False, del_record)
    with_link = await _recorded(empty_store, monkeypatch, True, del_record)
    assert without[3] == {"owner": "KH-NP", "tlp": "AMBER", "sharedWith": ["LA-POL"], "unresolved": True}
    assert "ingest/note_quarantine_ids" not in with_link[0]
    assert with_link[:3] == without[:3]
