// Write a batch of nodes of one label that did not exist when the loader looked (MERGE keeps
// concurrent loaders safe; the unique Entity.id constraint rejects a clash in labels).
// mode: write
// param $rows: list[{id: str, props: map[no nulls]}] - props complete (provenance merged by the loader); what
//   a write removes goes with ingest/replace_node_properties after it
// placeholder labels: labels
// returns: one row {id} per node written
UNWIND $rows AS row
MERGE (n:{{labels}} {id: row.id})
SET n += row.props
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
RETURN row.id AS id
