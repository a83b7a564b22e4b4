// Neo4j's ingest/replace_relationship_properties (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - every property the relationship keeps, id included
// placeholder type: relationship
// returns: one row {id} per relationship written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE startNode(r).id = row.start AND endNode(r).id = row.end
SET r = row.props
REMOVE r.digest
RETURN row.id AS id
