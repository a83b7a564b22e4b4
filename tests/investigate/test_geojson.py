"""GeoJSON (RFC 7946) of a subgraph: Points for positioned nodes, LineStrings between two of them,
[longitude, latitude] order."""

from graphapi.investigate.geojson import feature_collection
from graphapi.store import Node, Relationship


def test_geojson_draws_positioned_nodes_and_the_edges_between_them_lon_first():
    nodes = [Node("cmp-a", ("Compound",), {"lat": 16.75, "lon": 98.55, "caption": "A"}),
             Node("address:x", ("Address",), {"lat": 16.7, "lon": 98.5, "caption": "X street"}),
             Node("per-b", ("Person",), {"caption": "B"}),
             Node("cmp-bad", ("Compound",), {"lat": 123.0, "lon": 98.5, "caption": "Bad"})]
    edges = [Relationship("r1", "LOCATED_AT", "cmp-a", "address:x", {}),
             Relationship("r2", "WORKED_AT", "per-b", "cmp-a", {})]
    assert feature_collection(nodes, edges) == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "cmp-a", "geometry": {"type": "Point", "coordinates": [98.55, 16.75]},
         "properties": {"lintasId": "cmp-a", "label": "Compound", "caption": "A"}},
        {"type": "Feature", "id": "address:x", "geometry": {"type": "Point", "coordinates": [98.5, 16.7]},
         "properties": {"lintasId": "address:x", "label": "Address", "caption": "X street"}},
        {"type": "Feature", "id": "r1",
         "geometry": {"type": "LineString", "coordinates": [[98.55, 16.75], [98.5, 16.7]]},
         "properties": {"type": "LOCATED_AT", "sourceId": "cmp-a", "targetId": "address:x"}},
    ], "nodesNotDrawn": 2, "relationshipsNotDrawn": 1}


def test_geojson_never_draws_a_node_the_reader_may_not_see_as_itself():
    # the GraphQL field names the nodes protected for the reader (a victim's home address)
    home = Node("address:v", ("Address",), {"lat": 16.7, "lon": 98.5, "caption": "V's home"})
    assert feature_collection([home], [], hidden={"address:v"}) == {
        "type": "FeatureCollection", "features": [], "nodesNotDrawn": 1, "relationshipsNotDrawn": 0}
    assert [f["id"] for f in feature_collection([home], [])["features"]] == ["address:v"]


def test_geojson_of_entities_without_coordinates_says_how_many_it_could_not_draw():
    # new-user trial 7: an empty map of two accounts and their transfer said nothing of why
    nodes = [Node("account:a", ("BankAccount",), {"caption": "A"}), Node("account:b", ("BankAccount",), {}),
             Node("account:a", ("BankAccount",), {"caption": "A"})]
    edges = [Relationship("t1", "TRANSFERRED_TO", "account:a", "account:b", {})]
    assert feature_collection(nodes, edges) == {
        "type": "FeatureCollection", "features": [], "nodesNotDrawn": 2, "relationshipsNotDrawn": 1}


def test_geojson_counts_a_blanked_position_as_one_without_coordinates():
    # the reader sees the victim's address with lat/lon blanked: "not drawn", as for no position
    home = Node("address:v", ("Address",), {"lat": 16.7, "lon": 98.5})
    bare = Node("address:w", ("Address",), {})
    assert feature_collection([home], [], hidden={"address:v"})["nodesNotDrawn"] == \
        feature_collection([bare], [])["nodesNotDrawn"] == 1
