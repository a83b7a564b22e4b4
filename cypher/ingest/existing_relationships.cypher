// The stored relationships of one type with the given ids, with their ends, for the rebuild of
// their values from statements (graphapi/ingest/relationship_values.py). Relationship ids have
// no index: one scan of the type per batch, not one per id.
// mode: read
// param $ids: list[str] - Lintas relationship ids
// placeholder type: relationship
// returns: rows {id, start, end, props}
MATCH (a:Entity)-[r:{{type}}]->(b:Entity)
WHERE r.id IN $ids
RETURN r.id AS id, a.id AS start, b.id AS end, properties(r) AS props
