// Derives searchAudience again wherever it differs from what the entity's stored tlp, owner and
// sharedWith give (or is missing), $limit entities at a time in the order of their ids. Neo4j never
// stored a stale one (attack round 31 item 1 was FalkorDB's reading of SET chains), but start-up
// runs the same once-per-graph repair on both backends (graphapi/store/audience_repair.py). The
// entity_id index gives ids in order from $after, so each call reads $limit entities, not the graph.
// mode: write
// param $after: str - the last entity id of the previous call ('' first)
// param $limit: int - entities per call
// returns: one row {repaired: int (entities set in this call), next: str | None (the next call's $after; None when no entity is left)}
MATCH (n:Entity)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
WITH collect(n) AS batch
CALL (batch) {
  UNWIND batch AS n
  WITH n WHERE n.searchAudience IS NULL OR n.searchAudience <> {{search_audience(n)}}
  SET n.searchAudience = {{search_audience(n)}}
  RETURN count(n) AS repaired
}
RETURN repaired, CASE WHEN size(batch) < $limit THEN NULL ELSE batch[-1].id END AS next
