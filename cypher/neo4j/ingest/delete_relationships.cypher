// Neo4j's ingest/delete_relationships (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_relationships); an echo
//   of $owner's (`echoes`: graphapi/ingest/echoes.py) counts as $owner's source too, and a source
//   another agency's echo names too is that agency's still (attack round 45c, 5)
// placeholder type: relationship
// param $mark: str - the batch's pending mark (provenance/retract_statements), where what this deletes
//   is kept: run again (the batch's finish after a kill) it deletes nothing, and the follow-ups still
//   need it (attack round 37, 5)
// returns: one row {gone: list[str], ends: list[str]}: on the mark, every relationship deleted under it
//   and their ends' ids (read before the delete, where a placeholder left with no link goes next:
//   ingest/drop_unlinked_placeholders)
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE size([s IN coalesce(r.sources, []) WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR r.owner = $owner OR ($owner + ' ' + s) IN coalesce(r.echoes, []))
    AND size([e IN coalesce(r.echoes, []) WHERE split(e, ' ')[0] <> $owner
      AND substring(e, size(split(e, ' ')[0]) + 1) = s]) = 0)]) = 0
OPTIONAL MATCH (said:Statement {entity: rid})
WITH r, rid, count(said) AS statements
WHERE statements = 0
WITH r, rid, [startNode(r).id, endNode(r).id] AS ends
DELETE r
// appended flat (a reduce() of the lists copies them over and over): a run deletes only what is left
WITH rid, ends
UNWIND ends AS end
WITH collect(DISTINCT rid) AS gone, collect(end) AS ends
MATCH (p:PendingRetraction {id: $mark})
SET p.gone = coalesce(p.gone, []) + gone,
  p.ends = coalesce(p.ends, []) + ends
RETURN p.gone AS gone, p.ends AS ends
