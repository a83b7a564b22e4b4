// Set the merged properties of existing nodes whose labels do not change.
// mode: write
// param $rows: list[{id: str, props: map[no nulls]}] - props complete (provenance merged by the loader); a
//   write that removes properties goes to ingest/replace_node_properties
// returns: one row {id} per node written
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n += row.props
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
RETURN row.id AS id
