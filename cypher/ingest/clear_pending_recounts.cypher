// The identifiers of $ids are recounted (graphapi/ingest/pending_recounts.py): they are no longer
// noted; those noted meanwhile stay. The node goes with its last id.
// mode: write
// param $id: str - the PendingRecount node's id (graphapi.ingest.pending_recounts.RECOUNT_ID)
// param $ids: list[str] - the identifiers recounted
// returns: one row {emptied: int}: 1 if the node went
MATCH (r:PendingRecount {id: $id})
WITH r, [x IN coalesce(r.ids, []) WHERE NOT x IN $ids] AS left
SET r.ids = left
WITH r, left
WHERE size(left) = 0
DELETE r
RETURN count(*) AS emptied
