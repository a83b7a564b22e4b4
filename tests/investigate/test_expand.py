"""``expand`` and ``edgesAmong`` on the planted graph: several seeds, supernodes ranked and
counted over visible neighbours only, filters, bounds."""

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.expand import edges_among, expand
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


def _ids(sub):
    return [n.id for n in sub.nodes]


async def test_expand_supernode_shows_its_most_recent_neighbours_first(planted_store):
    store, p = planted_store
    acc = p.accounts
    found = await expand(store, DEMO_PRINCIPAL, [acc["M3"]], relationship_types=["TRANSFERRED_TO"],
                         limit_per_node=2)
    # M3's visible counterparts: G1 (hour 260), W (hour 20), M2 (hour 7); X's transfer is RED.
    assert _ids(found.subgraph) == [acc["M3"], acc["G1"], acc["W"]]
    (cut,) = found.truncated_nodes
    assert (cut.node.id, cut.shown, cut.total) == (acc["M3"], 2, 3)
    assert found.subgraph.truncated is True


async def test_expand_supernode_total_counts_only_visible_neighbours(planted_store):
    store, p = planted_store
    acc = p.accounts
    found = await expand(store, TH_DSI, [acc["M3"]], relationship_types=["TRANSFERRED_TO"], limit_per_node=2)
    (cut,) = found.truncated_nodes
    assert (cut.shown, cut.total) == (2, 4)


async def test_expand_undated_neighbours_rank_by_id_and_report_the_cut(planted_store):
    store, p = planted_store
    found = await expand(store, DEMO_PRINCIPAL, [p.identifiers["hotline"]], limit_per_node=5)
    callers = sorted([p.people["R1"], *(f"per-pl-hotline-{i}" for i in range(12))])
    assert _ids(found.subgraph) == [p.identifiers["hotline"], *callers[:5]]
    assert [(c.shown, c.total) for c in found.truncated_nodes] == [(5, 13)]


async def test_expand_from_several_seeds_walks_from_each(planted_store):
    store, p = planted_store
    ppl = p.people
    found = await expand(store, DEMO_PRINCIPAL, [ppl["R4"], ppl["T1"]], depth=1)
    assert set(_ids(found.subgraph)) == {ppl["R4"], p.identifiers["ring-device"], ppl["T1"], "bcp-pl-1"}
    assert {e.type for e in found.subgraph.edges} == {"USES_DEVICE", "CROSSED"}
    assert found.truncated_nodes == [] and found.subgraph.truncated is False


async def test_expand_depth_two_reaches_the_second_ring(planted_store):
    store, p = planted_store
    ppl = p.people
    found = await expand(store, DEMO_PRINCIPAL, [ppl["R4"]], depth=2)
    assert set(_ids(found.subgraph)) == {ppl["R4"], p.identifiers["ring-device"], ppl["R3"]}


async def test_expand_hidden_hub_is_never_passed_through(planted_store):
    store, p = planted_store
    ppl = p.people
    demo = await expand(store, DEMO_PRINCIPAL, [ppl["N3"]], depth=2, limit_per_node=50)
    owner = await expand(store, TH_DSI, [ppl["N3"]], depth=2, limit_per_node=50)
    assert ppl["syn-hidden"] not in _ids(demo.subgraph)
    assert set(_ids(demo.subgraph)) == {ppl[f"N{i}"] for i in range(1, 6)} | {ppl["broker"]}
    assert ppl["S3"] in _ids(owner.subgraph)


async def test_expand_countries_admit_only_neighbours_tied_to_them(planted_store):
    store, p = planted_store
    ppl = p.people
    found = await expand(store, DEMO_PRINCIPAL, [ppl["victim"]], countries=["th"])
    assert _ids(found.subgraph) == [ppl["victim"], ppl["recruiter"]]


async def test_expand_since_until_bound_the_relationships_followed(planted_store):
    store, p = planted_store
    acc = p.accounts
    found = await expand(store, DEMO_PRINCIPAL, [acc["M3"]], since="2025-01-10T05:00:00",
                         until="2025-01-10T12:00:00")
    # M2 -> M3 at 09:00; M3 -> W at 22:00 and M3 -> G1 ten days later are out of range.
    assert _ids(found.subgraph) == [acc["M3"], acc["M2"]]


async def test_expand_limit_cuts_the_node_count_and_says_so(planted_store):
    store, p = planted_store
    found = await expand(store, DEMO_PRINCIPAL, [p.identifiers["hotline"]], limit_per_node=20, limit=4)
    assert len(found.subgraph.nodes) == 4 and found.subgraph.truncated is True


async def test_expand_unknown_seed_is_not_found(planted_store):
    store, p = planted_store
    with pytest.raises(NotFound):
        await expand(store, DEMO_PRINCIPAL, [p.people["R1"], p.people["syn-hidden"]])


@pytest.mark.parametrize("kwargs", [{"depth": 5}, {"limit_per_node": 0}, {"limit_per_node": 201},
                                    {"limit": 1001}, {"countries": ["Atlantis"]}, {"labels": ["Nope"]}])
async def test_expand_out_of_range_arguments_are_refused(planted_store, kwargs):
    store, p = planted_store
    with pytest.raises(InvalidArgument):
        await expand(store, DEMO_PRINCIPAL, [p.people["R1"]], **kwargs)


async def test_edges_among_relinks_visible_nodes_and_drops_hidden_ones(planted_store):
    store, p = planted_store
    ppl = p.people
    ids = [ppl["broker"], ppl["N1"], ppl["S1"], ppl["syn-hidden"], "no-such-id"]
    demo = await edges_among(store, DEMO_PRINCIPAL, ids)
    assert _ids(demo) == [ppl["broker"], ppl["N1"], ppl["S1"]]
    assert sorted((e.start, e.end) for e in demo.edges) == [(ppl["broker"], ppl["N1"]), (ppl["broker"], ppl["S1"])]
    owner = await edges_among(store, TH_DSI, ids)
    assert len(owner.edges) == 4
