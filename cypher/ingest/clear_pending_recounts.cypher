// The identifiers of $ids are recounted (graphapi/ingest/pending_recounts.py): their nodes in the
// set $id go, each found by its index (a clear costs its own ids: a-89, 6); those noted meanwhile
// stay.
// mode: write
// param $id: str - the set's name (graphapi.ingest.pending_recounts.RECOUNT_ID)
// param $ids: list[str] - the identifiers recounted
// returns: one row {cleared: int}
UNWIND $ids AS x
MATCH (r:PendingRecount {identifier: x})
WHERE r.id = $id
DELETE r
RETURN count(*) AS cleared
