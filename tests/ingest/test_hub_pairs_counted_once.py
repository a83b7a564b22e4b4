"""A delta of DEL/ADD pairs of one link to a hub counts the hub's holders once, not once per pair
(attack round a-62, 6): each pair is a flush of its own (graphapi/ingest/delta_order.py), and each
flush's circuit-breaker check read the hub's every holder, in the write lease; so did each DEL's
placeholder bookkeeping (the links on the deleted link's ends). The proof counts the reads that
walk the hub's links, never seconds."""

from __future__ import annotations

from collections import Counter

import pytest

from graphapi.ingest.holder_bounds import HolderBounds
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.security import Principal
from tests.ingest.ingest_helpers import Records
from tests.investigate.graphql_answers import answer

pytestmark = pytest.mark.backends

HUB = "phone:+66811111111"
HOLDERS = 200
PAIRS = 10
#: The statements that read every link (or holder) of a node they are given.
WALKS = ("ingest/identifier_holders", "ingest/identifier_holder_sets", "ingest/identifier_audiences",
         "ingest/identifier_shared_views", "ingest/link_levels")
LA = Principal("ana-la", agency="LA-POL")



async def _hub(store, limit: int) -> None:
    """KH-NP's GREEN phone held by its 200 RED people (marked for KH-NP alone: LA-POL's links to it
    are written, and checked), and LA-POL's GREEN person."""
    o = Origin("khp", "khp.csv", 1)
    await run_load(store, Records(NodeRecord("Phone", HUB, {"number": "+66811111111"}, o)), source="khp",
                   provenance=Provenance(owner="KH-NP", tlp="GREEN"), viewer="KH-NP")
    recs = []
    for i in range(HOLDERS):
        o = Origin("kh", "kh.csv", i + 2)
        recs += [NodeRecord("Person", f"per-kh-{i}", {"name": f"kh {i}"}, o),
                 EdgeRecord("USES_PHONE", f"uses-kh-{i}", f"per-kh-{i}", HUB, {}, o)]
    await run_load(store, Records(*recs), source="kh", provenance=Provenance(owner="KH-NP", tlp="RED"),
                   viewer="KH-NP", correlation_limit=limit)
    await run_load(store, Records(NodeRecord("Person", "per-la", {"name": "la"}, Origin("la0", "la0.csv", 1))),
                   source="la", provenance=Provenance(owner="LA-POL", tlp="GREEN"), viewer="LA-POL")


async def _pairs(store, monkeypatch, limit: int, then=(), between=lambda i: [], tlp="GREEN") -> Counter:
    """LA-POL's delta (at ``tlp``) of DEL/ADD pairs of its link to the hub (``between(i)``: records
    between the DEL and the ADD of pair i; ``then`` more records); the hub-walking reads it made,
    and (``ingest/holder_links``) the moved nodes' links to it read by id pair."""
    walks: Counter = Counter()
    read = store.read

    async def counting(name, params=None, *a, **k):
        if name in WALKS and (HUB in (params or {}).get("ids", ()) or (params or {}).get("id") == HUB):
            walks[name] += 1
        if name == "ingest/holder_links":
            walks[name] += len(params["rows"])
        return await read(name, params, *a, **k)

    monkeypatch.setattr(store, "read", counting)
    recs = []
    for i in range(PAIRS):
        o = Origin("las", "las.csv", i + 2)
        recs += [EdgeRecord("USES_PHONE", "uses-la", "per-la", HUB, {}, o, op="delete"), *between(i),
                 EdgeRecord("USES_PHONE", "uses-la", "per-la", HUB, {}, o)]
    counts = await run_load(store, Records(*recs, *then), source="la", viewer="LA-POL",
                            provenance=Provenance(owner="LA-POL", tlp=tlp), correlation_limit=limit)
    monkeypatch.setattr(store, "read", read)
    assert counts.rows_rejected == 0
    return walks


