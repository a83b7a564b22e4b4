// MERGE a batch of relationships of one type by id between existing endpoint nodes.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - props already merged
// placeholder type: relationship
// returns: one row {id} per relationship written; rows whose endpoints are missing are absent
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
MERGE (a)-[r:{{type}} {id: row.id}]->(b)
SET r += row.props
RETURN row.id AS id
