// The quarantined identifiers noted to recount in the set $id (ingest/note_quarantine_recount,
// ingest/note_quarantine_ids): one node each, and the list a graph written before a-89, 6 keeps
// on one node (`ids`, no `identifier`), read until its recount drops it
// (ingest/clear_listed_recounts) (graphapi/ingest/pending_recounts.py).
// Internal: never shown to a reader.
// mode: read
// param $id: str - the set's name (graphapi.ingest.pending_recounts.RECOUNT_ID)
// returns: one row {ids: list[str], listed: bool} if any are noted (listed: the old list is among them)
MATCH (r:PendingRecount {id: $id})
WITH r, r.identifier IS NULL AS listed
UNWIND CASE WHEN listed THEN coalesce(r.ids, []) ELSE [r.identifier] END AS x
WITH collect(DISTINCT x) AS ids, max(CASE WHEN listed THEN 1 ELSE 0 END) AS listed
WHERE size(ids) > 0
RETURN ids, listed = 1 AS listed
