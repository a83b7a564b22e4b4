// Replace the whole property map of existing relationships (their values rebuilt from statements
// after a DEL, MOD or replace): the complete map replaces the stored one, so removed values go
// (ingest/replace_node_properties says why not `SET r += {a: null}`). Found from the start node
// (indexed), not by scanning the type.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - every property the relationship keeps, id included
// placeholder type: relationship
// returns: one row {id} per relationship written
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}}]->(b:Entity)
WHERE r.id = row.id AND b.id = row.end
SET r = row.props
RETURN row.id AS id
