// Neo4j's ingest/delete_relationships (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_relationships)
// placeholder type: relationship
// returns: one row {id, ends: list[str]} per relationship deleted (ends: its two nodes' ids, read before
//   the delete, where a placeholder left with no link goes next: ingest/drop_unlinked_placeholders;
//   missing here until attack round 33's fix, so a relationship DEL on Neo4j left its placeholders)
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE size([s IN coalesce(r.sources, []) WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR r.owner = $owner))]) = 0
OPTIONAL MATCH (said:Statement {entity: rid})
WITH r, rid, count(said) AS statements
WHERE statements = 0
WITH r, rid, [startNode(r).id, endNode(r).id] AS ends
DELETE r
RETURN rid AS id, ends
