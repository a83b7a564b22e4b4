// The stored relationships of one type with the given ids, with their ends, for the rebuild of
// their values from statements (graphapi/ingest/relationship_values.py). Sought through the
// type's relationship index on id (unlabelled ends: FalkorDB scans the label first otherwise).
// mode: read
// param $ids: list[str] - Lintas relationship ids
// placeholder type: relationship
// returns: rows {id, start, end, props}
MATCH ()-[r:{{type}}]->()
WHERE r.id IN $ids
RETURN r.id AS id, startNode(r).id AS start, endNode(r).id AS end, properties(r) AS props
