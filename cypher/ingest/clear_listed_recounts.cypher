// The list of a graph written before a-89, 6 (one `PendingRecount` node of the set $id holding
// every noted id in `ids`) goes once its ids are recounted (graphapi/ingest/pending_recounts.py):
// nothing adds to it any more, so what its recount read was all of it.
// mode: write
// param $id: str - the set's name (graphapi.ingest.pending_recounts.RECOUNT_ID)
// returns: one row {cleared: int}
MATCH (r:PendingRecount {id: $id})
WHERE r.identifier IS NULL
DELETE r
RETURN count(*) AS cleared
