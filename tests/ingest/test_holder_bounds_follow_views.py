"""The breaker's bounds on an identifier's holders (graphapi/ingest/holder_bounds.py) follow what
each view of the load's audience may see: a placeholder a DEL holds anew at another agency's link
is a holder some agency may see now (attack round a-68, 2), and a holder a view cannot read is no
new holder of that view (a-68, 3). The proofs count marks and the reads that walk the hub's links,
never seconds."""

from __future__ import annotations

from collections import Counter

import pytest

from graphapi.ingest.holder_bounds import HolderBounds
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from tests.ingest.ingest_helpers import Records

pytestmark = pytest.mark.backends

PHONE = "phone:+66811111111"
LIMIT = 5
AGENCIES = ["LA-POL", "KH-NP", "TH-DSI", "VN-MPS"]


async def _load(store, owner: str, tlp: str, source: str, *recs, shared=()):
    return await run_load(store, Records(*recs), source=source, viewer=owner, correlation_limit=LIMIT,
                          provenance=Provenance(owner=owner, tlp=tlp, shared_with=list(shared)))


async def _views(store) -> dict[str, tuple[int, bool]]:
    """Agency -> (holders of the phone it sees, quarantined for it), counted from scratch."""
    [row] = await store.read("ingest/identifier_holders", {"ids": [PHONE], "types": ["USES_PHONE"],
                                                           "agencies": AGENCIES})
    return {v["agency"]: (v["holders"], v["quarantined"]) for v in row["audience"]}


async def _phone(store) -> None:
    await _load(store, "KH-NP", "GREEN", "khp", NodeRecord("Phone", PHONE, {"number": "+66811111111"},
                                                           Origin("khp", "khp.csv", 1)))


async def _people(store, owner: str, tlp: str, n: int, source: str) -> None:
    """``n`` people of ``owner`` at ``tlp``, each using the phone."""
    recs = []
    for i in range(n):
        o = Origin(source, f"{source}.csv", i + 1)
        recs += [NodeRecord("Person", f"per-{source}-{i}", {"name": f"{source} {i}"}, o),
                 EdgeRecord("USES_PHONE", f"uses-{source}-{i}", f"per-{source}-{i}", PHONE, {}, o)]
    await run_load(store, Records(*recs), source=source, viewer=owner, correlation_limit=n + 10,
                   provenance=Provenance(owner=owner, tlp=tlp))


async def test_a_placeholder_a_del_holds_at_another_agencys_link_is_counted_for_the_agencies_it_reaches(empty_store):
    # TH-DSI sees 5 holders of KH-NP's GREEN phone: its 4 RED people and VN-MPS's GREEN per-g.
    # LA-POL's placeholder per-p (AMBER, shared with KH-NP) is held by LA-POL's own link; KH-NP's
    # AMBER link from it to the phone is shared with TH-DSI, who cannot see per-p
    s = empty_store
    await _phone(s)
    o = Origin("vn", "vn.csv", 1)
    await _load(s, "VN-MPS", "GREEN", "vn", NodeRecord("Person", "per-g", {"name": "g"}, o),
                EdgeRecord("USES_PHONE", "uses-g", "per-g", PHONE, {}, o))
    await _people(s, "TH-DSI", "RED", LIMIT - 1, "th")
    o = Origin("la", "la.csv", 1)
    await _load(s, "LA-POL", "AMBER", "la", NodeRecord("Person", "per-q", {"name": "q"}, o),
                NodeRecord("Person", "per-p", {}, o, unresolved=True),
                EdgeRecord("ASSOCIATE_OF", "assoc-pq", "per-p", "per-q", {}, o), shared=["KH-NP"])
    await _load(s, "KH-NP", "AMBER", "khl", EdgeRecord("USES_PHONE", "uses-kh-p", "per-p", PHONE, {},
                                                        Origin("khl", "khl.csv", 1)), shared=["TH-DSI"])
    assert (await _views(s))["TH-DSI"] == (LIMIT, False)
    # LA-POL's load (shared with TH-DSI) links per-g, deletes its own link on per-p (per-p is held
    # anew at KH-NP's link: KH-NP's, AMBER, shared with TH-DSI, a 6th holder TH-DSI sees) and
    # links per-g again
    o = Origin("la", "la2.csv", 1)
    await _load(s, "LA-POL", "AMBER", "la", EdgeRecord("USES_PHONE", "uses-la-g1", "per-g", PHONE, {}, o),
                EdgeRecord("ASSOCIATE_OF", "assoc-pq", "per-p", "per-q", {}, o, op="delete"),
                EdgeRecord("USES_PHONE", "uses-la-g2", "per-g", PHONE, {}, o), shared=["TH-DSI"])
    [p] = await s.read("ingest/existing_nodes", {"ids": ["per-p"]})
    assert (p["props"]["owner"], p["props"]["sharedWith"]) == ("KH-NP", ["TH-DSI"])
    # past the limit for TH-DSI: marked, as a count of every holder from scratch marks it
    assert (await _views(s))["TH-DSI"] == (LIMIT + 1, True)


