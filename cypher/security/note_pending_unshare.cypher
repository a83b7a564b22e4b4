// Before an unshare withdraws relationships: note them (with those a cut-short run of it noted), so
// a run cut short after that write and run again still answers them (attack round 39a, 5). The
// unshare's last write deletes the mark (security/clear_pending_unshare).
// mode: write
// param $id: str - the mark's id (graphapi.security.unshare_marks.mark_id)
// param $owner: str - the acting agency
// param $rels: list[str] - the relationships' ids
// param $types: list[str] - their types, in the same order
// param $starts: list[str] - their start nodes' ids, in the same order
// param $ends: list[str] - their end nodes' ids, in the same order
// returns: one row {id}
MERGE (m:PendingUnshare {id: $id})
SET m.owner = $owner, m.rels = $rels, m.types = $types, m.starts = $starts, m.ends = $ends
RETURN m.id AS id
