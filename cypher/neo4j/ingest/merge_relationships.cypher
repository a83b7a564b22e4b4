// Neo4j's ingest/merge_relationships (same parameters, placeholders and result; keep the two in
// step): MERGE, which seeks the id on the type's uniqueness constraint and locks it
// (LockingMerge), so loads running side by side cannot write one relationship twice.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - props already merged
// placeholder type: relationship
// returns: one row {id} per relationship written; rows whose endpoints are missing are absent
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
MERGE (a)-[r:{{type}} {id: row.id}]->(b)
SET r += row.props
REMOVE r.digest
RETURN row.id AS id
