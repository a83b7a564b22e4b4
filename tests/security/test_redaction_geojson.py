"""``Subgraph.geojson`` over the real schema (issue 10, item 3): a victim's home address is not
drawn for a reader without ``victim-data`` (its position is what redaction blanks), while the
compound they were held at and the checkpoint they crossed, which locate no victim, still are;
a reader with ``victim-data`` gets the address drawn too."""

from graphapi.ingest.service import ingest_records
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget

ANALYST = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VICTIM_DATA = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
SCHEMA = build_schema()
HOME = "address:12 soi sukhumvit bangkok th"
QUERY = '{ expand(ids: ["compound-golden-reef"], depth: 2) { geojson } }'


async def _victim_with_a_home(store):
    records = [
        {"kind": "node", "label": "Person", "id": "per-hla-hla", "properties": {"name": "Hla Hla"}},
        {"kind": "node", "label": "Compound", "id": "compound-golden-reef",
         "properties": {"name": "Golden Reef", "lat": 16.71, "lon": 98.57}},
        {"kind": "node", "label": "BorderCheckpoint", "id": "checkpoint-mae-sot",
         "properties": {"name": "Mae Sot", "lat": 16.70, "lon": 98.52}},
        {"kind": "node", "label": "Address", "properties": {"addressKey": "12 soi sukhumvit bangkok th",
                                                             "full": "12 Soi Sukhumvit, Bangkok",
                                                             "lat": 13.73, "lon": 100.56}},
        {"type": "HELD_AT", "from": "per-hla-hla", "to": "compound-golden-reef", "properties": {"role": "trafficked"}},
        {"type": "CROSSED", "from": "per-hla-hla", "to": "checkpoint-mae-sot",
         "properties": {"at": "2025-03-01T10:00:00Z", "direction": "exit"}},
        {"type": "LOCATED_AT", "from": "per-hla-hla", "to": HOME},
    ]
    result = await ingest_records(store, records, source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not result.rejected, result.rejected


async def _points(store, principal):
    answer = await SCHEMA.execute(QUERY, context_value=Context(store, principal, "r", lookup_budget=hourly_budget(0)))
    assert answer.errors is None, answer.errors
    features = answer.data["expand"]["geojson"]["features"]
    return {f["id"]: f["geometry"]["coordinates"] for f in features if f["geometry"]["type"] == "Point"}


async def test_geojson_leaves_out_a_victims_home_but_draws_the_compound_and_checkpoint(backend_empty_store):
    await _victim_with_a_home(backend_empty_store)
    assert await _points(backend_empty_store, ANALYST) == {
        "compound-golden-reef": [98.57, 16.71], "checkpoint-mae-sot": [98.52, 16.70]}


async def test_geojson_draws_a_victims_home_for_a_reader_with_victim_data(backend_empty_store):
    await _victim_with_a_home(backend_empty_store)
    assert await _points(backend_empty_store, VICTIM_DATA) == {
        "compound-golden-reef": [98.57, 16.71], "checkpoint-mae-sot": [98.52, 16.70], HOME: [100.56, 13.73]}
