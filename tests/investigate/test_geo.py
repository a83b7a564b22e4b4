"""nearby and within around the gazetteer's Mae Sot - Myawaddy checkpoint (16.70 N, 98.52 E), with
a compound near it, another agency's RED compound nearer still, and one outside the radius; and
GeoJSON of a subgraph with positions."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.gazetteers import GazetteerReader
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.geo import haversine_km, nearby, within
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
TH_DSI = Principal("analyst-th", agency="TH-DSI")
MAE_SOT = (16.70, 98.52)
RED = {"tlp": "RED", "owner": "TH-DSI"}


def _compound(cid: str, lat: float, lon: float, **extra) -> NodeRecord:
    return NodeRecord("Compound", cid, {"name": cid, "lat": lat, "lon": lon, **extra})


@pytest.fixture
async def geo_store(backend_empty_store):
    store = backend_empty_store
    await run_load(store, GazetteerReader(kinds=("checkpoints",)), source="gazetteer", provenance=PUBLIC)
    await write_records(store, [
        _compound("cmp-geo-near", 16.75, 98.55),
        _compound("cmp-geo-hidden", 16.71, 98.52, **RED),  # about 1 km from the checkpoint: TH-DSI's only
        _compound("cmp-geo-far", 16.80, 98.60),  # about 14 km
        _compound("cmp-geo-east", 0.0, 179.9),
        _compound("cmp-geo-west", 0.0, -179.9),
        _compound("cmp-geo-north", 60.0, 9.0),
        NodeRecord("Compound", "cmp-geo-nowhere", {"name": "No position"}),
    ], provenance=Provenance(owner="lintas", tlp="GREEN"), source="geo-test")
    return store


async def test_nearby_finds_the_checkpoint_and_the_compound_within_the_radius_nearest_first(geo_store):
    found = await nearby(geo_store, DEMO_PRINCIPAL, *MAE_SOT, radius_km=10)
    assert [(h.node.id, round(h.distance_km, 2)) for h in found.hits] == [
        ("bcp-th-mm-mae-sot", 0.0), ("cmp-geo-near", round(haversine_km(*MAE_SOT, 16.75, 98.55), 2))]
    assert (found.hits[0].lat, found.hits[0].lon, found.truncated) == (16.70, 98.52, False)


async def test_nearby_never_shows_or_counts_a_hidden_place(geo_store):
    owner = await nearby(geo_store, TH_DSI, *MAE_SOT, radius_km=10, limit=2)
    assert [h.node.id for h in owner.hits] == ["bcp-th-mm-mae-sot", "cmp-geo-hidden"] and owner.truncated is True
    demo = await nearby(geo_store, DEMO_PRINCIPAL, *MAE_SOT, radius_km=10, limit=2)
    assert [h.node.id for h in demo.hits] == ["bcp-th-mm-mae-sot", "cmp-geo-near"] and demo.truncated is False


async def test_nearby_labels_keep_the_gazetteers_checkpoints_by_distance(geo_store):
    found = await nearby(geo_store, DEMO_PRINCIPAL, *MAE_SOT, radius_km=200, labels=["BorderCheckpoint"])
    assert [(h.node.id, round(h.distance_km)) for h in found.hits] == [
        ("bcp-th-mm-mae-sot", 0), ("bcp-th-mm-three-pagodas", 156)]


async def test_nearby_reaches_across_the_antimeridian(geo_store):
    found = await nearby(geo_store, DEMO_PRINCIPAL, 0.0, 179.95, radius_km=20)
    assert [(h.node.id, round(h.distance_km, 1)) for h in found.hits] == [("cmp-geo-east", 5.6), ("cmp-geo-west", 16.7)]


async def test_nearby_far_north_finds_a_place_on_the_same_parallel_at_the_edge_of_the_radius(geo_store):
    # 500 km due "east" along the 60th parallel is 9.0 degrees of longitude by the great circle,
    # more than 500 km / cos(60) along the parallel (8.99): the box must be wide enough for it.
    found = await nearby(geo_store, DEMO_PRINCIPAL, 60.0, 0.0, radius_km=500)
    assert [(h.node.id, round(h.distance_km)) for h in found.hits] == [("cmp-geo-north", 500)]


async def test_within_lists_the_box_by_id_and_says_when_the_limit_cut(geo_store):
    box = [98.0, 15.0, 99.0, 16.78]  # [west, south, east, north]
    found = await within(geo_store, DEMO_PRINCIPAL, box)
    assert [h.node.id for h in found.hits] == ["bcp-th-mm-mae-sot", "bcp-th-mm-three-pagodas", "cmp-geo-near"]
    assert all(h.distance_km is None for h in found.hits) and found.truncated is False
    cut = await within(geo_store, DEMO_PRINCIPAL, box, labels=["Compound"], limit=1)
    assert ([h.node.id for h in cut.hits], cut.truncated) == (["cmp-geo-near"], False)
    cut = await within(geo_store, DEMO_PRINCIPAL, box, limit=1)
    assert ([h.node.id for h in cut.hits], cut.truncated) == (["bcp-th-mm-mae-sot"], True)


async def test_within_a_box_across_the_antimeridian(geo_store):
    found = await within(geo_store, DEMO_PRINCIPAL, [179.0, -1.0, -179.0, 1.0])
    assert [h.node.id for h in found.hits] == ["cmp-geo-east", "cmp-geo-west"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda: nearby(None, DEMO_PRINCIPAL, 90.5, 0.0), "lat must be a latitude between -90 and 90"),
    (lambda: nearby(None, DEMO_PRINCIPAL, 0.0, -180.5), "lon must be a longitude between -180 and 180"),
    (lambda: nearby(None, DEMO_PRINCIPAL, float("nan"), 0.0), "lat must be"),
    (lambda: nearby(None, DEMO_PRINCIPAL, 0.0, 0.0, radius_km=0), "radiusKm must be more than 0 and at most 1000"),
    (lambda: nearby(None, DEMO_PRINCIPAL, 0.0, 0.0, radius_km=1000.5), "radiusKm"),
    (lambda: nearby(None, DEMO_PRINCIPAL, 0.0, 0.0, labels=["Person"]), "labels must be some of the positioned"),
    (lambda: nearby(None, DEMO_PRINCIPAL, 0.0, 0.0, limit=0), "limit"),
    (lambda: within(None, DEMO_PRINCIPAL, [1.0, 2.0, 3.0]), r"bbox must be \[west, south, east, north\]"),
    (lambda: within(None, DEMO_PRINCIPAL, [0.0, 10.0, 1.0, 5.0]), "bbox south"),
    (lambda: within(None, DEMO_PRINCIPAL, [0.0, -91.0, 1.0, 5.0]), "bbox south must be a latitude"),
])
async def test_geo_refuses_bad_input_before_reading_the_store(call, message):
    with pytest.raises(InvalidArgument, match=message):
        await call()


async def test_nearby_field_answers_hits_and_their_geojson_and_is_audited(geo_store, tmp_path):
    from test_analytics_graphql import _run  # the analytics GraphQL harness (audit log, redaction)

    query = """{ nearby(lat: 16.70, lon: 98.52, radiusKm: 10) {
        hits { entity { lintasId } distanceKm } subgraph { geojson } truncated } }"""
    result, entries = await _run(geo_store, tmp_path, query)
    assert result.errors is None, result.errors
    data = result.data["nearby"]
    assert [h["entity"]["lintasId"] for h in data["hits"]] == ["bcp-th-mm-mae-sot", "cmp-geo-near"]
    points = [(f["id"], f["geometry"]["coordinates"]) for f in data["subgraph"]["geojson"]["features"]]
    assert points == [("bcp-th-mm-mae-sot", [98.52, 16.70]), ("cmp-geo-near", [98.55, 16.75])]
    assert entries[0]["arguments"]["fields"] == ["nearby"] and entries[0]["outcome"] == "ok"
    bad, _ = await _run(geo_store, tmp_path, "{ nearby(lat: 91, lon: 0) { truncated } }")
    assert list(bad.data.values()) == [None] and bad.errors[0].extensions["code"] == "BAD_USER_INPUT"


async def test_expand_geojson_draws_the_edge_between_a_checkpoint_and_its_address(geo_store, tmp_path):
    from test_analytics_graphql import _run

    await write_records(geo_store, [
        NodeRecord("Address", "address:geo-1", {"addressKey": "geo-1", "full": "1 Border Road", "lat": 16.69,
                                                "lon": 98.51}),
        NodeRecord("Person", "per-geo-1", {"name": "Geo Guard"}),
        EdgeRecord("LOCATED_AT", "geo-located", "bcp-th-mm-mae-sot", "address:geo-1", {}),
        EdgeRecord("WORKED_AT", "geo-worked", "per-geo-1", "bcp-th-mm-mae-sot", {}),
    ], provenance=Provenance(owner="lintas", tlp="GREEN"), source="geo-test")
    result, _ = await _run(geo_store, tmp_path, '{ expand(ids: ["bcp-th-mm-mae-sot"]) { geojson } }')
    assert result.errors is None, result.errors
    features = result.data["expand"]["geojson"]["features"]
    assert [(f["geometry"]["type"], f["id"]) for f in features] == [
        ("Point", "bcp-th-mm-mae-sot"), ("Point", "address:geo-1"), ("LineString", "geo-located")]
    assert features[2]["geometry"]["coordinates"] == [[98.52, 16.70], [98.51, 16.69]]


async def test_nearby_and_within_leave_out_a_victims_home_unless_the_reader_holds_victim_data(geo_store):
    # attack round 3, G1: within answered the home's lat/lon, nearby its distance (0.0 at a guess)
    await write_records(geo_store, [
        NodeRecord("Person", "per-geo-victim", {"name": "Geo Victim"}),
        NodeRecord("Address", "address:geo-home", {"addressKey": "geo-home", "full": "2 River Lane", "lat": 16.705,
                                                   "lon": 98.525}),
        NodeRecord("Case", "case:geo-1", {"agency": "lintas", "caseNumber": "GEO-1", "title": "Geo case"}),
        EdgeRecord("LOCATED_AT", "geo-home-of", "per-geo-victim", "address:geo-home", {}),
        EdgeRecord("INVOLVED_IN", "geo-victim-in", "per-geo-victim", "case:geo-1", {"role": "victim"}),
    ], provenance=Provenance(owner="lintas", tlp="GREEN"), source="geo-test")
    box = [98.0, 15.0, 99.0, 16.78]
    reader = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
    near = await nearby(geo_store, reader, *MAE_SOT, radius_km=10, limit=2)
    assert [h.node.id for h in near.hits] == ["bcp-th-mm-mae-sot", "cmp-geo-near"] and near.truncated is False
    inside = await within(geo_store, reader, box, labels=["Address"])
    assert inside.hits == [] and inside.truncated is False
    holder = Principal("analyst-vd", agency="VN-MPS", roles=frozenset({"analyst", "victim-data"}))
    near = await nearby(geo_store, holder, *MAE_SOT, radius_km=10, limit=2)
    assert [h.node.id for h in near.hits] == ["bcp-th-mm-mae-sot", "address:geo-home"] and near.truncated is True
    assert [h.node.id for h in (await within(geo_store, holder, box, labels=["Address"])).hits] == ["address:geo-home"]
