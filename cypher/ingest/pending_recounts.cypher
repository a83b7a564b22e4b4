// The quarantined identifiers noted to recount (ingest/note_quarantine_recount): the ends of links
// a load's deletes took, not yet recounted (graphapi/ingest/pending_recounts.py).
// Internal: never shown to a reader.
// mode: read
// param $id: str - the PendingRecount node's id (graphapi.ingest.pending_recounts.RECOUNT_ID)
// returns: one row {ids: list[str]} if any are noted
MATCH (r:PendingRecount {id: $id})
RETURN coalesce(r.ids, []) AS ids
