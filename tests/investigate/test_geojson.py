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
    ]}


def test_geojson_never_draws_a_node_the_reader_may_not_see_as_itself():
    # the GraphQL field names the nodes protected for the reader (a victim's home address)
    home = Node("address:v", ("Address",), {"lat": 16.7, "lon": 98.5, "caption": "V's home"})
    assert feature_collection([home], [], hidden={"address:v"}) == {"type": "FeatureCollection", "features": []}
    assert [f["id"] for f in feature_collection([home], [])["features"]] == ["address:v"]
