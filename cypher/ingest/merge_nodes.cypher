// MERGE a batch of nodes of one label by id and set their already-merged properties.
// mode: write
// param $rows: list[{id: str, props: map[no nulls]}] - props are complete (provenance merged by the loader);
//   what a write removes goes with ingest/replace_node_properties after it
// placeholder labels: labels
// returns: one row {id} per node written
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n:{{labels}}, n += row.props
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
RETURN row.id AS id
