"""Conformance: neighbourhood, relationship pages and shortest paths on every backend."""

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.expand import neighborhood
from graphapi.investigate.paths import shortest_paths
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")
VN_MPS = Principal("analyst-vn", agency="VN-MPS")


async def test_neighborhood_of_compound_is_its_induced_one_hop_subgraph(backend_store):
    sg = await neighborhood(backend_store, DEMO_PRINCIPAL, "cmp-lucky-dragon")
    assert {n.id for n in sg.nodes} == {
        "cmp-lucky-dragon", "org-dragon-star", "per-zhao-wei", "per-aung-kyaw", "per-nguyen-van-an",
        "address:km 12 asian highway myawaddy kayin mm", "country:MM",
    }
    assert sorted(e.type for e in sg.edges) == [
        "DIRECTOR_OF", "HELD_AT", "IN_COUNTRY", "LOCATED_AT", "OPERATES", "WORKED_AT", "WORKED_AT",
    ]
    assert sg.truncated is False


async def test_neighborhood_never_includes_a_red_relationship_between_visible_nodes(backend_store):
    sg = await neighborhood(backend_store, DEMO_PRINCIPAL, "per-zhao-wei")
    assert "ASSOCIATE_OF" not in {e.type for e in sg.edges}
    owner_view = await neighborhood(backend_store, TH_DSI, "per-zhao-wei")
    assert "ASSOCIATE_OF" in {e.type for e in owner_view.edges}


async def test_neighborhood_limit_truncates(backend_store):
    sg = await neighborhood(backend_store, DEMO_PRINCIPAL, "cmp-lucky-dragon", depth=2, limit=4)
    assert len(sg.nodes) == 4 and sg.truncated is True


async def test_neighborhood_follows_only_requested_relationship_types(backend_store):
    sg = await neighborhood(backend_store, DEMO_PRINCIPAL, "phone:+66812345678", depth=1, relationship_types=["CALLED"])
    assert {n.id for n in sg.nodes} == {"phone:+66812345678", "phone:+84912345678", "phone:+959250012345"}
    assert len(sg.edges) == 3


async def test_neighborhood_rejects_depth_four(backend_store):
    with pytest.raises(InvalidArgument, match="depth"):
        await neighborhood(backend_store, DEMO_PRINCIPAL, "cmp-lucky-dragon", depth=4)


async def test_relationship_pages_count_only_visible_relationships(backend_store):
    demo, = await relationships_of(backend_store, DEMO_PRINCIPAL, ["per-nguyen-van-an"])
    owner, = await relationships_of(backend_store, VN_MPS, ["per-nguyen-van-an"])
    assert demo.total == 5 and owner.total == 6


async def test_relationship_pages_follow_keyset_cursors(backend_store):
    page1, = await relationships_of(backend_store, DEMO_PRINCIPAL, ["per-nguyen-van-an"], first=3)
    page2, = await relationships_of(
        backend_store, DEMO_PRINCIPAL, ["per-nguyen-van-an"], first=3, after=page1.end_cursor
    )
    assert page1.has_next and not page2.has_next
    types = sorted(e.relationship.type for e in page1.edges + page2.edges)
    assert types == ["CROSSED", "HELD_AT", "INVOLVED_IN", "RECRUITED", "USES_PHONE"]


async def test_relationship_pages_filter_by_direction_type_and_date(backend_store):
    out, = await relationships_of(
        backend_store, DEMO_PRINCIPAL, ["phone:+66812345678"], types=["CALLED"], direction="OUT",
        since="2024-10-01", until="2024-10-31",
    )
    assert [(e.other.id, e.relationship.properties["durationS"]) for e in out.edges] == [("phone:+959250012345", 41)]


async def test_relationship_pages_serve_many_nodes_in_one_round_trip(backend_store):
    before = backend_store.stats.round_trips
    pages = await relationships_of(backend_store, DEMO_PRINCIPAL, ["per-somchai", "per-zhao-wei", "cmp-lucky-dragon"])
    # the victim's RECRUITED and HELD_AT rows (tokens for the demo reader) are few: they come whole
    assert backend_store.stats.round_trips == before + 1
    assert [p.total for p in pages] == [5, 5, 6]


async def test_shortest_path_from_victim_to_boss_runs_through_the_compound(backend_store):
    paths = await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-nguyen-van-an", "per-zhao-wei")
    assert [[n.id for n in p.nodes] for p in paths] == [["per-nguyen-van-an", "cmp-lucky-dragon", "per-zhao-wei"]]
    assert [r.type for r in paths[0].relationships] == ["HELD_AT", "WORKED_AT"]


async def test_all_shortest_paths_from_recruiter_to_boss(backend_store):
    paths = await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-somchai", "per-zhao-wei")
    assert sorted(tuple(r.type for r in p.relationships) for p in paths) == [
        ("HOLDS_ACCOUNT", "TRANSFERRED_TO", "HOLDS_ACCOUNT"),
        ("RECRUITED", "HELD_AT", "WORKED_AT"),
        ("USES_PHONE", "CALLED", "USES_PHONE"),
        ("USES_PHONE", "CALLED", "USES_PHONE"),
    ]


async def test_shortest_path_detours_around_a_hidden_relationship(backend_store):
    demo = await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-zhao-wei", "per-aung-kyaw")
    owner = await shortest_paths(backend_store, TH_DSI, "per-zhao-wei", "per-aung-kyaw")
    assert [[r.type for r in p.relationships] for p in demo] == [["WORKED_AT", "WORKED_AT"]]
    assert [[r.type for r in p.relationships] for p in owner] == [["ASSOCIATE_OF"]]


async def test_shortest_path_respects_max_hops(backend_store):
    assert await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-somchai", "per-zhao-wei", max_hops=2) == []


async def test_shortest_path_to_hidden_node_is_not_found(backend_store):
    with pytest.raises(NotFound):
        await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-somchai", "phone:+84987654321")


async def test_relationship_date_filter_until_a_date_covers_that_whole_day(backend_store):
    page, = await relationships_of(
        backend_store, DEMO_PRINCIPAL, ["per-nguyen-van-an"], types=["CROSSED"], until="2024-10-01"
    )
    assert [e.relationship.properties["document"] for e in page.edges] == ["C7654321"]


async def test_relationship_date_filter_normalises_offsets_to_utc(backend_store):
    page, = await relationships_of(
        backend_store, DEMO_PRINCIPAL, ["per-nguyen-van-an"], types=["CROSSED"],
        since="2024-10-01T17:14:00+07:00", until="2024-10-01T17:14:00+07:00",
    )
    assert page.total == 1


@pytest.mark.parametrize(("since", "until"), [("yesterday", None), ("2024-13-45", None), ("2024-10-02", "2024-10-01")])
async def test_relationship_date_filter_rejects_bad_or_reversed_bounds(backend_store, since, until):
    with pytest.raises(InvalidArgument):
        await relationships_of(backend_store, DEMO_PRINCIPAL, ["per-nguyen-van-an"], since=since, until=until)
