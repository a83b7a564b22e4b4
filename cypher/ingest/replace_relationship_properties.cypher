// Replace the whole property map of existing relationships (their values rebuilt from statements
// after a DEL, MOD or replace): the complete map replaces the stored one, so removed values go
// (ingest/replace_node_properties says why not `SET r += {a: null}`). Sought through the
// type's relationship index on id, not by expanding the start node's relationships of the type
// (thousands of transfers from one account).
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - every property the relationship keeps, id included
// placeholder type: relationship
// returns: one row {id} per relationship written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
WHERE startNode(r).id = row.start AND endNode(r).id = row.end
SET r = row.props
REMOVE r.digest
RETURN row.id AS id
