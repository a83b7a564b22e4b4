// Neo4j's ingest/existing_relationships (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: read
// param $ids: list[str] - Lintas relationship ids
// placeholder type: relationship
// returns: rows {id, start, end, props}
MATCH ()-[r:{{type}}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE r.id IN $ids
RETURN r.id AS id, startNode(r).id AS start, endNode(r).id AS end, properties(r) AS props
