// Before a retraction batch's pending mark goes (ingest/clear_pending_retraction): the quarantined
// identifiers (the `quarantined` flag, or marks in `quarantinedFor`) among the ends of the links it
// deleted (the mark's `ends`, from the store: never a record's word for them) are noted in the
// `PendingRecount` set $id, one node each (ingest/note_quarantine_ids), to recount once the load's
// deletes are done (graphapi/ingest/pending_recounts.py). Whether or not the batch's agency may
// still see them: the links were its own to delete, and a phone unshared from it stayed
// quarantined for everyone once its links went (attack round a-62, 2); it is told nothing of the
// recount. Noted with the delete's mark still standing, a kill before the recount leaves them
// noted: the rerun (or the next load that deletes) recounts them (attack round a-58, 3); a load
// recounts each once, whatever its DELs (a-58, 4).
// Internal: never shown to a reader.
// mode: write
// param $mark: str - the batch's pending mark (provenance/retract_statements)
// param $id: str - the set's name (graphapi.ingest.pending_recounts.RECOUNT_ID)
// returns: one row {noted: int} (how many it noted)
MATCH (p:PendingRetraction {id: $mark})
UNWIND coalesce(p.ends, []) AS end
WITH DISTINCT end
MATCH (i:Entity {id: end})
WHERE (coalesce(i.quarantined, false) OR size(coalesce(i.quarantinedFor, [])) > 0)
MERGE (r:PendingRecount {identifier: i.id, id: $id})
RETURN count(*) AS noted
