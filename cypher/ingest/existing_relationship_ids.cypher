// Which of a batch of relationships of one type exist (ids only: cheap; properties() is not).
// mode: read
// param $rows: list[{id: str, start: str, end: str}] - relationship and endpoint node ids
// placeholder type: relationship
// returns: one row {id} per stored relationship
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}}]->(b:Entity {id: row.end})
WHERE r.id = row.id
RETURN r.id AS id
