// The stored state of relationships of one type, looked up through their start and end nodes.
// mode: read
// param $rows: list[{id: str, start: str, end: str}] - relationship and endpoint node ids
// placeholder type: relationship
// returns: one row per stored relationship {id, props}; ids not stored are absent
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}}]->(b:Entity {id: row.end})
WHERE r.id = row.id
RETURN r.id AS id, properties(r) AS props