HUB_HOLDERS = 40
PAIRS = 10


async def _hub_pairs(store, monkeypatch, th: int, then=()) -> Counter:
    """KH-NP's GREEN phone held by 40 RED KH-NP people (marked for KH-NP), ``th`` RED people of
    TH-DSI, and LA-POL's RED person; then LA-POL's delta, AMBER shared with TH-DSI, of DEL/ADD
    pairs of its person's link to it (TH-DSI may read the link, not the person), and ``then``.
    Returns the reads that walk the hub's links."""
    await _phone(store)
    await _people(store, "KH-NP", "RED", HUB_HOLDERS, "kh")
    await store.write_batches("ingest/update_nodes", [{"id": PHONE, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    await _people(store, "TH-DSI", "RED", th, "th")
    await _load(store, "LA-POL", "RED", "la0", NodeRecord("Person", "per-la", {"name": "la"}, Origin("la0", "a", 1)))
    walks: Counter = Counter()
    read = store.read

    async def counting(name, params=None, *a, **k):
        if name.startswith("ingest/identifier_") and PHONE in (params or {}).get("ids", ()):
            walks[name] += 1
        return await read(name, params, *a, **k)

    monkeypatch.setattr(store, "read", counting)
    recs = []
    for i in range(PAIRS):
        o = Origin("las", "las.csv", i + 2)
        recs += [EdgeRecord("USES_PHONE", "uses-la", "per-la", PHONE, {}, o, op="delete"),
                 EdgeRecord("USES_PHONE", "uses-la", "per-la", PHONE, {}, o)]
    counts = await _load(store, "LA-POL", "AMBER", "las", *recs, *then, shared=["TH-DSI"])
    monkeypatch.setattr(store, "read", read)
    assert counts.rows_rejected == 0
    return walks


async def test_pairs_whose_holder_a_view_at_the_limit_cannot_see_count_the_hub_once(empty_store, monkeypatch):
    # TH-DSI sees exactly the limit; LA-POL's person is no holder of TH-DSI's, whatever its pairs do:
    # each pair counted the hub again, and how long the load took told LA-POL TH-DSI's hidden count
    walks = await _hub_pairs(empty_store, monkeypatch, th=LIMIT)
    assert walks["ingest/identifier_holder_sets"] == 1
    assert (await _views(empty_store))["TH-DSI"] == (LIMIT, False)


async def test_a_holder_the_view_at_the_limit_sees_after_the_pairs_marks_it(empty_store, monkeypatch):
    # the bound read closer does not hide a crossing: LA-POL's person shared with TH-DSI is a 6th
    # holder TH-DSI sees (limit 5), counted and marked
    o = Origin("las", "las.csv", 100)
    walks = await _hub_pairs(empty_store, monkeypatch, th=LIMIT, then=[
        NodeRecord("Person", "per-la-seen", {"name": "seen"}, o),
        EdgeRecord("USES_PHONE", "uses-la-seen", "per-la-seen", PHONE, {}, o)])
    assert walks["ingest/identifier_holder_sets"] == 2  # the pairs' one count, and the crossing's
    assert (await _views(empty_store))["TH-DSI"] == (LIMIT + 1, True)


async def test_a_placeholder_a_mods_narrowing_holds_at_another_agencys_link_is_told_to_the_bounds(
        empty_store, tmp_path, monkeypatch):
    # KH-NP's GREEN Membership m-1 p-1 -> o-1 made o-1 its placeholder; TH-DSI's GREEN m-2 links
    # it too. KH-NP's MOD at RED narrows m-1, and o-1 is held anew at TH-DSI's link: TH-DSI's now,
    # a node whose owner changed, as a relevel's (the breaker counts what it holds again)
    from _load_ftm import ANNA, M1, M2, T1, load, person

    await load(empty_store, tmp_path, "KH-NP", "GREEN", [person(ANNA), M1], "kh")
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [T1, M2], "th")
    told: list[str] = []
    moved = HolderBounds.moved

    def telling(self, ids):
        ids = list(ids)
        told.extend(ids)
        moved(self, ids)

    monkeypatch.setattr(HolderBounds, "moved", telling)
    await load(empty_store, tmp_path, "KH-NP", "RED", [{"op": "MOD", "entity": d} for d in (person(ANNA), M1)], "kh")
    [o] = await empty_store.read("ingest/existing_nodes", {"ids": ["o-1"]})
    assert o["props"]["owner"] == "TH-DSI"
    assert "o-1" in told
