// Neo4j's ingest/delete_relationships (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// placeholder type: relationship
// returns: one row {id} per relationship deleted
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE ((r.owner = $owner AND $source IN r.sources
      AND size([s IN r.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]) = 0)
    OR size(coalesce(r.sources, [])) = 0)
OPTIONAL MATCH (said:Statement {entity: rid})
WITH r, rid, count(said) AS statements
WHERE statements = 0
DELETE r
RETURN rid AS id