async def test_del_add_pairs_to_a_hub_count_its_holders_once(empty_store, monkeypatch):
    await _hub(empty_store, limit=HOLDERS + 10)
    await empty_store.write_batches("ingest/update_nodes", [{"id": HUB, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    walks = await _pairs(empty_store, monkeypatch, limit=5)
    # the breaker counts the hub once (the first ADD), whatever the pairs, with the other agencies'
    # views a public load's holders reach (its 200 hidden holders may take one past the limit:
    # public_views), and so does the recount of the quarantine the DELs noted, at close; no DEL
    # reads the hub's links
    assert walks == Counter({"ingest/identifier_holder_sets": 1, "ingest/identifier_shared_views": 1,
                             "ingest/identifier_audiences": 1, "ingest/identifier_holders": 1})
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [HUB], "types": ["USES_PHONE"],
                                                                "agencies": ["LA-POL"]})
    assert (row["holders"], row["audience"][0]["holders"], row["marks"]) == (1, 1, ["KH-NP"])
    assert await answer(empty_store, LA, f'{{ entity(id: "{HUB}") {{ ... on Phone {{ quarantined }} }} }}') == {
        "entity": {"quarantined": None}}


async def test_links_that_take_the_hub_past_the_limit_after_the_pairs_flag_it(empty_store, monkeypatch):
    # the bound kept after the pairs' one count does not hide a real crossing: TH-DSI's 3 GREEN
    # people and LA-POL's are 4 holders everyone may see; 2 more of LA-POL's in the same delta make
    # 6, past the limit of 5 (the load's own guard sees 3 of its links: it is the breaker's count)
    await _hub(empty_store, limit=HOLDERS + 10)
    await empty_store.write_batches("ingest/update_nodes", [{"id": HUB, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    th = []
    for i in range(3):
        o = Origin("th", "th.csv", i + 1)
        th += [NodeRecord("Person", f"per-th-{i}", {"name": f"th {i}"}, o),
               EdgeRecord("USES_PHONE", f"uses-th-{i}", f"per-th-{i}", HUB, {}, o)]
    await run_load(empty_store, Records(*th), source="th", provenance=Provenance(owner="TH-DSI", tlp="GREEN"),
                   viewer="TH-DSI", correlation_limit=5)
    more = []
    for i in range(2):
        o = Origin("las", "las.csv", 100 + i)
        more += [NodeRecord("Person", f"per-la-{i}", {"name": f"la {i}"}, o),
                 EdgeRecord("USES_PHONE", f"uses-la-{i}", f"per-la-{i}", HUB, {}, o)]
    walks = await _pairs(empty_store, monkeypatch, limit=5, then=more)
    [row] = await empty_store.read("ingest/identifier_holders", {"ids": [HUB], "types": ["USES_PHONE"],
                                                                "agencies": ["LA-POL"]})
    assert (row["holders"], row["quarantined"]) == (6, True)
    assert walks["ingest/identifier_holder_sets"] == 2  # the pairs' one count, and the crossing's


async def test_a_del_of_a_node_nobody_stored_in_each_pair_still_counts_the_hub_once(empty_store, monkeypatch):
    # a node DEL that deletes nothing changes no one's view: it dropped every bound, so each pair
    # with one counted the hub again (attack round a-68, 1)
    await _hub(empty_store, limit=HOLDERS + 10)
    await empty_store.write_batches("ingest/update_nodes", [{"id": HUB, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    walks = await _pairs(empty_store, monkeypatch, limit=5, between=lambda i: [
        NodeRecord("Person", f"nobody-{i}", {}, Origin("las", "las.csv", 200 + i), op="delete")])
    assert walks["ingest/identifier_holder_sets"] == 1


async def _own_people(store, n: int, tlp: str) -> None:
    """LA-POL's ``n`` people per-q-0.. at ``tlp``, of its source "la", linked to nothing."""
    people = (NodeRecord("Person", f"per-q-{j}", {"name": f"q {j}"}, Origin("la", "la.csv", j + 2)) for j in range(n))
    await run_load(store, Records(*people),
                   source="la", provenance=Provenance(owner="LA-POL", tlp=tlp), viewer="LA-POL")


async def test_a_mod_narrowing_51_own_nodes_in_each_pair_counts_the_hub_once(empty_store, monkeypatch):
    # a narrowing is no move (fewer see the nodes), written or not: the same 51 GREEN people said
    # again at RED in each pair (more than the limit) made every pair count the hub (attack round a-71, 1)
    await _hub(empty_store, limit=HOLDERS + 10)
    await empty_store.write_batches("ingest/update_nodes", [{"id": HUB, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    await _own_people(empty_store, 51, "GREEN")
    walks = await _pairs(empty_store, monkeypatch, limit=5, tlp="RED", between=lambda i: [
        NodeRecord("Person", f"per-q-{j}", {"name": f"q {j}"}, Origin("la", "la.csv", j + 2), op="replace")
        for j in range(51)])
    assert (walks["ingest/identifier_holder_sets"], walks["ingest/holder_links"]) == (1, 0)


async def test_51_own_nodes_widened_in_each_pair_count_the_hub_once_as_they_hold_none_of_it(empty_store,
                                                                                             monkeypatch):
    # 51 RED people seen by everyone from each pair on moved (more than the limit): a load-wide count
    # of moves made every pair count the hub; each one's links to the hub are read by id pair, once
    # (those of pairs 2 on: the delta's order writes the first two pairs' people before the first count)
    await _hub(empty_store, limit=HOLDERS + 10)
    await empty_store.write_batches("ingest/update_nodes", [{"id": HUB, "props": {"quarantinedFor": ["KH-NP"]}}], 10)
    await _own_people(empty_store, 51 * PAIRS, "RED")
    walks = await _pairs(empty_store, monkeypatch, limit=5, between=lambda i: [
        NodeRecord("Person", f"per-q-{j}", {"name": f"q {j}"}, Origin("la", "la.csv", j + 2), op="replace")
        for j in range(51 * i, 51 * (i + 1))])
    assert (walks["ingest/identifier_holder_sets"], walks["ingest/holder_links"]) == (1, 51 * (PAIRS - 2))


def test_an_identifier_dropped_from_the_bounds_takes_its_holders_off_the_weight_kept():
    # else the weight only grew with each drop and recount, and past MAX_HELD every bound went
    # (attack round a-68, 4)
    bounds = HolderBounds(50, ["LA-POL"])
    holders = [f"per-{i}" for i in range(50)]
    row = {"id": HUB, "public": holders, "views": [{"h": h, "seen": ["LA-POL"]} for h in holders],
           "quarantined": False, "marks": [], "audience": [{"agency": "LA-POL", "quarantined": False}]}
    for _ in range(10):
        bounds.counted(row)
        bounds.dropped([HUB])
    bounds.counted(row)
    assert bounds._held == 100  # the one entry kept: 50 holders for everyone, 50 for LA-POL


def test_a_check_reads_every_moved_node_not_read_yet_however_many_and_counts_none_that_holds_nothing():
    # a cap on what one check read (past it the hub was counted) let a load that moved more than
    # the cap count its hub again on every flush after (attack round a-71, 1's class)
    bounds = HolderBounds(5, ["LA-POL"])
    bounds.counted({"id": HUB, "public": [], "views": [], "quarantined": False, "marks": [],
                    "audience": [{"agency": "LA-POL", "quarantined": False}]})
    moved = [f"per-q-{j}" for j in range(1500)]
    bounds.moved(moved)
    nodes, links, pairs = bounds.unsure([HUB])
    assert (len(nodes), links, len(pairs)) == (1500, {}, 1500)
    bounds.known(nodes, [], {h: {"tlp": "GREEN", "owner": "LA-POL"} for h in nodes}, {},
                 {(HUB, h): [] for h in moved})
    assert (bounds.due([HUB]), bounds.unsure([HUB])) == ([], None)
