// Neo4j's ingest/retract_relationships (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes): withdrawn from
//   any relationship; false: only from relationships of $owner
// param $reowned: list[str]|null - items this retraction has just re-owned from $owner
//   (graphapi/ingest/relevel.py): still withdrawn from as $owner's
// placeholder type: relationship
// returns: one row {id} per relationship the source was withdrawn from
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE $source IN r.sources AND ($scoped OR r.owner = $owner OR rid IN coalesce($reowned, []))
SET r.sources = [s IN r.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]
REMOVE r.digest
RETURN rid AS id
